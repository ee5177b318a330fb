-- Opens a session. An open session is first completed as a logout ending at
-- its last activity, so a re-login never loses the previous session's counts.
-- An unreadable stored session is replaced. Returns the new session JSON.
-- A repeated event id returns the first call's session and changes nothing
-- (a retried login never folds the session it opened into a relogin).
check_key_types()
local first = remembered_call()
local open = read_session(redis_call('GET', K.session))
if first then
  local opened = decode_object(first[2]) or {}
  return repeated_reply(first, open ~= nil and open.login_at == opened.login_at)
end
if open then
  local end_us, end_ts, end_date = parse_ts(open.last_activity_at)
  complete_session(open, end_us, end_ts, end_date, 'relogin', true)
end

local session = encode_session({
  player_id = A.player_id,
  login_at = A.now_ts,
  last_activity_at = A.now_ts,
  actions_count = 0,
  trades_count = 0,
  trade_volume = 0,
  combat_events = 0,
  sectors_visited = {},
})
redis_call('SET', K.session, session, 'EX', A.session_ttl)
push_event(encode_event('login', A.now_ts, '{}', A.event_id))
join_online_set()
global_add(A.now_date, 'sessions', '1')
global_seen(A.now_date)
remember_call(session)
return global_reply(session)
