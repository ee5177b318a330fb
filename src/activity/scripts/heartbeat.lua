-- Keeps a quiet but connected player's session alive: restarts its TTL and
-- records when it was last seen. Counts no action, records no event, leaves
-- last_activity_at alone (an idle or relogin completion still ends there).
-- Returns the session JSON, or false (and nothing written but the event id,
-- when given) without a readable one. A repeated event id returns the first
-- call's answer and changes nothing.
local first = remembered_call()
if first then return repeated_reply(first, redis_call('EXISTS', K.session) == 1) end
local session = read_session(redis_call('GET', K.session))
local encoded = false
if session then
  session.last_seen_at = A.now_ts
  encoded = encode_session(session)
  redis_call('SET', K.session, encoded, 'EX', A.session_ttl)
  global_seen(A.now_date)
end
remember_call(encoded)
return global_reply(encoded)
