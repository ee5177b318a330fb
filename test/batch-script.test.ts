import type { ResultOf } from '@graphql-typed-document-node/core';
import type { ExecutionResult } from 'graphql';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityInput } from './gql/graphql.ts';
import { GlobalDailyStats } from './support/global-operations.ts';
import { errorCodes, expectData, startTestService, type TestService } from './support/harness.ts';
import {
  RecentEventIds,
  TrackActivitiesWithIds,
  TrackActivityWithId,
  TrackHeartbeat,
  TrackLogin,
  TrackLoginWithId,
} from './support/operations.ts';

/**
 * A batch runs scripts/activities.lua once per chunk (up to 100 events, on
 * a single server up to 25 players) instead of the activity script once
 * per event; every event still gets the answer the per-event path gives,
 * and Redis ends up holding the same records and game-wide numbers.
 */

const NOW = '2026-11-23T10:00:00.000Z';
let batched: TestService;
let single: TestService;

beforeAll(async () => {
  [batched, single] = await Promise.all([startTestService(), startTestService()]);
});
afterAll(async () => {
  await Promise.all([batched?.stop(), single?.stop()]);
});
beforeEach(async () => {
  for (const service of [batched, single]) {
    await service.reset();
    service.clock.set(NOW);
  }
});

/** The day's game-wide numbers (the operation's variables are all optional). */
async function globalDay(service: TestService) {
  const run = service.run as unknown as (
    document: unknown,
    variables: unknown,
  ) => Promise<ExecutionResult<ResultOf<typeof GlobalDailyStats>>>;
  return expectData(await run(GlobalDailyStats, {})).globalDailyStats;
}

/** Every key with its value (a HyperLogLog by its count), and whether it expires. */
async function contents(redis: Redis): Promise<Record<string, unknown>> {
  const entries: Record<string, unknown> = {};
  for (const key of (await redis.keys('*')).sort()) {
    const type = await redis.type(key);
    const value =
      key.includes(':players:') && type === 'string'
        ? { players: await redis.pfcount(key, key) }
        : type === 'string'
          ? await redis.get(key)
          : type === 'list'
            ? await redis.lrange(key, 0, -1)
            : type === 'hash'
              ? await redis.hgetall(key)
              : (await redis.smembers(key)).sort();
    entries[key] = { type, value, expires: (await redis.pttl(key)) > 0 };
  }
  return entries;
}

/** mulberry32, so a failing batch can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['SECTOR_MOVE', 'TRADE_BUY', 'TRADE_SELL', 'COMBAT_ATTACK', 'DOCK', 'WARP'] as const;
// Sectors cjson escapes (or passes through) as well as plain ones.
const SECTORS = ['7', '42', 'a/b', 'q"x', 'tab\there', 'é', 'del\u007f', 'lone\ud800', '9'];

/**
 * A random batch over two players with sessions and one without, with event
 * ids that repeat (same payload: a duplicate; another: EVENT_ID_REUSED).
 * Trade values are multiples of 0.25, exact in binary, so that the day's
 * volume is exactly the same whether summed per event or per chunk.
 */
function randomBatch(seed: number, size: number): ActivityInput[] {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const events: ActivityInput[] = [];
  for (let n = 0; n < size; n++) {
    const roll = random();
    if (roll < 0.15 && events.length > 0) {
      const earlier = pick(events);
      if (earlier.eventId) {
        // the same id again: as it was, or with another payload
        events.push(roll < 0.1 ? { ...earlier } : { ...earlier, eventType: 'UNDOCK', details: { n } });
        continue;
      }
    }
    const eventType = pick(TYPES);
    const details: Record<string, unknown> =
      eventType === 'SECTOR_MOVE'
        ? { sector_id: pick(SECTORS) }
        : eventType.startsWith('TRADE')
          ? { total_value: Math.floor(random() * 40_000) / 4 }
          : { n };
    events.push({
      playerId: pick(['ann', 'bob', 'bob', 'nobody']),
      eventType,
      details,
      ...(random() < 0.6 ? { eventId: `e-${n}` } : {}),
    });
  }
  return events;
}

describe('a batch equals its events sent one by one', () => {
  it.each([
    ['one chunk', 1, 60],
    ['three chunks, ids repeated across their boundaries', 2, 250],
    ['the largest batch', 3, 500],
  ])('%s: same answers, same records, same game-wide numbers', async (_name, seed, size) => {
    for (const service of [batched, single]) {
      for (const playerId of ['ann', 'bob']) expectData(await service.run(TrackLoginWithId, { playerId }));
      service.clock.set('2026-11-23T10:00:01.000Z');
      expectData(await service.run(TrackHeartbeat, { playerId: 'ann' })); // a session with last_seen_at
      service.clock.set('2026-11-23T10:00:02.000Z');
    }
    const events = randomBatch(seed, size);

    const result = await batched.run(TrackActivitiesWithIds, { events });
    const answers = [];
    for (const event of events) {
      const one = await single.run(TrackActivityWithId, event);
      answers.push({
        item: one.data?.trackActivity
          ? {
              duplicate: one.data.trackActivity.duplicate,
              event: {
                eventType: one.data.trackActivity.event.eventType,
                timestamp: one.data.trackActivity.event.timestamp,
                eventId: one.data.trackActivity.event.eventId,
              },
              session: one.data.trackActivity.session && {
                actionsCount: one.data.trackActivity.session.actionsCount,
                tradeVolume: one.data.trackActivity.session.tradeVolume,
              },
            }
          : null,
        codes: errorCodes(one),
      });
    }

    const items = result.data?.trackActivities ?? [];
    expect(items).toHaveLength(size);
    expect(items.map((item) => item ?? null)).toEqual(answers.map((answer) => answer.item));
    const batchCodes = items.map((_, index) =>
      (result.errors ?? []).filter((error) => error.path?.[1] === index).map((error) => error.extensions?.['code']),
    );
    expect(batchCodes).toEqual(answers.map((answer) => answer.codes));
    expect(answers.some((answer) => answer.item?.duplicate)).toBe(true);
    expect(answers.some((answer) => answer.codes.includes('EVENT_ID_REUSED'))).toBe(true);

    expect(await contents(batched.redis)).toEqual(await contents(single.redis));
    expect(await globalDay(batched)).toEqual(await globalDay(single));
  });
});

describe('a player whose keys hold the wrong type', () => {
  it('fails its own events in place, with nothing written for them; the other players apply', async () => {
    for (const playerId of ['ann', 'bob', 'cid']) expectData(await batched.run(TrackLogin, { playerId }));
    await batched.redis.del('activity:events:bob');
    await batched.redis.sadd('activity:events:bob', 'not-a-list'); // a foreign writer's key
    const bobBefore = await contents(batched.redis).then((all) =>
      Object.fromEntries(Object.entries(all).filter(([key]) => key.endsWith(':bob'))),
    );
    const events: ActivityInput[] = [
      { playerId: 'ann', eventType: 'TRADE_BUY', details: { total_value: 10 } },
      { playerId: 'bob', eventType: 'TRADE_BUY', details: { total_value: 1000 }, eventId: 'b-1' },
      { playerId: 'cid', eventType: 'COMBAT_ATTACK' },
      { playerId: 'bob', eventType: 'DOCK' },
      { playerId: 'ann', eventType: 'DOCK' },
    ];

    const result = await batched.run(TrackActivitiesWithIds, { events });

    expect(result.data?.trackActivities.map((item) => item?.session?.actionsCount ?? null)).toEqual([
      1,
      null,
      1,
      null,
      2,
    ]);
    expect(result.errors?.map((error) => [error.extensions?.['code'], error.path])).toEqual([
      ['INTERNAL_SERVER_ERROR', ['trackActivities', 1]],
      ['INTERNAL_SERVER_ERROR', ['trackActivities', 3]],
    ]);
    expect(JSON.stringify(result.errors)).not.toContain('WRONGTYPE');
    const bobAfter = await contents(batched.redis).then((all) =>
      Object.fromEntries(Object.entries(all).filter(([key]) => key.endsWith(':bob'))),
    );
    expect(bobAfter).toEqual(bobBefore);
    expect(await globalDay(batched)).toMatchObject({
      actions: 3,
      trades: 1,
      tradeVolume: 10,
      combatEvents: 1,
    });
  });
});

describe('one player several times in a batch', () => {
  it('applies its events in order; a repeated id counts once and answers the first one', async () => {
    expectData(await batched.run(TrackLoginWithId, { playerId: 'ann' }));
    const events: ActivityInput[] = [
      { playerId: 'ann', eventType: 'TRADE_SELL', details: { total_value: 2.5 }, eventId: 'x' },
      { playerId: 'ann', eventType: 'TRADE_SELL', details: { total_value: 2.5 }, eventId: 'x' },
      { playerId: 'ann', eventType: 'WARP', eventId: 'y' },
    ];
    const first = expectData(await batched.run(TrackActivitiesWithIds, { events })).trackActivities;
    expect(first.map((item) => [item?.duplicate, item?.session?.actionsCount, item?.session?.tradeVolume])).toEqual([
      [false, 1, 2.5],
      [true, 1, 2.5],
      [false, 2, 2.5],
    ]);

    const again = expectData(await batched.run(TrackActivitiesWithIds, { events })).trackActivities;
    expect(again.map((item) => item?.duplicate)).toEqual([true, true, true]);
    const ids = expectData(await batched.run(RecentEventIds, { playerId: 'ann' })).recentEvents;
    expect(ids.map((event) => event.eventId ?? null)).toEqual(['y', 'x', null]);
    expect(await globalDay(batched)).toMatchObject({
      actions: 2,
      trades: 1,
      tradeVolume: 2.5,
      activePlayers: 1,
    });
  });
});

describe('chunks', () => {
  it('splits a batch over many players on a single server, each event answered as if alone', async () => {
    const players = Array.from({ length: 130 }, (_, n) => `p-${n}`);
    for (const playerId of players.slice(0, 120)) expectData(await batched.run(TrackLogin, { playerId }));
    // every player twice, the second time repeating the first one's id across the chunk boundaries
    const events: ActivityInput[] = [...players, ...players].map((playerId, n) => ({
      playerId,
      eventType: 'SECTOR_MOVE',
      details: { sector_id: String(n % 130) },
      eventId: `m-${playerId}`,
    }));
    const items = expectData(await batched.run(TrackActivitiesWithIds, { events })).trackActivities;
    expect(items.map((item) => item?.duplicate)).toEqual(events.map((_, n) => n >= 130));
    expect(items.map((item) => item?.session?.actionsCount ?? null)).toEqual(
      events.map(({ playerId }) => (players.indexOf(String(playerId)) < 120 ? 1 : null)),
    );
    const day = await globalDay(batched);
    expect(day.actions).toBe(130);
    expect(Math.abs(day.activePlayers - 130)).toBeLessThanOrEqual(2); // a HyperLogLog estimate
  });
});
