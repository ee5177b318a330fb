-- Shared by every script that reads or changes the online set (prepended,
-- see scripts.ts): the message the count channel carries.
local function count_message(online_key, version)
  return '{"count":' .. redis.call('SCARD', online_key) .. ',"version":' .. version .. '}'
end
