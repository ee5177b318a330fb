-- Opens a session. An open session is first completed as a logout ending at
-- its last activity, so a re-login never loses the previous session's counts.
-- Returns the new session JSON.
check_key_types()
local open = read_session(redis.call('GET', cfg.session_key), cfg.player_id)
if open then
  local end_us, end_ts, end_date = parse_ts(open.last_activity_at)
  if not end_us then
    end_us, end_ts, end_date = cfg.now_us, cfg.now_ts, cfg.now_date
  end
  complete_session(cfg, open, end_us, end_ts, end_date, 'relogin', true)
end

local session = encode_session({
  player_id = cfg.player_id,
  login_at = cfg.now_ts,
  last_activity_at = cfg.now_ts,
  actions_count = 0,
  trades_count = 0,
  trade_volume = 0,
  combat_events = 0,
  sectors_visited = {},
})
redis.call('SET', cfg.session_key, session, 'EX', cfg.session_ttl)
push_event(cfg.events_key, 'login', cfg.now_ts, '{}', cfg.max_events, cfg.events_ttl)
join_online_set(cfg)
return session
