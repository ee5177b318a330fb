-- Publishes the online count with its current version (no change, no bump):
-- heals subscribers that missed a message while disconnected.
-- Keys: online, online_version. Arguments: channel (a constant). Returns the message.
local message = current_count_message()
redis_call('PUBLISH', A.channel, message)
return message
