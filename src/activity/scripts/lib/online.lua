-- The online set, its version, and the message the count channel carries.

local function count_message(count, version)
  return '{"count":' .. count .. ',"version":' .. version .. '}'
end

-- The count with its current version, read together (no change, no bump).
-- Keys: online, online_version.
local function current_count_message()
  local version = tonumber(redis_call('GET', K.online_version)) or 0
  return count_message(redis_call('SCARD', K.online), version)
end

-- Adds ('add') or removes ('remove') a player. Every change of the set bumps
-- its version and publishes the count with it, so a subscriber can tell an
-- older count from a newer one whatever order its two connections' replies
-- are read in. Returns 1 when the set changed, else 0.
local function change_online(online_key, version_key, channel, change, player_id)
  local changed = redis_call(change == 'add' and 'SADD' or 'SREM', online_key, player_id)
  if changed == 1 then
    local version = redis_call('INCR', version_key)
    local after = redis_call('SCARD', online_key)
    redis_call('PUBLISH', channel, count_message(after, version))
    global_online_changed(change == 'add' and after - 1 or after + 1, after)
  end
  return changed
end

-- The one place where the two Redis modes differ in Lua. On a single server
-- the per-player scripts get the online set and its version as K.online and
-- K.online_version and change them here; on a Cluster the set lives in
-- another slot, the keys are not passed, and the caller changes the set
-- right after the script (online-change.lua). Returns 1 when this call
-- left the player out of the set or handed that to the caller, else 0.
local function join_online_set()
  if K.online then change_online(K.online, K.online_version, A.channel, 'add', A.player_id) end
end

local function leave_online_set()
  if not K.online then return 1 end
  return change_online(K.online, K.online_version, A.channel, 'remove', A.player_id)
end
