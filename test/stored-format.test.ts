import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeDaily, decodeSession, decodeSummary, type PlayerSession } from '../src/activity/records.ts';
import { ActivityStore } from '../src/activity/store.ts';
import { LocalRedisServer } from '../src/redis-server.ts';
import { ManualClock } from './support/clock.ts';
import { TEST_REDIS_ARGS } from './support/harness.ts';
import { dumpRedis } from './support/redis-dump.ts';

/**
 * 9.6: one stored format. The same random stored records go to the TS
 * decoders (src/activity/records.ts) and to the Lua scripts (real Redis);
 * both must accept or reject each alike, agree on the values, and what the
 * scripts write must read back in TS and in Python 3's json.loads.
 */

const NOW = '2026-11-23T23:00:00.000Z';
const PLAYER = 'p-1';
const KEYS = {
  session: `activity:session:${PLAYER}`,
  summary: `activity:summary:${PLAYER}`,
  events: `activity:events:${PLAYER}`,
  daily: (day: string) => `activity:daily:${PLAYER}:${day}`,
};

let server: LocalRedisServer;
let redis: Redis;
let store: ActivityStore;
const clock = new ManualClock(NOW);
/** Every value the scripts wrote, for one Python read at the end of each test. */
let written: string[] = [];

beforeAll(async () => {
  server = await LocalRedisServer.start('redis-server', TEST_REDIS_ARGS);
  redis = new Redis(server.url);
  store = new ActivityStore(redis, clock);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});
beforeEach(async () => {
  written = [];
  clock.set(NOW);
  await redis.flushall();
});

// --- Arbitrary stored values: valid ones and every way the issue saw them go wrong.

const INFINITY = '"__inf__"'; // replaced by 1e400 (JSON that reads as Infinity) once encoded

const validTimestamp = fc
  .record({
    at: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2026-11-23T22:59:59Z'), noInvalidDate: true }),
    fraction: fc.constantFrom('', '.5', '.984', '.984836', '.123456789'),
    separator: fc.constantFrom('T', ' '),
    suffix: fc.constantFrom('', 'Z', '+00:00'),
  })
  .map(({ at, fraction, separator, suffix }) => {
    const iso = at.toISOString();
    return `${iso.slice(0, 10)}${separator}${iso.slice(11, 19)}${fraction}${suffix}`;
  });
const invalidTimestamp = fc.constantFrom<unknown>(
  null,
  0,
  '',
  '2026-13-45T00:00:00',
  '2026-02-30T10:00:00',
  '2025-02-29T10:00:00',
  '2026-11-23T24:00:00',
  '2026-11-23T23:60:00',
  '0000-01-01T00:00:00',
  '2026-11-23T22:00:00.',
  '2026-11-23T22:00:00.1234567890',
  '2026-11-23T22:00:00+01:00',
  '2026-11-23',
  'yesterday',
  '2026-11-23X22:00:00',
  '2026/11/23T22:00:00',
  '2026-1a-23T22:00:00',
  '2026-11-23T22:0:00',
  '2026-11-23T22:00:00Zjunk',
  '2026-11-23T22:00:00.+00:00',
  '2026-11-23T22:00:00.5 ',
);
const timestamp = fc.oneof({ weight: 4, arbitrary: validTimestamp }, { weight: 1, arbitrary: invalidTimestamp });

const finiteCount = fc.oneof(
  fc.nat({ max: 1000 }),
  fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, 1e15, 2 ** 53, 1.5e300),
);
const badCount = fc.constantFrom<unknown>(null, '5', true, [], {}, INFINITY);
/** undefined: the field is left out. */
const count = fc.oneof(
  { weight: 8, arbitrary: finiteCount },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: badCount },
);

const sector = fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -1000, max: 100_000 }));
const list = fc.oneof(
  { weight: 6, arbitrary: fc.array(sector, { maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, {}, []) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 'a,b', { a: 1 }, [1.5], [null], [true], [2 ** 60], [{}]) },
);

const sessionRecord = fc.record(
  {
    player_id: fc.oneof(
      { weight: 9, arbitrary: fc.constant<unknown>(PLAYER) },
      { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 7) },
    ),
    login_at: timestamp,
    last_activity_at: timestamp,
    actions_count: count,
    trades_count: count,
    trade_volume: count,
    combat_events: count,
    sectors_visited: list,
    last_seen_at: fc.oneof(fc.constant<unknown>(undefined), fc.constant(null), timestamp),
  },
  { requiredKeys: ['player_id'] },
);

const summaryRecord = fc.record(
  {
    player_id: fc.constant(PLAYER),
    total_sessions: count,
    total_playtime_seconds: count,
    total_actions: count,
    total_trades: count,
    total_trade_volume: count,
    total_combat_events: count,
    unique_sectors_visited: count,
    all_sectors: list,
    last_updated: fc.oneof(fc.constant<unknown>(undefined), fc.constant(null), timestamp),
  },
  { requiredKeys: [] },
);

const dailyRecord = fc.record(
  {
    sessions: count,
    playtime_seconds: count,
    actions: count,
    trades: count,
    trade_volume: count,
    combat_events: count,
  },
  { requiredKeys: [] },
);

/** Stored text: JSON as this service or Python's json.dumps writes it, or not JSON at all. */
const stored = (record: fc.Arbitrary<Record<string, unknown>>) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.tuple(record, fc.boolean()).map(([value, spaced]) => encode(value, spaced)) },
    { weight: 1, arbitrary: fc.constantFrom('', 'null', '[]', '"text"', '{"player_id":', '{"a":NaN}', '[1,2]') },
  );

function encode(value: Record<string, unknown>, pythonSpacing: boolean): string {
  const json = JSON.stringify(value).replaceAll(INFINITY, '1e400');
  return pythonSpacing ? json.replace(/":/g, '": ').replace(/,"/g, ', "') : json;
}

// --- Helpers

const snapshot = () => dumpRedis(redis);

async function collectWritten(): Promise<void> {
  for (const key of await redis.keys('*')) {
    // The game-wide numbers (hashes and a HyperLogLog) are not the original's JSON records.
    if (key.startsWith('activity:global:')) continue;
    const type = await redis.type(key);
    if (type === 'string') written.push((await redis.get(key))!);
    if (type === 'list') written.push(...(await redis.lrange(key, 0, -1)));
  }
}

/** Python 3 reads every value the scripts wrote (no NaN or Infinity either: they are not JSON). */
function expectPythonReadsAll(): void {
  const result = spawnSync(
    'python3',
    [
      '-c',
      `import json, sys
def refuse(name): raise ValueError('not JSON: ' + name)
for line in sys.stdin:
    json.loads(json.loads(line), parse_constant=refuse)
print('ok')`,
    ],
    { input: written.map((value) => JSON.stringify(value)).join('\n'), encoding: 'utf8' },
  );
  expect(result.stderr).toBe('');
  expect(result.stdout.trim()).toBe('ok');
}

const sessionValues = (s: PlayerSession) => ({
  playerId: s.playerId,
  loginAt: s.loginAt,
  lastActivityAt: s.lastActivityAt,
  actionsCount: s.actionsCount,
  tradesCount: s.tradesCount,
  tradeVolume: s.tradeVolume,
  combatEvents: s.combatEvents,
  sectorsVisited: s.sectorsVisited,
});

const RUNS = { numRuns: 150 };

describe('a stored session: TS decoders and Lua scripts agree', () => {
  it('heartbeat: rejected alike (nothing written), or accepted with the same values', async () => {
    await fc.assert(
      fc.asyncProperty(stored(sessionRecord), async (raw) => {
        await redis.flushall();
        await redis.set(KEYS.session, raw);
        const expected = decodeSession(raw);
        const before = await snapshot();
        const result = await store.trackHeartbeat(PLAYER);
        if (expected === null) {
          expect(result).toBeNull();
          expect(await snapshot()).toEqual(before);
          return;
        }
        expect(result && sessionValues(result)).toEqual(sessionValues(expected));
        expect(result?.lastSeenAt).toEqual(clock.now());
        expect(decodeSession((await redis.get(KEYS.session))!)).toEqual(result);
        await collectWritten();
      }),
      RUNS,
    );
    expectPythonReadsAll();
  });

  it('activity: the event is recorded; the session is bumped only when both sides read it', async () => {
    await fc.assert(
      fc.asyncProperty(stored(sessionRecord), fc.double({ min: 0, max: 1e15, noNaN: true }), async (raw, value) => {
        await redis.flushall();
        await redis.set(KEYS.session, raw);
        const expected = decodeSession(raw);
        const tracked = await store.trackActivity(PLAYER, 'trade_sell', { total_value: value });
        expect(await redis.llen(KEYS.events)).toBe(1);
        if (expected === null) {
          expect(tracked.session).toBeNull();
          expect(await redis.get(KEYS.session)).toBe(raw);
          return;
        }
        expect(tracked.session && sessionValues(tracked.session)).toEqual({
          ...sessionValues(expected),
          lastActivityAt: clock.now(),
          actionsCount: expected.actionsCount + 1,
          tradesCount: expected.tradesCount + 1,
          tradeVolume: expected.tradeVolume + value,
        });
        expect(decodeSession((await redis.get(KEYS.session))!)).toEqual(tracked.session);
        await collectWritten();
      }),
      RUNS,
    );
    expectPythonReadsAll();
  });

  it('logout: rejected alike (nothing written, no error), or completed with the same values and folded into summary and daily', async () => {
    await fc.assert(
      fc.asyncProperty(
        stored(sessionRecord),
        stored(summaryRecord),
        stored(dailyRecord),
        async (raw, rawSummary, rawDaily) => {
          await redis.flushall();
          const day = NOW.slice(0, 10);
          await redis.set(KEYS.session, raw);
          await redis.set(KEYS.summary, rawSummary);
          await redis.set(KEYS.daily(day), rawDaily);
          const expected = decodeSession(raw);
          const summaryBefore = decodeSummary(PLAYER, rawSummary);
          const dailyBefore = decodeDaily(PLAYER, day, rawDaily);
          const before = await snapshot();
          const completed = await store.trackLogout(PLAYER);
          if (expected === null) {
            expect(completed).toBeNull();
            expect(await snapshot()).toEqual(before);
            return;
          }
          expect(completed && sessionValues(completed)).toEqual(sessionValues(expected));
          expect(completed?.logoutAt).toEqual(clock.now());
          const duration = completed!.durationSeconds;
          expect(duration).toBeGreaterThanOrEqual(0);
          expect(await redis.exists(KEYS.session)).toBe(0);

          const summary = decodeSummary(PLAYER, await redis.get(KEYS.summary));
          expect(summary).toMatchObject({
            totalSessions: summaryBefore.totalSessions + 1,
            totalPlaytimeSeconds: summaryBefore.totalPlaytimeSeconds + duration,
            totalActions: summaryBefore.totalActions + expected.actionsCount,
            totalTrades: summaryBefore.totalTrades + expected.tradesCount,
            totalTradeVolume: summaryBefore.totalTradeVolume + expected.tradeVolume,
            totalCombatEvents: summaryBefore.totalCombatEvents + expected.combatEvents,
            uniqueSectorsVisited: summary.allSectors.length,
            lastUpdated: clock.now(),
          });
          const moved = new Set(expected.sectorsVisited);
          expect(summary.allSectors).toEqual(
            [...summaryBefore.allSectors.filter((s) => !moved.has(s)), ...new Set(expected.sectorsVisited)].slice(-200),
          );
          expect(decodeDaily(PLAYER, day, await redis.get(KEYS.daily(day)))).toEqual({
            playerId: PLAYER,
            date: day,
            sessions: dailyBefore.sessions + 1,
            playtimeSeconds: dailyBefore.playtimeSeconds + duration,
            actions: dailyBefore.actions + expected.actionsCount,
            trades: dailyBefore.trades + expected.tradesCount,
            tradeVolume: dailyBefore.tradeVolume + expected.tradeVolume,
            combatEvents: dailyBefore.combatEvents + expected.combatEvents,
          });
          await collectWritten();
        },
      ),
      RUNS,
    );
    expectPythonReadsAll();
  });

  it('login: a readable open session is completed at its last activity, an unreadable one replaced', async () => {
    await fc.assert(
      fc.asyncProperty(stored(sessionRecord), async (raw) => {
        await redis.flushall();
        await redis.set(KEYS.session, raw);
        const expected = decodeSession(raw);
        const session = await store.trackLogin(PLAYER);
        expect(session.loginAt).toEqual(clock.now());
        const summary = decodeSummary(PLAYER, await redis.get(KEYS.summary));
        expect(summary.totalSessions).toBe(expected === null ? 0 : 1);
        if (expected) {
          const day = expected.lastActivityAt.toISOString().slice(0, 10);
          expect(decodeDaily(PLAYER, day, await redis.get(KEYS.daily(day))).sessions).toBe(1);
          expect(summary.totalActions).toBe(expected.actionsCount);
        }
        // No daily key for a date that does not exist (2026-13-45 and the like).
        for (const key of await redis.keys('activity:daily:*')) {
          const date = key.slice(-10);
          expect(new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10)).toBe(date);
        }
        await collectWritten();
      }),
      RUNS,
    );
    expectPythonReadsAll();
  });
});

describe('the records of the issue', () => {
  const session = {
    player_id: PLAYER,
    login_at: '2026-11-23T22:00:00',
    last_activity_at: '2026-11-23T22:10:00',
    actions_count: 1,
    trades_count: 0,
    trade_volume: 0,
    combat_events: 0,
    sectors_visited: [],
  };

  it('login_at null: heartbeat and logout write nothing and report no session, without an error', async () => {
    const raw = JSON.stringify({ ...session, login_at: null });
    await redis.set(KEYS.session, raw);
    expect(await store.trackHeartbeat(PLAYER)).toBeNull();
    expect(await store.trackLogout(PLAYER)).toBeNull();
    expect(await redis.get(KEYS.session)).toBe(raw);
    expect(await redis.exists(KEYS.summary, KEYS.events)).toBe(0);
  });

  it('last_activity_at 2026-13-45: no daily key with that date, the session reads as none', async () => {
    await redis.set(KEYS.session, JSON.stringify({ ...session, last_activity_at: '2026-13-45T00:00:00' }));
    expect(await store.getSession(PLAYER)).toBeNull();
    await store.trackLogin(PLAYER);
    expect(await redis.keys('activity:daily:*')).toEqual([]);
  });
});
