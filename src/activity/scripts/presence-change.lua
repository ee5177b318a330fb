-- Adds a player to or removes one from the online set, publishing the count
-- when the set changed. Used on a Redis Cluster, where the set lives in its
-- own slot and cannot be touched by the per-player scripts.
-- KEYS[1] online set, KEYS[2] version; ARGV: 'add' | 'remove', player id, channel.
-- Returns 1 when the set changed, else 0.
return change_online(KEYS[1], KEYS[2], ARGV[3], ARGV[1], ARGV[2])
