import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../src/auth.ts';
import { freePort, LocalRedisServer } from '../src/redis-server.ts';
import { eventually } from './support/eventually.ts';
import { TEST_JWT_SECRET } from './support/harness.ts';
import { startMain } from './support/main-process.ts';
import { subscribeOverSse } from './support/transports.ts';

/** Three API processes behind an imaginary load balancer, on one Redis. */

let redisServer: LocalRedisServer;
let redis: Redis;
let instances: Instance[];
let authorization: string;

/** One API process as production runs it (`node dist/main.js`, NODE_ENV=production), started with test/support's startMain. */
interface Instance {
  url: string;
  stop(): Promise<void>;
}

async function startInstance(redisUrl: string): Promise<Instance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const main = startMain({
    NODE_ENV: 'production',
    PORT: String(port),
    REDIS_URL: redisUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'warn',
  });
  const stop = async () => {
    if (main.child.exitCode === null && main.child.signalCode === null) main.child.kill('SIGTERM');
    await main.exited;
  };
  try {
    // LOG_LEVEL=warn hides the "listening" line: it is up once /health answers.
    await eventually(async () => expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200), {
      timeoutMs: 45_000,
      intervalMs: 100,
    });
  } catch (error) {
    await stop();
    throw new Error(`an API instance did not start: ${(error as Error).message}\n${main.output()}`);
  }
  return { url, stop };
}

beforeAll(async () => {
  redisServer = await LocalRedisServer.start();
  redis = new Redis(redisServer.url);
  instances = await Promise.all([0, 1, 2].map(() => startInstance(redisServer.url)));
  authorization = `Bearer ${await mintToken(TEST_JWT_SECRET, { role: 'service', subject: 'game-server' })}`;
}, 60_000);
afterAll(async () => {
  redis?.disconnect();
  await Promise.all((instances ?? []).map((instance) => instance.stop()));
  await redisServer?.stop();
});

async function graphql(instance: Instance, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(instance.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data!;
}

const LOGIN = 'mutation($p: ID!) { trackLogin(playerId: $p) { playerId } }';
const LOGOUT = 'mutation($p: ID!) { trackLogout(playerId: $p) { playerId } }';
const ACT =
  'mutation($p: ID!) { trackActivity(playerId: $p, eventType: TRADE_SELL, details: { total_value: 1.5 }) { event { eventType } } }';

describe('three API instances on one Redis', () => {
  it('keep concurrent activities of one player spread over all three exact', async () => {
    await graphql(instances[0]!, LOGIN, { p: 'shared' });
    await Promise.all(Array.from({ length: 300 }, (_, n) => graphql(instances[n % 3]!, ACT, { p: 'shared' })));
    const data = await graphql(
      instances[2]!,
      '{ playerSession(playerId: "shared") { actionsCount tradesCount tradeVolume } }',
    );
    expect(data['playerSession']).toEqual({ actionsCount: 300, tradesCount: 300, tradeVolume: 450 });
  });

  it('let a subscriber on one instance see every change made through the others', async () => {
    const subscriber = instances[2]!;
    const feed = subscribeOverSse(subscriber.url, authorization.slice('Bearer '.length), {
      query: 'subscription { onlinePlayerCount }',
    });
    const values = () =>
      feed.results.flatMap((result) => {
        const count = (result.data as { onlinePlayerCount?: number } | null | undefined)?.onlinePlayerCount;
        return count === undefined ? [] : [count];
      });
    await eventually(() => expect(values().length).toBeGreaterThan(0), { timeoutMs: 5_000 });

    const players = Array.from({ length: 60 }, (_, n) => `mi-${n}`);
    await Promise.all(players.map((p, n) => graphql(instances[n % 2]!, LOGIN, { p })));
    await Promise.all(players.slice(0, 20).map((p, n) => graphql(instances[n % 2]!, LOGOUT, { p })));

    const truth = await redis.scard('activity:online_players');
    expect(truth).toBe(41); // 40 left of the burst, plus `shared`
    await eventually(() => expect(values().at(-1)).toBe(truth), { timeoutMs: 5_000 });
    feed.stop();
    await feed.ended;
  });
});
