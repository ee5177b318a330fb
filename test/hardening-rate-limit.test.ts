import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CostWindowLimiter, LEASE_FRACTION } from '../src/rate-limit/cost-window.ts';
import { ManualClock } from './support/clock.ts';
import { errorCodes, startTestService, type TestService, useTestService } from './support/harness.ts';
import { dumpRedis } from './support/redis-dump.ts';
import { firstResult } from './support/transports.ts';

/**
 * Issue 9.8: the rate limit counts writes (a batch of 500 events costs 500,
 * aliases add up) and is shared by every instance on the Redis. Issue 14:
 * instances lease the budget in chunks, never letting more than it through.
 */

const BUDGET = 600;
const service = useTestService({ env: { RATE_LIMIT_MUTATIONS_PER_MINUTE: String(BUDGET) } });

const batch = (count: number, playerId = 'p1') =>
  Array.from({ length: count }, () => ({ playerId, eventType: 'DOCK' }));
const BATCH = 'mutation($e: [ActivityInput!]!) { trackActivities(events: $e) { event { eventType } } }';
const TWO_BATCHES =
  'mutation($a: [ActivityInput!]!, $b: [ActivityInput!]!) { a: trackActivities(events: $a) { event { eventType } } b: trackActivities(events: $b) { event { eventType } } }';

const send = async (url: string, token: string, query: string, variables: Record<string, unknown> = {}) =>
  firstResult('http', url, token, { query, variables });

describe(`RATE_LIMIT_MUTATIONS_PER_MINUTE=${BUDGET} counts writes`, () => {
  it('a batch of 500 events costs 500: a second batch of 200 in the same minute is refused whole', async () => {
    const token = await service.token({ role: 'service', subject: 'batcher' });
    expect((await send(service.url, token, BATCH, { e: batch(500) })).errors).toBeUndefined();
    const before = await dumpRedis(service.redis);
    const refused = await send(service.url, token, BATCH, { e: batch(200) });
    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ cost: 200, limit: BUDGET });
    // Nothing of the refused batch was written (the budget's own keys aside).
    const withoutBudget = (dump: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(dump).filter(([key]) => !key.startsWith('ratelimit:')));
    expect(withoutBudget(await dumpRedis(service.redis))).toEqual(withoutBudget(before));
    expect(await service.redis.llen('activity:events:p1')).toBe(500);
    // The refusal cost nothing: 100 more still fit.
    expect((await send(service.url, token, BATCH, { e: batch(100) })).errors).toBeUndefined();
    expect(errorCodes(await send(service.url, token, 'mutation { trackLogin(playerId: "p1") { playerId } }'))).toEqual([
      'RATE_LIMITED',
    ]);
    expect(await service.redis.sismember('activity:online_players', 'p1')).toBe(0);
  });

  it('aliases add up: two aliased batches of 350 are 700, over the budget, and neither is written', async () => {
    const token = await service.token({ role: 'service', subject: 'aliaser' });
    const refused = await send(service.url, token, TWO_BATCHES, { a: batch(350), b: batch(350) });
    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ cost: 700 });
    expect(await service.redis.keys('activity:*')).toEqual([]);
    expect((await send(service.url, token, TWO_BATCHES, { a: batch(300), b: batch(300) })).errors).toBeUndefined();
    expect(await service.redis.llen('activity:events:p1')).toBe(500); // the list keeps the last 500
  });

  it('names a single operation larger than the whole budget', async () => {
    const small = await startTestService({ env: { RATE_LIMIT_MUTATIONS_PER_MINUTE: '100' } });
    try {
      const refused = await send(small.url, await small.token({ role: 'service', subject: 'big' }), BATCH, {
        e: batch(101),
      });
      expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
      expect(refused.errors?.[0]?.message).toMatch(/more than the 100 a caller may write in a minute: split it/);
    } finally {
      await small.stop();
    }
  });

  it('queries cost nothing against it, and the budget comes back the next minute', async () => {
    const token = await service.token({ role: 'service', subject: 'minute' });
    expect(
      (await send(service.url, token, TWO_BATCHES, { a: batch(BUDGET / 2), b: batch(BUDGET / 2) })).errors,
    ).toBeUndefined();
    for (let n = 0; n < 5; n += 1)
      expect((await send(service.url, token, '{ onlinePlayerCount }')).errors).toBeUndefined();
    expect(errorCodes(await send(service.url, token, BATCH, { e: batch(1) }))).toEqual(['RATE_LIMITED']);
    service.clock.advance(60_000);
    expect((await send(service.url, token, BATCH, { e: batch(1) })).errors).toBeUndefined();
  });
});

describe('shared by every instance on one Redis', () => {
  let second: TestService;
  beforeAll(async () => {
    second = await startTestService({
      redisServer: service.redisServer,
      env: { RATE_LIMIT_MUTATIONS_PER_MINUTE: String(BUDGET) },
    });
  });
  afterAll(async () => {
    await second.stop();
  });

  it('what one instance let through counts on the other', async () => {
    second.clock.set(service.clock.now());
    const token = await service.token({ role: 'service', subject: 'everywhere' });
    expect((await send(service.url, token, BATCH, { e: batch(400) })).errors).toBeUndefined();
    expect(errorCodes(await send(second.url, token, BATCH, { e: batch(201) }))).toEqual(['RATE_LIMITED']);
    expect((await send(second.url, token, BATCH, { e: batch(200) })).errors).toBeUndefined();
    expect(errorCodes(await send(service.url, token, BATCH, { e: batch(1) }))).toEqual(['RATE_LIMITED']);
  });
});

describe('leases: instances take the shared budget in chunks and spend them in memory', () => {
  const LEASED_BUDGET = 100;
  const largest = Math.floor(LEASED_BUDGET * LEASE_FRACTION); // 5
  let clients: Redis[] = [];
  const clock = new ManualClock('2026-11-23T22:00:00.000Z');
  const limiter = () => {
    const client = new Redis(service.redisServer.url);
    clients.push(client);
    return new CostWindowLimiter(client, LEASED_BUDGET, clock);
  };
  const used = async (caller: string) =>
    Number((await service.redis.get(`ratelimit:${caller}:${Math.floor(clock.now().getTime() / 60_000)}`)) ?? 0);
  afterEach(async () => {
    await Promise.all(clients.map((client) => client.quit()));
    clients = [];
  });

  it('spends a lease without asking Redis, and asks again once it is spent', async () => {
    const one = limiter();
    expect((await one.charge('leaser', 1)).allowed).toBe(true);
    expect(await used('leaser')).toBe(largest);
    for (let n = 1; n < largest; n += 1) expect((await one.charge('leaser', 1)).allowed).toBe(true);
    expect(await used('leaser')).toBe(largest);
    expect((await one.charge('leaser', 1)).allowed).toBe(true);
    expect(await used('leaser')).toBe(2 * largest);
  });

  it('two instances sharing a budget let through exactly the budget between them, never more', async () => {
    const [a, b] = [limiter(), limiter()];
    let allowed = 0;
    let refusedBoth = false;
    for (let n = 0; n < 2 * LEASED_BUDGET && !refusedBoth; n += 1) {
      const [fromA, fromB] = [await a.charge('shared', 1), await b.charge('shared', 1)];
      allowed += Number(fromA.allowed) + Number(fromB.allowed);
      refusedBoth = !fromA.allowed && !fromB.allowed;
    }
    expect(refusedBoth).toBe(true);
    expect(allowed).toBe(LEASED_BUDGET);
    expect(await used('shared')).toBe(LEASED_BUDGET);
  });

  it('concurrent writes on one instance never spend the same leased units twice', async () => {
    const one = limiter();
    const charges = await Promise.all(Array.from({ length: 150 }, () => one.charge('burst', 1)));
    expect(charges.filter((charge) => charge.allowed)).toHaveLength(LEASED_BUDGET);
  });

  it('when the shared budget is spent, a write its lease cannot cover is refused and takes nothing', async () => {
    const [a, b] = [limiter(), limiter()];
    expect((await a.charge('drained', 1)).allowed).toBe(true); // a holds the rest of a lease
    expect((await b.charge('drained', LEASED_BUDGET - largest)).allowed).toBe(true);
    expect(await used('drained')).toBe(LEASED_BUDGET);
    const refused = await b.charge('drained', 1);
    expect(refused).toMatchObject({ allowed: false });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(await used('drained')).toBe(LEASED_BUDGET);
    // What b could not have is what a still holds: at most one lease, spent by a alone.
    for (let n = 1; n < largest; n += 1) expect((await a.charge('drained', 1)).allowed).toBe(true);
    expect((await a.charge('drained', 1)).allowed).toBe(false);
  });

  it('leases lapse with their window: the next minute starts with the whole budget', async () => {
    const one = limiter();
    expect((await one.charge('minutes', LEASED_BUDGET)).allowed).toBe(true);
    expect((await one.charge('minutes', 1)).allowed).toBe(false);
    clock.advance(60_000);
    expect((await one.charge('minutes', LEASED_BUDGET)).allowed).toBe(true);
  });
});
