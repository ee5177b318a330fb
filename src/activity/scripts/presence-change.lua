-- Adds a player to or removes one from the online set, publishing the count
-- when the set changed. Used on a Redis Cluster, where the set lives in its
-- own slot and cannot be touched by the per-player scripts.
-- KEYS[1] online set, KEYS[2] version; ARGV: 'add' | 'remove', player id, channel.
-- Returns 1 when the set changed, else 0.
local changed
if ARGV[1] == 'add' then
  changed = redis.call('SADD', KEYS[1], ARGV[2])
else
  changed = redis.call('SREM', KEYS[1], ARGV[2])
end
if changed == 1 then
  redis.call('PUBLISH', ARGV[3], count_message(KEYS[1], redis.call('INCR', KEYS[2])))
end
return changed
