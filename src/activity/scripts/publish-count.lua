-- Publishes the online count with its current version (no change, no bump):
-- heals subscribers that missed a message while disconnected.
-- KEYS[1] online set, KEYS[2] version; ARGV[1] channel. Returns the message.
local message = count_message(KEYS[1], tonumber(redis.call('GET', KEYS[2])) or 0)
redis.call('PUBLISH', ARGV[1], message)
return message
