-- Adds a player to or removes one from the online set, publishing the count
-- when the set changed: on a Redis Cluster after each per-player script (the
-- set lives in its own slot), and in both modes for strays the reaper drops.
-- Keys: online, online_version. Arguments: change ('add' | 'remove'), player_id; channel (a constant).
-- Returns 1 when the set changed, else 0.
return change_online(K.online, K.online_version, A.channel, A.change, A.player_id)
