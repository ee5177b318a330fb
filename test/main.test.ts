import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../src/auth.ts';
import { loadConfig } from '../src/config.ts';
import { freePort, LocalRedisServer, resolveRedis } from '../src/redis-server.ts';
import { eventually } from './support/eventually.ts';
import { TEST_JWT_SECRET } from './support/harness.ts';
import { startMain } from './support/main-process.ts';

/** `npm start` as a user runs it: the real entry point in a child process. */

let redisServer: LocalRedisServer;
beforeAll(async () => {
  redisServer = await LocalRedisServer.start();
});
afterAll(async () => {
  await redisServer?.stop();
});

describe('the entry point', () => {
  it('serves GraphQL on PORT and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const main = startMain({ PORT: String(port), REDIS_URL: redisServer.url, JWT_SECRET: TEST_JWT_SECRET });
    await eventually(() => expect(main.output()).toContain(`listening on http://127.0.0.1:${port}/graphql`), {
      timeoutMs: 10_000,
    });

    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await mintToken(TEST_JWT_SECRET, { role: 'admin' })}`,
      },
      body: JSON.stringify({ query: '{ onlinePlayerCount }' }),
    });
    expect(await response.json()).toEqual({ data: { onlinePlayerCount: 0 } });

    main.child.kill('SIGTERM');
    const [code] = await main.exited;
    expect(code).toBe(0);
    expect(main.output()).toContain('SIGTERM received');
  });

  it('exits with a message naming REDIS_URL when that Redis does not answer', async () => {
    const deadPort = await freePort();
    const main = startMain({ PORT: '0', REDIS_URL: `redis://127.0.0.1:${deadPort}` });
    const [code] = await main.exited;
    expect(code).toBe(1);
    expect(main.output()).toContain(`Cannot reach Redis at redis://127.0.0.1:${deadPort} (set REDIS_URL)`);
  });

  it('exits with a message naming the variable when the configuration is bad', async () => {
    const main = startMain({ PORT: 'not-a-port' });
    const [code] = await main.exited;
    expect(code).toBe(1);
    expect(main.output()).toContain('PORT');
  });
});

describe('the Redis fallback of npm start', () => {
  const unsetConfig = async () => {
    const config = loadConfig({});
    // REDIS_URL left unset, and nothing answering at the default address.
    return { ...config, redis: { ...config.redis, url: `redis://127.0.0.1:${await freePort()}` } };
  };

  it('starts a private redis-server when none answers at the default URL, and says so', async () => {
    const warnings: string[] = [];
    const { config, localRedis } = await resolveRedis(await unsetConfig(), { warn: (m) => warnings.push(m) });
    try {
      expect(localRedis).toBeDefined();
      expect(config.redis.url).toBe(localRedis?.url);
      expect(warnings.join('\n')).toMatch(/started a private throwaway redis-server at redis:\/\/127\.0\.0\.1:\d+/);
    } finally {
      await localRedis?.stop();
    }
  });

  it('gives a clear error naming REDIS_URL when no redis-server can be started', async () => {
    await expect(resolveRedis(await unsetConfig(), { warn: () => {}, binary: 'no-such-redis-server' })).rejects.toThrow(
      /Set REDIS_URL to a reachable Redis/,
    );
  });

  it('leaves an explicit REDIS_URL alone', async () => {
    const config = loadConfig({ REDIS_URL: redisServer.url });
    const resolved = await resolveRedis(config, { warn: () => {} });
    expect(resolved.localRedis).toBeUndefined();
    expect(resolved.config.redis.url).toBe(redisServer.url);
  });
});
