-- Keeps a quiet but connected player's session alive: restarts its TTL and
-- records when it was last seen. Counts no action, records no event, leaves
-- last_activity_at alone (an idle or relogin completion still ends there).
-- Returns the session JSON, or false (and nothing written) without a readable one.
local session = read_session(redis.call('GET', K.session))
if not session then return false end
session.last_seen_at = A.now_ts
local encoded = encode_session(session)
redis.call('SET', K.session, encoded, 'EX', A.session_ttl)
return encoded
