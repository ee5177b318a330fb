-- Publishes the online count with its current version (no change, no bump):
-- heals subscribers that missed a message while disconnected.
-- Keys: online, online_version. Arguments: channel (a constant). Returns the message.
local message = count_message(K.online, tonumber(redis.call('GET', K.online_version)) or 0)
redis.call('PUBLISH', A.channel, message)
return message
