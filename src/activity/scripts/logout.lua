-- Completes the open session at now. Without a readable open session nothing
-- changes, so a retried logout never counts a session twice.
-- Returns the completed session JSON, or false when no session was open.
-- A repeated event id returns the first call's answer and changes nothing.
check_key_types()
local first = remembered_call()
if first then return repeated_reply(first, redis_call('EXISTS', K.session) == 0) end
local open = read_session(redis_call('GET', K.session))
local completed = false
if open then
  completed = complete_session(open, A.now_us, A.now_ts, A.now_date, nil, false, A.event_id)
  global_seen(A.now_date)
end
remember_call(completed)
return global_reply(completed)
