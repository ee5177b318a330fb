-- Keeps a quiet but connected player's session alive: restarts its TTL and
-- records when it was last seen. Counts no action, records no event, leaves
-- last_activity_at alone (an idle or relogin completion still ends there).
-- Returns the session JSON, or false (and nothing written) without one.
local session = read_session(redis.call('GET', cfg.session_key), cfg.player_id)
if not session then return false end
session.last_seen_at = cfg.now_ts
local encoded = encode_session(session)
redis.call('SET', cfg.session_key, encoded, 'EX', cfg.session_ttl)
return encoded
