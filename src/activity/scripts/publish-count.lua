-- Publishes the online count. Reading and publishing in one script keeps the
-- message ordered with every other change of the set, so it can never
-- overwrite a newer count on the subscribers' side.
-- KEYS[1] online set; ARGV[1] channel. Returns the count.
local count = redis.call('SCARD', KEYS[1])
redis.call('PUBLISH', ARGV[1], count)
return count
