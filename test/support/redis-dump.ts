import type { Redis } from 'ioredis';

export interface StoredKey {
  type: string;
  value: unknown;
  ttl: number;
}

/**
 * Every key Redis holds with its type, value and TTL, to show that a call
 * changed nothing. TTLs are in seconds, or rounded up to minutes when the
 * comparison must not see the clock tick (a write restarts a TTL at hours
 * or days, so it still shows).
 */
export async function dumpRedis(
  redis: Redis,
  { ttlIn = 'seconds' }: { ttlIn?: 'seconds' | 'minutes' } = {},
): Promise<Record<string, StoredKey>> {
  const entries: Record<string, StoredKey> = {};
  for (const key of (await redis.keys('*')).sort()) {
    const type = await redis.type(key);
    const value =
      type === 'string'
        ? await redis.get(key)
        : type === 'list'
          ? await redis.lrange(key, 0, -1)
          : type === 'set'
            ? (await redis.smembers(key)).sort()
            : type;
    const pttl = await redis.pttl(key);
    entries[key] = { type, value, ttl: pttl < 0 ? pttl : Math.ceil(pttl / (ttlIn === 'minutes' ? 60_000 : 1000)) };
  }
  return entries;
}
