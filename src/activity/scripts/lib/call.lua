-- Decodes a call. The runner writes the script's key names (KEY_NAMES) and
-- its constants (CONSTANTS: TTLs, caps, the channel) above this file once,
-- and sends KEYS in KEY_NAMES order and the call's own arguments as
-- name/value pairs:  KEYS = {k1, k2}  ARGV = {'player_id', 'p-1', 'now_us', '17…'}
-- Scripts read K.session, A.player_id, A.session_ttl and never count
-- positions. Arguments named in NUMBER_ARGS arrive as numbers; every other
-- one is a string.
local NUMBER_ARGS = {
  now_us = true,
  session_ttl = true, events_ttl = true, summary_ttl = true, daily_ttl = true,
  max_events = true, max_session_sectors = true, max_summary_sectors = true,
  idle_timeout_us = true,
  global_daily_ttl = true, global_online_ttl = true,
  event_id_ttl = true, event_id_cap = true,
}

local K, A = {}, {}
for i = 1, #KEYS do K[KEY_NAMES[i]] = KEYS[i] end
for name, value in pairs(CONSTANTS) do A[name] = value end
for i = 1, #ARGV, 2 do A[ARGV[i]] = ARGV[i + 1] end
for name in pairs(NUMBER_ARGS) do
  if A[name] ~= nil then A[name] = tonumber(A[name]) end
end
