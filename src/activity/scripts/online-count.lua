-- The online count and its version, read together.
-- KEYS[1] online set, KEYS[2] version. Returns the same message the channel carries.
return '{"count":' .. redis.call('SCARD', KEYS[1])
  .. ',"version":' .. (tonumber(redis.call('GET', KEYS[2])) or 0) .. '}'
