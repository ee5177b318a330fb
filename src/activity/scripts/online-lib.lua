-- Shared by every script that reads or changes the online set (prepended,
-- see scripts.ts).

-- The message the count channel carries.
local function count_message(online_key, version)
  return '{"count":' .. redis.call('SCARD', online_key) .. ',"version":' .. version .. '}'
end

-- Adds ('add') or removes ('remove') a player. Every change of the set bumps
-- its version and publishes the count with it, so a subscriber can tell an
-- older count from a newer one whatever order its two connections' replies
-- are read in. Returns 1 when the set changed, else 0.
local function change_online(online_key, version_key, channel, change, player_id)
  local changed = redis.call(change == 'add' and 'SADD' or 'SREM', online_key, player_id)
  if changed == 1 then
    redis.call('PUBLISH', channel, count_message(online_key, redis.call('INCR', version_key)))
  end
  return changed
end
