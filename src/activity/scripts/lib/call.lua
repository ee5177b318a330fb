-- Decodes a call. The runner passes KEYS in any order with their names as
-- the first #KEYS entries of ARGV, then the arguments as name/value pairs:
--   KEYS = {k1, k2}  ARGV = {'session', 'events', 'player_id', 'p-1', 'now_us', '17…'}
-- Scripts read K.session, A.player_id and never count positions. Arguments
-- named in NUMBER_ARGS arrive as numbers; every other one is a string.
local NUMBER_ARGS = {
  now_us = true,
  session_ttl = true, events_ttl = true, summary_ttl = true, daily_ttl = true,
  max_events = true, max_session_sectors = true, max_summary_sectors = true,
  idle_timeout_us = true,
}

local K, A = {}, {}
for i = 1, #KEYS do K[ARGV[i]] = KEYS[i] end
for i = #KEYS + 1, #ARGV, 2 do
  local name, value = ARGV[i], ARGV[i + 1]
  if NUMBER_ARGS[name] then value = tonumber(value) end
  A[name] = value
end
