-- Completes the open session at now. Without a readable open session nothing
-- changes, so a retried logout never counts a session twice.
-- Returns the completed session JSON, or false when no session was open.
check_key_types()
local open = read_session(redis.call('GET', K.session))
if not open then return false end
return complete_session(open, A.now_us, A.now_ts, A.now_date, nil, false)
