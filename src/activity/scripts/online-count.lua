-- The online count and its version, read together.
-- Keys: online, online_version. Returns the same message the channel carries.
return current_count_message()
