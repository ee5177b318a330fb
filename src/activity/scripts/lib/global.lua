-- Game-wide numbers, kept beside the online set under A.global_prefix (on a
-- Cluster in the online set's slot):
--   <prefix>daily:<date>    hash of the day's counters (A.global_daily_ttl)
--   <prefix>players:<date>  HyperLogLog of the players seen that day (A.global_daily_ttl)
--   <prefix>online:<date>   hash of each minute with a change: p:HH:MM, the
--                           peak within it, and l:HH:MM, the count it ended with
--                           (A.global_online_ttl)
-- A.global_prefix and the TTLs are constants of every script that uses this
-- library. These keys are this service's own (no other program writes them).
-- A key's TTL is set when a write may have created it (a field that did not
-- exist, a HyperLogLog that changed), not on every write: the day's keys are
-- written for about a day and kept for A.global_daily_ttl (400 days) after.

local function global_key(kind, date)
  return A.global_prefix .. kind .. ':' .. date
end

-- The exact sum of decimal strings (digits, an optional fraction), as a
-- decimal string; nil when one has another form or the sum would not stay
-- exact in a double. Summing the doubles instead would show rounding noise
-- (10.1 + 10.1 + 10.1 = 30.299999999999997) that the per-event
-- HINCRBYFLOATs, in long double, do not.
local function decimal_sum(amounts)
  local scale = 0
  for i = 1, #amounts do
    local frac = match(amounts[i], '^%d+%.?(%d*)$')
    if not frac or #frac > 9 then return nil end
    if #frac > scale then scale = #frac end
  end
  local unit = 10 ^ scale
  local total = 0
  for i = 1, #amounts do
    local int, frac = match(amounts[i], '^(%d+)%.?(%d*)$')
    local scaled = frac .. string.rep('0', scale - #frac)
    total = total + tonumber(int) * unit + (scaled == '' and 0 or tonumber(scaled))
    if total >= 9007199254740992 then return nil end
  end
  local whole = format('%.0f', floor(total / unit))
  if scale == 0 then return whole end
  return whole .. '.' .. format('%0' .. scale .. '.0f', total % unit)
end

-- Adds `amount` (a string) to one day's counter: HINCRBY, HINCRBYFLOAT for
-- trade_volume; returns whether the reply equals the amount (the field, and
-- perhaps the key, was just created).
local function add_to_counter(key, field, amount)
  local command = field == 'trade_volume' and 'HINCRBYFLOAT' or 'HINCRBY'
  return tonumber(redis_call(command, key, field, amount)) == tonumber(amount)
end

-- Writes one day's counter by each amount (strings), folded into one command
-- when the sum is exact.
local function write_global_counter(date, field, amounts)
  local key = global_key('daily', date)
  local sum = amounts[1]
  if #amounts > 1 then
    if field ~= 'trade_volume' then
      sum = 0
      for i = 1, #amounts do sum = sum + tonumber(amounts[i]) end
      sum = format('%.0f', sum)
    else
      sum = decimal_sum(amounts)
    end
  end
  local created = false
  if sum then
    created = add_to_counter(key, field, sum)
  else
    for i = 1, #amounts do created = add_to_counter(key, field, amounts[i]) or created end
  end
  if created then redis_call('EXPIRE', key, A.global_daily_ttl) end
end

-- Adds the day's players to its HyperLogLog: one PFADD for all of them.
local function write_global_players(date, ...)
  local key = global_key('players', date)
  if redis_call('PFADD', key, ...) == 1 then
    redis_call('EXPIRE', key, A.global_daily_ttl)
  end
end

-- Whether two notes name the same (date, field): only then is there
-- anything to fold. A per-event script's few notes never do.
local function notes_repeat(notes)
  for i = 1, #notes, 3 do
    for j = i + 3, #notes, 3 do
      if notes[i] == notes[j] and notes[i + 1] == notes[j + 1] then return true end
    end
  end
  return false
end

-- Writes notes (date, field, amount triples; the field 'seen' names a
-- player to add to the day's distinct players) folded by (date, field): one
-- command per day's counter and one PFADD per day, in first-seen order.
local function apply_global_notes(notes)
  if #notes <= 15 and not notes_repeat(notes) then
    local key, key_date
    for i = 1, #notes, 3 do
      local date, field, amount = notes[i], notes[i + 1], notes[i + 2]
      if field == 'seen' then
        write_global_players(date, amount)
      else
        if date ~= key_date then key, key_date = global_key('daily', date), date end
        if add_to_counter(key, field, amount) then redis_call('EXPIRE', key, A.global_daily_ttl) end
      end
    end
    return
  end
  local counters, order, players, player_dates = {}, {}, {}, {}
  for i = 1, #notes, 3 do
    local date, field, amount = notes[i], notes[i + 1], notes[i + 2]
    if field == 'seen' then
      if not players[date] then
        players[date] = {}
        player_dates[#player_dates + 1] = date
      end
      local list = players[date]
      list[#list + 1] = amount
    else
      local slot = date .. ' ' .. field
      if not counters[slot] then
        counters[slot] = {date, field, {}}
        order[#order + 1] = slot
      end
      local amounts = counters[slot][3]
      amounts[#amounts + 1] = amount
    end
  end
  for i = 1, #order do
    local counter = counters[order[i]]
    write_global_counter(counter[1], counter[2], counter[3])
  end
  for i = 1, #player_dates do write_global_players(player_dates[i], unpack(players[player_dates[i]])) end
end

-- What a per-player script adds, noted while it runs and written by global_reply.
local GLOBAL = {}

-- Adds `amount` (a string, or a whole number) to a day's counter.
local function global_add(date, field, amount)
  if type(amount) == 'number' then amount = format('%.0f', amount) end
  GLOBAL[#GLOBAL + 1] = date
  GLOBAL[#GLOBAL + 1] = field
  GLOBAL[#GLOBAL + 1] = amount
end

-- Counts a player (the call's own when none is given) among the day's players.
local function global_seen(date, player_id)
  global_add(date, 'seen', player_id or A.player_id)
end

-- Every per-player script returns through this. On a single server (the
-- script got K.online) what it noted is written now, in the same atomic
-- step, and the reply is returned as it is. On a Cluster the global keys
-- live in another slot: the reply comes back as {reply, notes} and the store
-- writes the notes there right after (global-apply.lua), as it does with the
-- online set.
local function global_reply(reply)
  if K.online then
    apply_global_notes(GLOBAL)
    return reply
  end
  return {reply, GLOBAL}
end

-- The online count went from `before` to `after` at A.now_ts: the minute's
-- peak and last count, and the day's peak. Called where the set changes.
local function global_online_changed(before, after)
  local minute = sub(A.now_ts, 12, 16)
  local minutes = global_key('online', A.now_date)
  local peak = max(tonumber(redis_call('HGET', minutes, 'p:' .. minute)) or 0, before, after)
  if redis_call('HSET', minutes, 'p:' .. minute, peak, 'l:' .. minute, after) > 0 then
    redis_call('EXPIRE', minutes, A.global_online_ttl)
  end
  local daily = global_key('daily', A.now_date)
  if peak > (tonumber(redis_call('HGET', daily, 'peak_online')) or 0) then
    if redis_call('HSET', daily, 'peak_online', peak) > 0 then redis_call('EXPIRE', daily, A.global_daily_ttl) end
  end
end
