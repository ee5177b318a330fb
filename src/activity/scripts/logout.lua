-- Completes the open session at now. Without an open session nothing changes,
-- so a retried logout never counts a session twice.
-- Returns the completed session JSON, or false when no session was open.
check_key_types()
local open = read_session(redis.call('GET', cfg.session_key), cfg.player_id)
if not open then return false end
return complete_session(cfg, open, cfg.now_us, cfg.now_ts, cfg.now_date, nil, false)
