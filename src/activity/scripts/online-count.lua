-- The online count and its version, read together.
-- KEYS[1] online set, KEYS[2] version. Returns the same message the channel carries.
return count_message(KEYS[1], tonumber(redis.call('GET', KEYS[2])) or 0)
