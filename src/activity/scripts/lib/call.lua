-- Decodes a call. Each script is a function of the library runner.ts loads
-- (Redis Functions); its entry, written by ../redis/function-library.ts,
-- calls decode_call with the script's key names and its constants (TTLs,
-- caps, the channel), both written into the library once. The runner sends
-- the keys in key-name order and the call's own arguments as name/value
-- pairs:  keys = {k1, k2}  args = {'player_id', 'p-1', 'now_us', '17…'}
-- Scripts read K.session, A.player_id, A.session_ttl and never count
-- positions. Arguments named in NUMBER_ARGS arrive as numbers; every other
-- one is a string. TTLs that only ever go to Redis (EXPIRE, SET … EX) stay
-- strings: a number is formatted again (%.17g) each time redis.call sends it.
local NUMBER_ARGS = {
  now_us = true,
  max_events = true, max_session_sectors = true, max_summary_sectors = true,
  idle_timeout_us = true,
  event_id_ttl = true, event_id_cap = true,
}

-- Globals: a function reaches one through its sandbox's metatable (about
-- 250 instructions per access, measured with callgrind on Redis 7.0). The
-- ones the hot path uses are kept in these locals, bound at the first call
-- (while a library loads, none of them is there yet); the rest of the
-- libraries and scripts name the locals, not the globals.
local type, tonumber, tostring, next, pairs, ipairs, pcall, error, setmetatable, unpack
local byte, find, sub, format, match, floor, abs, max, concat
local json_encode, json_decode, json_null, redis_call, redis_pcall

local function bind_globals()
  local G = _G
  type, tonumber, tostring, next, pairs, ipairs, pcall, error, setmetatable, unpack =
    G.type, G.tonumber, G.tostring, G.next, G.pairs, G.ipairs, G.pcall, G.error, G.setmetatable, G.unpack
  local string, math = G.string, G.math
  byte, find, sub, format, match = string.byte, string.find, string.sub, string.format, string.match
  floor, abs, max, concat = math.floor, math.abs, math.max, G.table.concat
  json_encode, json_decode, json_null = G.cjson.encode, G.cjson.decode, G.cjson.null
  redis_call, redis_pcall = G.redis.call, G.redis.pcall
end

-- The call under way. The library's helpers share these; every function
-- entry sets them for its call (nothing of a previous call may show).
local K, A

-- Once per definition, at its first call: the tables its calls decode
-- into, reused call after call (a table that grows field by field is
-- rehashed on the way; one refilled with the same names is not). The
-- constants (numbers converted) are read through A's metatable, so no call
-- copies them.
local function call_state(constants)
  bind_globals()
  for name, value in pairs(constants) do
    if NUMBER_ARGS[name] then constants[name] = tonumber(value) end
  end
  return {keys = {}, args = setmetatable({}, {__index = constants}), previous = {}}
end

local function decode_call(keys, args, key_names, state)
  K = state.keys
  for i = 1, #key_names do K[key_names[i]] = keys[i] end
  A = state.args
  local previous = state.previous
  for i = 1, #previous, 2 do A[previous[i]] = nil end
  state.previous = args
  for i = 1, #args, 2 do
    local name = args[i]
    if NUMBER_ARGS[name] then A[name] = tonumber(args[i + 1]) else A[name] = args[i + 1] end
  end
end
