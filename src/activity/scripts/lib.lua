-- Shared helpers, prepended to every script of this folder (see scripts.ts).
--
-- Values are written with a hand-rolled encoder instead of cjson.encode:
-- Redis' cjson turns an empty array into {} and keeps only 14 significant
-- digits of a number, and the stored JSON must keep its shape and precision.

local function enc_str(s)
  return cjson.encode(tostring(s))
end

local function enc_num(x)
  x = tonumber(x) or 0
  if x ~= x or x == math.huge or x == -math.huge then return '0' end
  if x == math.floor(x) and math.abs(x) < 9007199254740992 then
    return string.format('%d', x)
  end
  -- shortest form that reads back as the same double, as Python's repr does
  for _, fmt in ipairs({'%.15g', '%.16g'}) do
    local s = string.format(fmt, x)
    if tonumber(s) == x then return s end
  end
  return string.format('%.17g', x)
end

local function enc_str_array(list)
  local parts = {}
  for i = 1, #list do parts[i] = enc_str(list[i]) end
  return '[' .. table.concat(parts, ',') .. ']'
end

-- fields: array of {name, encoded_value}
local function enc_object(fields)
  local parts = {}
  for i = 1, #fields do
    parts[i] = enc_str(fields[i][1]) .. ':' .. fields[i][2]
  end
  return '{' .. table.concat(parts, ',') .. '}'
end

local function decode_object(raw)
  if not raw then return nil end
  local ok, value = pcall(cjson.decode, raw)
  if ok and type(value) == 'table' then return value end
  return nil
end

-- A stored list may have been written as {} by a cjson-based writer.
local function as_list(value)
  local list = {}
  if type(value) == 'table' then
    for i = 1, #value do list[i] = tostring(value[i]) end
  end
  return list
end

local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

-- Reads a stored naive-UTC ISO timestamp (optionally with Z or +00:00).
-- Returns microseconds since the epoch (an integer, exact in a double until
-- the year 2255, so durations carry no rounding noise), the timestamp in
-- the stored form, and its UTC date.
local function parse_ts(s)
  if type(s) ~= 'string' then return nil end
  local y, mo, d, h, mi, se, frac, rest =
    string.match(s, '^(%d%d%d%d)%-(%d%d)%-(%d%d)[T ](%d%d):(%d%d):(%d%d)%.?(%d*)(.*)$')
  if not y then return nil end
  if rest ~= '' and rest ~= 'Z' and rest ~= '+00:00' then return nil end
  local micros = 0
  if frac ~= '' then
    micros = tonumber(string.sub(frac .. '000000', 1, 6))
  end
  local date = y .. '-' .. mo .. '-' .. d
  local naive = date .. 'T' .. h .. ':' .. mi .. ':' .. se
  if micros ~= 0 then naive = naive .. string.format('.%06d', micros) end
  local seconds = days_from_civil(tonumber(y), tonumber(mo), tonumber(d)) * 86400
    + tonumber(h) * 3600 + tonumber(mi) * 60 + tonumber(se)
  return seconds * 1000000 + micros, naive, date
end

local function num(value)
  return tonumber(value) or 0
end

-- last_seen_at (written by heartbeats only; the original ignores it) is
-- kept when present, so a session that never had a heartbeat keeps exactly
-- the original's fields.
local function encode_session(s)
  local fields = {
    {'player_id', enc_str(s.player_id)},
    {'login_at', enc_str(s.login_at)},
    {'last_activity_at', enc_str(s.last_activity_at)},
    {'actions_count', enc_num(s.actions_count)},
    {'trades_count', enc_num(s.trades_count)},
    {'trade_volume', enc_num(s.trade_volume)},
    {'combat_events', enc_num(s.combat_events)},
    {'sectors_visited', enc_str_array(s.sectors_visited)},
  }
  if s.last_seen_at then fields[#fields + 1] = {'last_seen_at', enc_str(s.last_seen_at)} end
  return enc_object(fields)
end

local function read_session(raw, player_id)
  local s = decode_object(raw)
  if not s then return nil end
  return {
    player_id = s.player_id or player_id,
    login_at = s.login_at,
    last_activity_at = s.last_activity_at or s.login_at,
    actions_count = num(s.actions_count),
    trades_count = num(s.trades_count),
    trade_volume = num(s.trade_volume),
    combat_events = num(s.combat_events),
    sectors_visited = as_list(s.sectors_visited),
    last_seen_at = type(s.last_seen_at) == 'string' and s.last_seen_at or nil,
  }
end

local function push_event(events_key, event_type, timestamp, details_json, max_events, ttl)
  local event = enc_object({
    {'event_type', enc_str(event_type)},
    {'timestamp', enc_str(timestamp)},
    {'details', details_json},
  })
  redis.call('LPUSH', events_key, event)
  redis.call('LTRIM', events_key, 0, max_events - 1)
  redis.call('EXPIRE', events_key, ttl)
end

-- The online set is updated here only when it was passed in KEYS (single
-- server). On a Redis Cluster it lives in another slot: the store updates
-- it right after the script (presence-change.lua).
local function join_online_set(cfg)
  if cfg.online_key then
    change_online(cfg.online_key, cfg.online_version_key, cfg.channel, 'add', cfg.player_id)
  end
end

local function leave_online_set(cfg)
  if cfg.online_key then
    return change_online(cfg.online_key, cfg.online_version_key, cfg.channel, 'remove', cfg.player_id)
  end
  return 0
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
  local start = math.max(1, #merged - cap + 1)
  local kept = {}
  for i = start, #merged do kept[#kept + 1] = merged[i] end
  return kept
end

-- Redis does not roll a script back when a command fails half-way, so every
-- key a script writes is checked before the first write: a key of the wrong
-- type fails the call with nothing changed.
local function require_type(key, expected)
  local actual = redis.call('TYPE', key)['ok']
  if actual ~= 'none' and actual ~= expected then
    return error({err = 'WRONGTYPE activity key ' .. key .. ' holds a ' .. actual .. ', not a ' .. expected})
  end
end

-- Folds an open session into the summary and daily records, records the
-- logout event and deletes the session. Returns the completed session JSON.
-- cfg: keys, ttls and caps shared by every script (see store.ts).
local function complete_session(cfg, session, end_us, end_ts, end_date, reason, leave_online)
  local login_us = parse_ts(session.login_at) or end_us
  local duration = math.max(0, end_us - login_us) / 1000000
  local daily_key = cfg.daily_key_prefix .. end_date
  require_type(cfg.summary_key, 'string')
  require_type(daily_key, 'string')

  local summary = decode_object(redis.call('GET', cfg.summary_key)) or {}
  local all_sectors = merge_recent(as_list(summary.all_sectors), session.sectors_visited, cfg.max_summary_sectors)
  redis.call('SET', cfg.summary_key, enc_object({
    {'player_id', enc_str(cfg.player_id)},
    {'total_sessions', enc_num(num(summary.total_sessions) + 1)},
    {'total_playtime_seconds', enc_num(num(summary.total_playtime_seconds) + duration)},
    {'total_actions', enc_num(num(summary.total_actions) + session.actions_count)},
    {'total_trades', enc_num(num(summary.total_trades) + session.trades_count)},
    {'total_trade_volume', enc_num(num(summary.total_trade_volume) + session.trade_volume)},
    {'total_combat_events', enc_num(num(summary.total_combat_events) + session.combat_events)},
    {'unique_sectors_visited', enc_num(#all_sectors)},
    {'all_sectors', enc_str_array(all_sectors)},
    {'last_updated', enc_str(cfg.now_ts)},
  }), 'EX', cfg.summary_ttl)

  local daily = decode_object(redis.call('GET', daily_key)) or {}
  redis.call('SET', daily_key, enc_object({
    {'player_id', enc_str(cfg.player_id)},
    {'date', enc_str(end_date)},
    {'sessions', enc_num(num(daily.sessions) + 1)},
    {'playtime_seconds', enc_num(num(daily.playtime_seconds) + duration)},
    {'actions', enc_num(num(daily.actions) + session.actions_count)},
    {'trades', enc_num(num(daily.trades) + session.trades_count)},
    {'trade_volume', enc_num(num(daily.trade_volume) + session.trade_volume)},
    {'combat_events', enc_num(num(daily.combat_events) + session.combat_events)},
  }), 'EX', cfg.daily_ttl)

  local details = {{'duration_seconds', enc_num(duration)}}
  if reason then details[2] = {'reason', enc_str(reason)} end
  push_event(cfg.events_key, 'logout', end_ts, enc_object(details), cfg.max_events, cfg.events_ttl)

  redis.call('DEL', cfg.session_key)
  if not leave_online then leave_online_set(cfg) end

  return enc_object({
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
end

-- KEYS and ARGV layout shared by the per-player scripts (KEYS[4] and
-- KEYS[5], the online set and its version, only on a single server).
local cfg = {
  session_key = KEYS[1],
  events_key = KEYS[2],
  summary_key = KEYS[3],
  online_key = KEYS[4],
  online_version_key = KEYS[5],
  player_id = ARGV[1],
  now_ts = ARGV[2],
  now_us = tonumber(ARGV[3]),
  now_date = ARGV[4],
  daily_key_prefix = ARGV[5],
  channel = ARGV[6],
  session_ttl = tonumber(ARGV[7]),
  events_ttl = tonumber(ARGV[8]),
  summary_ttl = tonumber(ARGV[9]),
  daily_ttl = tonumber(ARGV[10]),
  max_events = tonumber(ARGV[11]),
  max_session_sectors = tonumber(ARGV[12]),
  max_summary_sectors = tonumber(ARGV[13]),
}
local FIRST_OWN_ARG = 14

-- For scripts that write several keys (complete_session checks the summary
-- and daily keys itself). A script whose first command on each key fails on
-- a wrong type anyway (GET, then the first write) can skip this.
local function check_key_types()
  require_type(cfg.session_key, 'string')
  require_type(cfg.events_key, 'list')
  if cfg.online_key then
    require_type(cfg.online_key, 'set')
    require_type(cfg.online_version_key, 'string')
  end
end
