-- The online count and its version, read together.
-- Keys: online, online_version. Returns the same message the channel carries.
return count_message(K.online, tonumber(redis.call('GET', K.online_version)) or 0)
