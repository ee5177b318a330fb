-- Helpers of the per-player scripts: events, key types, session completion.

local function push_event(event_json)
  if redis_call('LPUSH', K.events, event_json) > A.max_events then
    redis_call('LTRIM', K.events, 0, A.max_events - 1)
  end
  redis_call('EXPIRE', K.events, A.events_ttl)
end

-- Adds a sector to the session's recent ones (the last
-- A.max_session_sectors kept); true when the list changed.
local function visit_sector(session, sector)
  local sectors = session.sectors_visited
  for i = 1, #sectors do
    if sectors[i] == sector then return false end
  end
  sectors[#sectors + 1] = sector
  local overflow = #sectors - A.max_session_sectors
  if overflow > 0 then
    local kept = {}
    for i = overflow + 1, #sectors do kept[#kept + 1] = sectors[i] end
    session.sectors_visited = kept
  end
  return true
end

-- Moves every item of `additions` to the end of `list` (adding it when new)
-- and keeps the last `cap` items.
local function merge_recent(list, additions, cap)
  local merged = {}
  local moved = {}
  for i = 1, #additions do moved[additions[i]] = true end
  for i = 1, #list do
    if not moved[list[i]] then merged[#merged + 1] = list[i] end
  end
  local seen = {}
  for i = 1, #additions do
    if not seen[additions[i]] then
      seen[additions[i]] = true
      merged[#merged + 1] = additions[i]
    end
  end
  local start = max(1, #merged - cap + 1)
  local kept = {}
  for i = start, #merged do kept[#kept + 1] = merged[i] end
  return kept
end

-- Redis does not roll a script back when a command fails half-way, so every
-- key a script writes is checked before the first write: a key of the wrong
-- type fails the call with nothing changed.
local function require_type(key, expected)
  local actual = redis_call('TYPE', key)['ok']
  if actual ~= 'none' and actual ~= expected then
    return error({err = 'WRONGTYPE activity key ' .. key .. ' holds a ' .. actual .. ', not a ' .. expected})
  end
end

-- For scripts that write several keys (complete_session checks the summary
-- and daily keys itself). A script whose first command on each key fails on
-- a wrong type anyway (GET, then the first write) can skip this.
local function check_key_types()
  require_type(K.session, 'string')
  require_type(K.events, 'list')
  if K.online then
    require_type(K.online, 'set')
    require_type(K.online_version, 'string')
  end
end

-- Folds an open session (as read_session returned it) into the summary and
-- daily records, records the logout event and deletes the session; leaves
-- the online set unless `stay_online`. Every value is encoded before the
-- first write, so a value that cannot be stored fails the call whole.
-- event_id is the logout call's own id (nil for a relogin or idle completion).
-- Returns the completed session JSON.
local function complete_session(session, end_us, end_ts, end_date, reason, stay_online, event_id)
  local login_us = parse_ts(session.login_at)
  local duration = max(0, end_us - login_us) / 1000000
  local daily_key = A.daily_key_prefix .. end_date
  require_type(K.summary, 'string')
  require_type(daily_key, 'string')

  local summary = read_summary(redis_call('GET', K.summary))
  local all_sectors = merge_recent(summary.all_sectors, session.sectors_visited, A.max_summary_sectors)
  local summary_json = enc_object({
    {'player_id', enc_str(A.player_id)},
    {'total_sessions', enc_num(summary.total_sessions + 1)},
    {'total_playtime_seconds', enc_num(summary.total_playtime_seconds + duration)},
    {'total_actions', enc_num(summary.total_actions + session.actions_count)},
    {'total_trades', enc_num(summary.total_trades + session.trades_count)},
    {'total_trade_volume', enc_num(summary.total_trade_volume + session.trade_volume)},
    {'total_combat_events', enc_num(summary.total_combat_events + session.combat_events)},
    {'unique_sectors_visited', enc_num(#all_sectors)},
    {'all_sectors', enc_str_array(all_sectors)},
    {'last_updated', enc_str(A.now_ts)},
  })

  local daily = read_daily(redis_call('GET', daily_key))
  local daily_json = enc_object({
    {'player_id', enc_str(A.player_id)},
    {'date', enc_str(end_date)},
    {'sessions', enc_num(daily.sessions + 1)},
    {'playtime_seconds', enc_num(daily.playtime_seconds + duration)},
    {'actions', enc_num(daily.actions + session.actions_count)},
    {'trades', enc_num(daily.trades + session.trades_count)},
    {'trade_volume', enc_num(daily.trade_volume + session.trade_volume)},
    {'combat_events', enc_num(daily.combat_events + session.combat_events)},
  })

  local details = {{'duration_seconds', enc_num(duration)}}
  if reason then details[2] = {'reason', enc_str(reason)} end
  local logout_event = encode_event('logout', end_ts, enc_object(details), event_id)

  local completed = enc_object({
    {'player_id', enc_str(session.player_id)},
    {'login_at', enc_str(session.login_at)},
    {'last_activity_at', enc_str(session.last_activity_at)},
    {'logout_at', enc_str(end_ts)},
    {'duration_seconds', enc_num(duration)},
    {'actions_count', enc_num(session.actions_count)},
    {'trades_count', enc_num(session.trades_count)},
    {'trade_volume', enc_num(session.trade_volume)},
    {'combat_events', enc_num(session.combat_events)},
    {'sectors_visited', enc_str_array(session.sectors_visited)},
  })

  -- Game-wide playtime, in whole microseconds so that sums stay exact.
  global_add(end_date, 'playtime_us', max(0, end_us - login_us))

  redis_call('SET', K.summary, summary_json, 'EX', A.summary_ttl)
  redis_call('SET', daily_key, daily_json, 'EX', A.daily_ttl)
  push_event(logout_event)
  redis_call('DEL', K.session)
  if not stay_online then leave_online_set() end
  return completed
end
