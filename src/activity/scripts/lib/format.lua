-- The stored record shapes, Lua side; ../../records.ts is the TS side and
-- test/stored-format.test.ts holds both to the same answers on random records.
--
-- Reading: a record is either valid or rejected as a whole, by the same rules
-- as the TS decoders:
-- - a counter is absent (0) or a finite number; null, a string, NaN or
--   infinity rejects the record;
-- - a timestamp is a real instant written YYYY-MM-DD[T ]HH:MM:SS[.f{1,9}][Z|+00:00]
--   (year 1-9999, real month, day, hour, minute, second); an optional one may
--   also be absent or null;
-- - a list is absent, [] (or {} from a cjson writer), or an array of strings
--   and safe integers (read as their decimal strings).
-- A rejected session is no session; a rejected summary or daily record reads
-- as empty, as the TS decoders zero it.
--
-- Writing: a hand-rolled encoder instead of cjson.encode, which turns an
-- empty array into {} and keeps only 14 significant digits. A value that
-- would not read back (a non-finite number) fails the script before any write.

local HUGE = 1 / 0

local function is_finite(x)
  return type(x) == 'number' and x == x and x ~= HUGE and x ~= -HUGE
end

local function enc_str(s)
  return json_encode(tostring(s))
end

-- For strings JSON never escapes, without a call into cjson: timestamps
-- parse_ts accepted or the store made (digits, - : T space . Z +) and event
-- types (the store checks them against the known names: a-z and _).
local function enc_plain(s)
  return '"' .. s .. '"'
end

local function enc_num(x)
  -- the common case first: a safe integer (NaN and the infinities fail x % 1 == 0)
  if type(x) == 'number' and x % 1 == 0 and x > -9007199254740992 and x < 9007199254740992 then
    return format('%d', x)
  end
  if not is_finite(x) then
    return error({err = 'ERR activity: refusing to store a non-finite number'})
  end
  if x == floor(x) and abs(x) < 9007199254740992 then
    return format('%d', x)
  end
  -- shortest form that reads back as the same double, as Python's repr does
  for _, fmt in ipairs({'%.15g', '%.16g'}) do
    local s = format(fmt, x)
    if tonumber(s) == x then return s end
  end
  return format('%.17g', x)
end

local function enc_str_array(list)
  if #list == 0 then return '[]' end
  local parts = {}
  for i = 1, #list do parts[i] = enc_str(list[i]) end
  return '[' .. concat(parts, ',') .. ']'
end

-- fields: array of {name, encoded_value}
local function enc_object(fields)
  local parts = {}
  for i = 1, #fields do
    parts[i] = enc_str(fields[i][1]) .. ':' .. fields[i][2]
  end
  return '{' .. concat(parts, ',') .. '}'
end

local function decode_object(raw)
  if not raw then return nil end
  local ok, value = pcall(json_decode, raw)
  if ok and type(value) == 'table' then return value end
  return nil
end

local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + floor(yoe / 4) - floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

local MONTH_DAYS = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
local function days_in_month(y, m)
  if m == 2 and (y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)) then return 29 end
  return MONTH_DAYS[m]
end

-- Reads a stored timestamp. Returns microseconds since the epoch (an
-- integer, exact in a double until the year 2255, so durations carry no
-- rounding noise), the timestamp in the stored form, and its UTC date;
-- nil when it is not a stored timestamp. With `check_only` it returns true
-- instead, without working those out (the readers only validate).
-- Read byte by byte: tonumber on the parts (strtod) cost most of the time.
local function parse_ts(s, check_only)
  if type(s) ~= 'string' or #s < 19 then return nil end
  local y1, y2, y3, y4, dash1, mo1, mo2, dash2, d1, d2, sep, h1, h2, colon1, mi1, mi2, colon2, s1, s2 =
    byte(s, 1, 19)
  if dash1 ~= 45 or dash2 ~= 45 or (sep ~= 84 and sep ~= 32) or colon1 ~= 58 or colon2 ~= 58 then return nil end
  if y1 < 48 or y1 > 57 or y2 < 48 or y2 > 57 or y3 < 48 or y3 > 57 or y4 < 48 or y4 > 57
    or mo1 < 48 or mo1 > 57 or mo2 < 48 or mo2 > 57 or d1 < 48 or d1 > 57 or d2 < 48 or d2 > 57
    or h1 < 48 or h1 > 57 or h2 < 48 or h2 > 57 or mi1 < 48 or mi1 > 57 or mi2 < 48 or mi2 > 57
    or s1 < 48 or s1 > 57 or s2 < 48 or s2 > 57 then
    return nil
  end
  -- then an optional fraction of 1 to 9 digits and an optional Z or +00:00,
  -- looked at in place (no substring made unless needed)
  local size, last = #s, 19
  if size > 19 then
    if byte(s, 20) == 46 then -- '.'
      local _, fraction_end = find(s, '^%.%d+', 20)
      if not fraction_end or fraction_end > 29 then return nil end
      last = fraction_end
    end
    if last < size then
      local tail = size - last
      if not ((tail == 1 and byte(s, size) == 90) or (tail == 6 and find(s, '^%+00:00', last + 1))) then
        return nil
      end
    end
  end
  local yn = (y1 - 48) * 1000 + (y2 - 48) * 100 + (y3 - 48) * 10 + (y4 - 48)
  local mon, dn = (mo1 - 48) * 10 + (mo2 - 48), (d1 - 48) * 10 + (d2 - 48)
  local hn, min, sn = (h1 - 48) * 10 + (h2 - 48), (mi1 - 48) * 10 + (mi2 - 48), (s1 - 48) * 10 + (s2 - 48)
  if yn < 1 or mon < 1 or mon > 12 or dn < 1 or dn > days_in_month(yn, mon) or hn > 23 or min > 59 or sn > 59 then
    return nil
  end
  if check_only then return true end
  local micros = 0
  if last > 20 then micros = tonumber(sub(sub(s, 21, last) .. '000000', 1, 6)) end
  local date = sub(s, 1, 10)
  local naive = date .. 'T' .. sub(s, 12, 19)
  if micros ~= 0 then naive = naive .. format('.%06d', micros) end
  local seconds = days_from_civil(yn, mon, dn) * 86400 + hn * 3600 + min * 60 + sn
  return seconds * 1000000 + micros, naive, date
end

-- Field readers: the value, or nil when it rejects the record.
local function read_count(record, name)
  local value = record[name]
  if value == nil then return 0 end
  if is_finite(value) then return value end
  return nil
end

-- false (not nil) for an absent optional timestamp
local function read_optional_ts(record, name)
  local value = record[name]
  if value == nil or value == json_null then return false end
  if parse_ts(value, true) then return value end
  return nil
end

-- Converts the decoded list in place. cjson decodes a JSON object's keys as
-- strings, so a table with a length is an array (without holes: null is
-- cjson.null), and one without is [] or {} when empty, an object otherwise.
local function read_list(record, name)
  local list = record[name]
  if list == nil then return {} end
  if type(list) ~= 'table' then return nil end
  local size = #list
  if size == 0 then
    if next(list) ~= nil then return nil end -- an object with keys
    return list
  end
  for i = 1, size do
    local item = list[i]
    if type(item) ~= 'string' then
      if is_finite(item) and item == floor(item) and abs(item) < 9007199254740992 then
        list[i] = format('%d', item)
      else
        return nil
      end
    end
  end
  return list
end

local function read_counts(record, names, into)
  for i = 1, #names do
    local value = read_count(record, names[i])
    if value == nil then return nil end
    into[names[i]] = value
  end
  return into
end

local SESSION_COUNTS = {'actions_count', 'trades_count', 'trade_volume', 'combat_events'}
local SUMMARY_COUNTS = {
  'total_sessions', 'total_playtime_seconds', 'total_actions', 'total_trades',
  'total_trade_volume', 'total_combat_events', 'unique_sectors_visited',
}
local DAILY_COUNTS = {'sessions', 'playtime_seconds', 'actions', 'trades', 'trade_volume', 'combat_events'}

-- An open session, or nil when absent or rejected: the decoded record
-- itself, its fields checked and normalised in place (unknown fields stay
-- in the table, unused: the encoders write the known ones only).
local function read_session(raw)
  local s = decode_object(raw)
  if not s or type(s.player_id) ~= 'string' then return nil end
  if not parse_ts(s.login_at, true) or not parse_ts(s.last_activity_at, true) then return nil end
  if not read_counts(s, SESSION_COUNTS, s) then return nil end
  local sectors_visited = read_list(s, 'sectors_visited')
  local last_seen_at = read_optional_ts(s, 'last_seen_at')
  if sectors_visited == nil or last_seen_at == nil then return nil end
  s.sectors_visited = sectors_visited
  s.last_seen_at = last_seen_at or nil
  return s
end

-- The summary's counters and sectors; all zero when absent or rejected.
local function read_summary(raw)
  local s = decode_object(raw) or {}
  local summary = read_counts(s, SUMMARY_COUNTS, {})
  local all_sectors = read_list(s, 'all_sectors')
  if not summary or not all_sectors or read_optional_ts(s, 'last_updated') == nil then
    summary, all_sectors = read_counts({}, SUMMARY_COUNTS, {}), {}
  end
  summary.all_sectors = all_sectors
  return summary
end

local function read_daily(raw)
  return read_counts(decode_object(raw) or {}, DAILY_COUNTS, {}) or read_counts({}, DAILY_COUNTS, {})
end

-- enc_str_array's bytes, in one scan and one concat when no item holds a
-- character cjson escapes (a control character, '"', '\' or '/').
local function enc_plain_str_array(list)
  if #list == 0 then return '[]' end
  if find(concat(list), '[%c"\\/]') then return enc_str_array(list) end
  return '["' .. concat(list, '","') .. '"]'
end

-- The session and event encoders, written out by hand (the same bytes
-- enc_object makes): the hot path's encoders, without a table per field.
-- A caller that encodes one session many times (activities.lua) encodes
-- the parts that change seldom once and calls the *_parts versions.

-- A session's fields before the counters, and after the sectors.
-- last_seen_at (written by heartbeats only; the original ignores it) is
-- kept when present, so a session that never had a heartbeat keeps exactly
-- the original's fields.
local function session_head(s)
  return '{"player_id":' .. enc_str(s.player_id) .. ',"login_at":' .. enc_plain(s.login_at)
    .. ',"last_activity_at":' .. enc_plain(s.last_activity_at)
end

local function session_tail(s)
  if s.last_seen_at then return ',"last_seen_at":' .. enc_plain(s.last_seen_at) .. '}' end
  return '}'
end

-- encode_session(s), given session_head(s), session_tail(s) and enc_plain_str_array(s.sectors_visited).
local function encode_session_parts(head, s, sectors_json, tail)
  return head .. ',"actions_count":' .. enc_num(s.actions_count) .. ',"trades_count":' .. enc_num(s.trades_count)
    .. ',"trade_volume":' .. enc_num(s.trade_volume) .. ',"combat_events":' .. enc_num(s.combat_events)
    .. ',"sectors_visited":' .. sectors_json .. tail
end

local function encode_session(s)
  return encode_session_parts(session_head(s), s, enc_plain_str_array(s.sectors_visited), session_tail(s))
end

-- event_id (the caller's, optional) is written only when given, so an event
-- without one keeps exactly the original's fields.
-- encode_event(event_type, timestamp, details_json, event_id), given enc_plain(timestamp).
local function encode_event_parts(event_type, timestamp_json, details_json, event_id)
  local head = '{"event_type":' .. enc_plain(event_type) .. ',"timestamp":' .. timestamp_json .. ',"details":' .. details_json
  if event_id then return head .. ',"event_id":' .. enc_str(event_id) .. '}' end
  return head .. '}'
end

local function encode_event(event_type, timestamp, details_json, event_id)
  return encode_event_parts(event_type, enc_plain(timestamp), details_json, event_id)
end
