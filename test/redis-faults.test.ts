import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ExecutionResult, parse } from 'graphql';
import { isAsyncIterable } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.ts';
import { loadedLibraries } from './support/functions.ts';
import { errorCodes, expectData, useTestService } from './support/harness.ts';
import {
  DailyStats,
  OnlineCountChanges,
  OnlinePlayers,
  PlayerSession,
  PlayerSummary,
  RecentEvents,
  TrackActivity,
  TrackLogin,
  TrackLogout,
} from './support/operations.ts';
import { dumpRedis, type StoredKey } from './support/redis-dump.ts';

/**
 * Redis faults: killed, restarted, paused. The contract: fast
 * SERVICE_UNAVAILABLE errors (well under 2 s, no hang) that leak nothing of
 * Redis, recovery without help when Redis returns, and no half-written data.
 */

/** "No hang": a behaviour bound, not a benchmark (the command timeout is 500 ms in tests). */
const FAST_ERROR_MS = 2_000;
const RECOVERY_MS = 5_000;
/** Words that would reveal Redis internals in an answer. */
const INTERNALS = [
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ioredis',
  'Stream',
  'Connection is closed',
  'timed out',
  'ReplyError',
  '127.0.0.1',
];

const service = useTestService();
const dump = () => dumpRedis(service.redis);
afterEach(async () => {
  // Leave a serving Redis for the next test, whatever this one did to it.
  if (!service.redisServer.running) await service.redisServer.restart();
  await waitUntilServing();
});

type Call = () => Promise<ExecutionResult<unknown>>;

// One field per request, so each answer shows that one field's error.
const OnlineCountOnly = parse('query OnlineCountOnly { onlinePlayerCount }') as TypedDocumentNode<
  { onlinePlayerCount: number },
  Record<string, never>
>;
const OnlineIdsOnly = parse('query OnlineIdsOnly { onlinePlayerIds { playerIds } }') as TypedDocumentNode<
  { onlinePlayerIds: { playerIds: string[] } },
  Record<string, never>
>;

/** One call of every kind the API serves. */
const everyCall: Record<string, Call> = {
  trackLogin: () => service.run(TrackLogin, { playerId: 'p-1' }),
  trackActivity: () => service.run(TrackActivity, { playerId: 'p-1', eventType: 'DOCK' }),
  trackLogout: () => service.run(TrackLogout, { playerId: 'p-1' }),
  playerSession: () => service.run(PlayerSession, { playerId: 'p-1' }),
  playerSummary: () => service.run(PlayerSummary, { playerId: 'p-1' }),
  recentEvents: () => service.run(RecentEvents, { playerId: 'p-1' }),
  dailyStats: () => service.run(DailyStats, { playerId: 'p-1' }),
  onlinePlayerCount: () => service.run(OnlineCountOnly),
  onlinePlayerIds: () => service.run(OnlineIdsOnly),
  'onlinePlayerCount subscription': () => firstPayload(service.run(OnlineCountChanges)),
};

/** A subscription answers a stream over SSE; its first payload carries the start's outcome. */
async function firstPayload(pending: Promise<unknown>): Promise<ExecutionResult<unknown>> {
  const result = await pending;
  if (!isAsyncIterable(result)) return result as ExecutionResult<unknown>;
  const iterator = result[Symbol.asyncIterator]();
  try {
    const first = await iterator.next();
    if (first.done) throw new Error('the subscription ended without a payload');
    return first.value as ExecutionResult<unknown>;
  } finally {
    await iterator.return?.();
  }
}

async function timed<T>(call: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await call();
  return { result, ms: performance.now() - started };
}

/** Asserts the call failed as the contract says, and returns how long it took. */
async function expectUnavailable(name: string, call: Call): Promise<number> {
  const { result, ms } = await timed(call);
  expect(errorCodes(result), name).toEqual(['SERVICE_UNAVAILABLE']);
  expect(result.errors?.[0]?.extensions, name).toEqual({ code: 'SERVICE_UNAVAILABLE' });
  const answer = JSON.stringify(result.errors);
  for (const word of INTERNALS) expect(answer, `${name} leaks "${word}"`).not.toContain(word);
  expect(ms, `${name} took ${ms.toFixed(0)} ms`).toBeLessThan(FAST_ERROR_MS);
  return ms;
}

/** `attempt` until it gives a value: `eventually` with this file's recovery budget and a message saying what failed to recover. */
function poll<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = RECOVERY_MS): Promise<T> {
  return eventually(
    async () => {
      const value = await attempt();
      if (value === undefined) throw new Error(`${what}: still failing after ${timeoutMs} ms`);
      return value;
    },
    { timeoutMs, intervalMs: 25 },
  );
}

/** Waits until the API answers reads again and the harness' own connection works. */
async function waitUntilServing(): Promise<void> {
  await poll('the API', async () => ((await service.run(OnlinePlayers)).errors ? undefined : true));
  await service.redis.ping();
}

/** Waits until both of the app's connections have noticed that Redis is gone. */
async function waitUntilAppNoticesOutage(): Promise<void> {
  await poll('the app noticing the outage', async () =>
    service.app.redis.status !== 'ready' && service.app.subscriber.status !== 'ready' ? true : undefined,
  );
}

/** Waits until both of the app's connections are in their reconnect loop (the outage noticed, retries scheduled). */
async function waitUntilAppReconnects(): Promise<void> {
  const retrying = (status: string) => status === 'reconnecting' || status === 'connecting';
  await poll('the app reconnecting', async () =>
    retrying(service.app.redis.status) && retrying(service.app.subscriber.status) ? true : undefined,
  );
}

/** Same keys, types and values; TTLs only ran down (a write would have reset them). */
function expectUnchanged(after: Record<string, StoredKey>, before: Record<string, StoredKey>): void {
  expect(Object.keys(after)).toEqual(Object.keys(before));
  for (const [key, was] of Object.entries(before)) {
    const now = after[key]!;
    expect({ key, type: now.type, value: now.value }).toEqual({ key, type: was.type, value: was.value });
    expect(now.ttl, `TTL of ${key}`).toBeLessThanOrEqual(was.ttl);
    expect(now.ttl, `TTL of ${key}`).toBeGreaterThanOrEqual(was.ttl === -1 ? -1 : was.ttl - 5);
  }
}

const storedSession = async (playerId: string) =>
  JSON.parse((await service.redis.get(`activity:session:${playerId}`)) ?? 'null');

describe('Redis killed', () => {
  it('answers every kind of call with a fast SERVICE_UNAVAILABLE that leaks nothing', async () => {
    expectData(await service.run(TrackLogin, { playerId: 'p-1' }));
    await service.redisServer.kill();

    const latencies: number[] = [];
    // At once, while the app's connections may not have noticed yet...
    for (const [name, call] of Object.entries(everyCall)) latencies.push(await expectUnavailable(name, call));
    // ...and once they are reconnecting in the background.
    await waitUntilAppReconnects();
    for (const [name, call] of Object.entries(everyCall)) latencies.push(await expectUnavailable(name, call));

    console.info(
      `Redis down: ${latencies.length} calls, all SERVICE_UNAVAILABLE, max latency ${Math.max(...latencies).toFixed(1)} ms`,
    );
  });

  it('refuses to start a subscription: one SERVICE_UNAVAILABLE payload, then the stream ends', async () => {
    await service.redisServer.kill();
    await waitUntilAppNoticesOutage();

    const { result: payloads, ms } = await timed(async () => {
      const stream = await service.run(OnlineCountChanges);
      if (!isAsyncIterable(stream)) return [stream];
      const received: unknown[] = [];
      for await (const payload of stream) received.push(payload);
      return received;
    });

    // Over SSE: a stream of exactly one payload, the error (no data), then the end.
    expect(payloads).toEqual([{ errors: [expect.objectContaining({ extensions: { code: 'SERVICE_UNAVAILABLE' } })] }]);
    expect(ms).toBeLessThan(FAST_ERROR_MS);
  });

  it('recovers by itself once Redis is back, scripts and subscriptions included', async () => {
    await service.redisServer.kill();
    await expectUnavailable('trackLogin', everyCall.trackLogin!);

    await service.redisServer.restart(); // an empty Redis: no data, no functions
    const { ms } = await timed(() =>
      poll('trackLogin after the restart', async () => {
        const result = await service.run(TrackLogin, { playerId: 'p-2' });
        return result.errors ? undefined : result;
      }),
    );
    console.info(`Redis restarted: trackLogin succeeded again after ${ms.toFixed(0)} ms`);
    // The restarted Redis came back without functions; the service's first calls loaded them again.
    expect(await loadedLibraries(service.redis)).toHaveLength(1);

    service.clock.set('2026-11-23T22:00:10.000Z');
    const trade = await service.run(TrackActivity, {
      playerId: 'p-2',
      eventType: 'TRADE_BUY',
      details: { total_value: 250.5 },
    });
    expect(expectData(trade).trackActivity.session).toMatchObject({
      actionsCount: 1,
      tradesCount: 1,
      tradeVolume: 250.5,
    });
    const move = await service.run(TrackActivity, {
      playerId: 'p-2',
      eventType: 'SECTOR_MOVE',
      details: { sector_id: 'S9' },
    });
    expect(expectData(move).trackActivity.session).toMatchObject({ actionsCount: 2, sectorsVisited: ['S9'] });
    const online = await firstPayload(service.run(OnlineCountChanges));
    expect(expectData(online)).toEqual({ onlinePlayerCount: 1 });

    service.clock.set('2026-11-23T22:01:00.000Z');
    const logout = expectData(await service.run(TrackLogout, { playerId: 'p-2' })).trackLogout;
    expect(logout).toMatchObject({ durationSeconds: 60, actionsCount: 2, tradesCount: 1, tradeVolume: 250.5 });
    const summary = expectData(await service.run(PlayerSummary, { playerId: 'p-2' })).playerSummary;
    expect(summary).toMatchObject({
      totalSessions: 1,
      totalPlaytimeSeconds: 60,
      totalActions: 2,
      totalTrades: 1,
      totalTradeVolume: 250.5,
      uniqueSectorsVisited: 1,
    });
    const events = expectData(await service.run(RecentEvents, { playerId: 'p-2' })).recentEvents;
    expect(events.map((event) => event.eventType)).toEqual(['LOGOUT', 'SECTOR_MOVE', 'TRADE_BUY', 'LOGIN']);
    expect(expectData(await service.run(OnlinePlayers))).toEqual({
      onlinePlayerCount: 0,
      onlinePlayerIds: { playerIds: [], nextCursor: null },
    });
  });
});

describe('Redis paused (too slow to answer)', () => {
  afterEach(async () => {
    await service.redis.client('UNPAUSE'); // answers once the pause is over at the latest
  });

  it('fails the call at the command timeout, then serves again; the late call lands whole or not at all', async () => {
    expectData(await service.run(TrackLogin, { playerId: 'p-1' }));
    const sessionBefore = await storedSession('p-1');
    const eventsBefore = await service.redis.llen('activity:events:p-1');

    await service.redis.client('PAUSE', 3000, 'ALL');
    const ms = await expectUnavailable('trackActivity', () =>
      service.run(TrackActivity, { playerId: 'p-1', eventType: 'COMBAT_ATTACK' }),
    );
    console.info(`CLIENT PAUSE: trackActivity failed with SERVICE_UNAVAILABLE after ${ms.toFixed(0)} ms`);

    const { ms: pausedFor } = await timed(() =>
      poll('playerSession after the pause', async () => {
        const result = await service.run(PlayerSession, { playerId: 'p-1' });
        return result.errors ? undefined : result;
      }),
    );
    console.info(`CLIENT PAUSE: reads succeeded again ${pausedFor.toFixed(0)} ms later`);
    expectData(await service.run(TrackActivity, { playerId: 'p-1', eventType: 'DOCK' }));

    // The timed-out script may still have run once Redis woke up, but never in part:
    // the counters and the event list moved together.
    const sessionAfter = await storedSession('p-1');
    const eventsAfter = await service.redis.llen('activity:events:p-1');
    const lateActions = sessionAfter.actions_count - sessionBefore.actions_count - 1; // minus the DOCK
    const lateEvents = eventsAfter - eventsBefore - 1;
    expect([0, 1]).toContain(lateActions);
    expect(lateEvents).toBe(lateActions);
    expect(sessionAfter.combat_events - sessionBefore.combat_events).toBe(lateActions);
    console.info(
      `CLIENT PAUSE: the timed-out trackActivity was ${lateActions ? 'applied after the pause' : 'not applied'}`,
    );
  });

  it('does not pile up: a crowd of calls while Redis sleeps all fail at the timeout, then it serves', async () => {
    expectData(await service.run(TrackLogin, { playerId: 'p-1' }));
    const sleeper = new Redis(service.redisServer.url);
    try {
      // Every client, every command held for 2 s; the reply says the pause is in effect.
      await sleeper.call('CLIENT', 'PAUSE', '2000', 'ALL');
      const { result: results, ms } = await timed(() =>
        Promise.all(Array.from({ length: 50 }, () => service.run(PlayerSession, { playerId: 'p-1' }))),
      );
      for (const result of results) expect(errorCodes(result)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(ms).toBeLessThan(2_000);
      console.info(`DEBUG SLEEP: 50 concurrent calls all answered SERVICE_UNAVAILABLE within ${ms.toFixed(0)} ms`);
      await sleeper.call('CLIENT', 'UNPAUSE');
      expectData(await service.run(PlayerSession, { playerId: 'p-1' }));
    } finally {
      sleeper.disconnect();
    }
  });
});

describe('nothing half-written', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'redis-faults-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a call that fails while Redis is down changes nothing, not even after Redis returns', async () => {
    // A Redis that keeps its data across the outage (SAVE, then load on start).
    await service.redisServer.restart(['--dir', dataDir]);
    await waitUntilServing();
    expectData(await service.run(TrackLogin, { playerId: 'p-1' }));
    expectData(
      await service.run(TrackActivity, { playerId: 'p-1', eventType: 'TRADE_SELL', details: { total_value: 9.5 } }),
    );
    expectData(await service.run(TrackLogin, { playerId: 'p-2' }));
    await service.redis.save();
    const before = await dump();

    await service.redisServer.kill();
    service.clock.advance(60_000);
    await expectUnavailable('trackActivity', everyCall.trackActivity!);
    await expectUnavailable('trackLogout', everyCall.trackLogout!);
    await expectUnavailable('trackLogin', () => service.run(TrackLogin, { playerId: 'p-3' }));
    await service.redisServer.restart(['--dir', dataDir]);
    await waitUntilServing();

    // Nothing was queued and replayed on reconnection.
    expectUnchanged(await dump(), before);
  });

  // Redis does not roll a script back when a command fails half-way; the
  // scripts check every key's type before their first write instead.
  it('a call that meets a key of the wrong type fails whole, with nothing written', async () => {
    expectData(await service.run(TrackLogin, { playerId: 'p-1' }));
    await service.redis.del('activity:events:p-1');
    await service.redis.sadd('activity:events:p-1', 'not-a-list'); // a foreign writer's key
    const before = await dump();

    for (const call of [
      () => service.run(TrackLogout, { playerId: 'p-1' }),
      () => service.run(TrackActivity, { playerId: 'p-1', eventType: 'DOCK' }),
      () => service.run(TrackLogin, { playerId: 'p-1' }),
    ]) {
      const result = await call();
      expect(result.errors?.map((error) => error.extensions?.['code'])).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(JSON.stringify(result.errors)).not.toContain('WRONGTYPE');
      expectUnchanged(await dump(), before);
    }
  });
});
