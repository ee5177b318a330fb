-- Game-wide numbers, kept beside the online set under A.global_prefix (on a
-- Cluster in the online set's slot):
--   <prefix>daily:<date>    hash of the day's counters (A.global_daily_ttl)
--   <prefix>players:<date>  HyperLogLog of the players seen that day (A.global_daily_ttl)
--   <prefix>online:<date>   hash of each minute with a change: p:HH:MM, the
--                           peak within it, and l:HH:MM, the count it ended with
--                           (A.global_online_ttl)
-- A.global_prefix and the TTLs are constants of every script that uses this
-- library. These keys are this service's own (no other program writes them).

local function global_key(kind, date)
  return A.global_prefix .. kind .. ':' .. date
end

-- Adds `amount` (a string) to a day's counter; the field 'seen' adds a player
-- to the day's distinct players instead.
local function apply_global(date, field, amount)
  if field == 'seen' then
    local key = global_key('players', date)
    redis.call('PFADD', key, amount)
    redis.call('EXPIRE', key, A.global_daily_ttl)
    return
  end
  local key = global_key('daily', date)
  redis.call(field == 'trade_volume' and 'HINCRBYFLOAT' or 'HINCRBY', key, field, amount)
  redis.call('EXPIRE', key, A.global_daily_ttl)
end

-- What a per-player script adds, noted while it runs and written by global_reply.
local GLOBAL = {}

local function global_add(date, field, amount)
  if type(amount) == 'number' then amount = string.format('%.0f', amount) end
  GLOBAL[#GLOBAL + 1] = date
  GLOBAL[#GLOBAL + 1] = field
  GLOBAL[#GLOBAL + 1] = amount
end

local function global_seen(date)
  global_add(date, 'seen', A.player_id)
end

-- Every per-player script returns through this. On a single server (the
-- script got K.online) what it noted is written now, in the same atomic
-- step, and the reply is returned as it is. On a Cluster the global keys
-- live in another slot: the reply comes back as {reply, notes} and the store
-- writes the notes there right after (global-apply.lua), as it does with the
-- online set.
local function global_reply(reply)
  if K.online then
    for i = 1, #GLOBAL, 3 do apply_global(GLOBAL[i], GLOBAL[i + 1], GLOBAL[i + 2]) end
    return reply
  end
  return {reply, GLOBAL}
end

-- The online count went from `before` to `after` at A.now_ts: the minute's
-- peak and last count, and the day's peak. Called where the set changes.
local function global_online_changed(before, after)
  local minute = string.sub(A.now_ts, 12, 16)
  local minutes = global_key('online', A.now_date)
  local peak = math.max(tonumber(redis.call('HGET', minutes, 'p:' .. minute)) or 0, before, after)
  redis.call('HSET', minutes, 'p:' .. minute, peak, 'l:' .. minute, after)
  redis.call('EXPIRE', minutes, A.global_online_ttl)
  local daily = global_key('daily', A.now_date)
  if peak > (tonumber(redis.call('HGET', daily, 'peak_online')) or 0) then
    redis.call('HSET', daily, 'peak_online', peak)
  end
  redis.call('EXPIRE', daily, A.global_daily_ttl)
end
