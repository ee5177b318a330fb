-- KEYS: session, events, online set. ARGV: player id, now, session JSON, event JSON.
redis.call('SET', KEYS[1], ARGV[3], 'EX', 86400)
redis.call('LPUSH', KEYS[2], ARGV[4])
redis.call('LTRIM', KEYS[2], 0, 499)
redis.call('EXPIRE', KEYS[2], 604800)
redis.call('SADD', KEYS[3], ARGV[1])
return ARGV[3]
