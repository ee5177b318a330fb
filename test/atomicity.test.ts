import type { ExecutionResult } from 'graphql';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityEventType } from './gql/graphql.ts';
import { expectData, startTestService, type TestService } from './support/harness.ts';
import { commandsDuring } from './support/monitor.ts';
import {
  DailyStats,
  PlayerSession,
  PlayerSummary,
  RecentEvents,
  TrackActivity,
  TrackLogin,
  TrackLogout,
} from './support/operations.ts';

/**
 * Each tracked call is applied atomically, in one round trip: concurrent
 * calls for one player, on one or two API instances, lose nothing and count
 * nothing twice.
 */

const START = '2026-11-23T22:00:00.000Z';

let first: TestService;
let second: TestService; // another API instance on the same redis-server
beforeAll(async () => {
  first = await startTestService();
  second = await startTestService({ redisServer: first.redisServer });
});
afterAll(async () => {
  await second?.stop();
  await first?.stop();
});
beforeEach(async () => {
  await first.reset();
  first.clock.set(START);
  second.clock.set(START);
});

interface Activity {
  eventType: ActivityEventType;
  details?: Record<string, unknown>;
}

/**
 * A mix of trades (values exact in binary, so any order sums the same),
 * combat, sector moves and docking; sector ids start at `firstSector`.
 */
function activityMix(count: number, firstSector: number): Activity[] {
  return Array.from({ length: count }, (_, i): Activity => {
    switch (i % 4) {
      case 0:
        return { eventType: 'TRADE_BUY', details: { total_value: i + 0.25 } };
      case 1:
        return { eventType: 'COMBAT_ATTACK', details: { target: `npc-${i}` } };
      case 2:
        return { eventType: 'SECTOR_MOVE', details: { sector_id: `S${firstSector + (i - 2) / 4}` } };
      default:
        return { eventType: 'DOCK' };
    }
  });
}

function totalsOf(activities: readonly Activity[]) {
  const trades = activities.filter((a) => a.eventType === 'TRADE_BUY');
  return {
    actionsCount: activities.length,
    tradesCount: trades.length,
    tradeVolume: trades.reduce((sum, a) => sum + (a.details?.['total_value'] as number), 0),
    combatEvents: activities.filter((a) => a.eventType === 'COMBAT_ATTACK').length,
    sectors: activities.filter((a) => a.eventType === 'SECTOR_MOVE').map((a) => a.details?.['sector_id'] as string),
  };
}

/** Sends every activity at once, spread round-robin over the given instances. */
async function trackAllAtOnce(playerId: string, activities: readonly Activity[], instances: readonly TestService[]) {
  const results = await Promise.all(
    activities.map((activity, i) => instances[i % instances.length]!.run(TrackActivity, { playerId, ...activity })),
  );
  for (const result of results) expectData(result);
}

/** Fisher–Yates with a small seeded generator: the same order on every run. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed;
  const random = () => {
    state = (state * 48_271) % 2_147_483_647; // MINSTD
    return state / 2_147_483_647;
  };
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

const sorted = (values: Iterable<string>) => [...values].sort();

async function sessionOf(playerId: string) {
  return expectData(await first.run(PlayerSession, { playerId })).playerSession;
}

async function eventsOf(playerId: string) {
  return expectData(await first.run(RecentEvents, { playerId, limit: 500 })).recentEvents;
}

describe('concurrent calls for one player', () => {
  it('count every one of 200 simultaneous activities, on one instance and on two', async () => {
    expectData(await first.run(TrackLogin, { playerId: 'p-1' }));

    const oneInstance = activityMix(200, 0); // sectors S0..S49
    await trackAllAtOnce('p-1', oneInstance, [first]);
    let expected = totalsOf(oneInstance);
    const afterOne = await sessionOf('p-1');
    expect(afterOne).toMatchObject({
      actionsCount: 200,
      tradesCount: expected.tradesCount,
      tradeVolume: expected.tradeVolume,
      combatEvents: expected.combatEvents,
    });
    expect(sorted(afterOne?.sectorsVisited ?? [])).toEqual(sorted(expected.sectors));
    expect(await eventsOf('p-1')).toHaveLength(Math.min(1 + 200, 500));

    const twoInstances = activityMix(200, 25); // S25..S74: half of them seen already
    await trackAllAtOnce('p-1', twoInstances, [first, second]);
    expected = totalsOf([...oneInstance, ...twoInstances]);
    const afterTwo = await sessionOf('p-1');
    expect(afterTwo).toMatchObject({
      actionsCount: 400,
      tradesCount: expected.tradesCount,
      tradeVolume: expected.tradeVolume,
      combatEvents: expected.combatEvents,
    });
    expect(sorted(afterTwo?.sectorsVisited ?? [])).toEqual(sorted(new Set(expected.sectors)));
    expect(await eventsOf('p-1')).toHaveLength(Math.min(1 + 400, 500));
    console.info(
      `concurrency: 200 activities on one instance → actionsCount ${afterOne?.actionsCount}; ` +
        `200 more over two instances → ${afterTwo?.actionsCount}`,
    );

    first.clock.advance(90_000);
    const logout = expectData(await first.run(TrackLogout, { playerId: 'p-1' })).trackLogout;
    expect(logout).toMatchObject({ durationSeconds: 90, actionsCount: 400, tradesCount: expected.tradesCount });
    const summary = expectData(await first.run(PlayerSummary, { playerId: 'p-1' })).playerSummary;
    expect(summary).toMatchObject({
      totalSessions: 1,
      totalPlaytimeSeconds: 90,
      totalActions: 400,
      totalTrades: expected.tradesCount,
      totalTradeVolume: expected.tradeVolume,
      totalCombatEvents: expected.combatEvents,
      uniqueSectorsVisited: new Set(expected.sectors).size,
    });
    const day = expectData(await first.run(DailyStats, { playerId: 'p-1' })).dailyStats;
    expect(day).toMatchObject({
      sessions: 1,
      actions: 400,
      trades: expected.tradesCount,
      combatEvents: expected.combatEvents,
    });
  });

  it('never lose or double-count a session when logins and logouts race', async () => {
    const rounds = 20;
    // A fixed shuffle, so runs of logins and of logouts meet; sent at once over both instances.
    const order = shuffled([...Array<'login'>(rounds).fill('login'), ...Array<'logout'>(rounds).fill('logout')], 7);
    const loginCalls: Promise<ExecutionResult<{ trackLogin: unknown }>>[] = [];
    const logoutCalls: Promise<ExecutionResult<{ trackLogout: unknown }>>[] = [];
    order.forEach((kind, i) => {
      const instance = i % 2 === 0 ? first : second;
      if (kind === 'login') loginCalls.push(instance.run(TrackLogin, { playerId: 'p-1' }));
      else logoutCalls.push(instance.run(TrackLogout, { playerId: 'p-1' }));
    });
    const loginResults = await Promise.all(loginCalls);
    const logoutResults = await Promise.all(logoutCalls);
    for (const result of loginResults) expectData(result);
    for (const result of logoutResults) expectData(result);
    const completedByLogout = logoutResults.filter((result) => result.data?.trackLogout !== null).length;

    const events = await eventsOf('p-1');
    const loginEvents = events.filter((event) => event.eventType === 'LOGIN');
    const logoutEvents = events.filter((event) => event.eventType === 'LOGOUT');
    const completedByRelogin = logoutEvents.filter((event) => event.details['reason'] === 'relogin').length;
    const summary = expectData(await first.run(PlayerSummary, { playerId: 'p-1' })).playerSummary;
    const day = expectData(await first.run(DailyStats, { playerId: 'p-1' })).dailyStats;
    const open = (await sessionOf('p-1')) ? 1 : 0;

    expect(loginEvents).toHaveLength(rounds);
    expect(logoutEvents.length - completedByRelogin).toBe(completedByLogout);
    expect(summary.totalSessions).toBe(logoutEvents.length);
    expect(day.sessions).toBe(logoutEvents.length);
    // Every login opened a session that ended (by a logout or the next login) or is still open.
    expect(logoutEvents.length + open).toBe(rounds);
    // Online exactly when a session is open.
    expect(await first.redis.sismember('activity:online_players', 'p-1')).toBe(open);
    console.info(
      `login/logout race: ${rounds} logins + ${rounds} logouts over two instances → ${completedByLogout} sessions ` +
        `completed by logout, ${completedByRelogin} by re-login, ${open} open; totalSessions ${summary.totalSessions}`,
    );
  });
});

/**
 * The address MONITOR shows for the API instance's command connection
 * (several instances share the server, each with a client named
 * activity-commands); `redis` is a plain connection to the same server.
 */
async function commandConnectionAddress(app: Redis, redis: Redis): Promise<string> {
  const appId = String(await app.client('ID'));
  const clients = String(await redis.client('LIST')).split('\n');
  const own = clients.find((line) => line.startsWith(`id=${appId} `));
  expect(own, 'the command connection in CLIENT LIST').toContain('name=activity-commands');
  const address = own?.match(/\baddr=(\S+)/)?.[1];
  if (!address) throw new Error(`client ${appId} has no address`);
  return address;
}

describe('round trips', () => {
  it('costs exactly one Redis command per tracked call', async () => {
    // Warm up: the first call loads the functions (FUNCTION LOAD, then FCALL again).
    expectData(await first.run(TrackLogin, { playerId: 'warm-up' }));
    expectData(await first.run(TrackActivity, { playerId: 'warm-up', eventType: 'DOCK' }));
    expectData(await first.run(TrackLogout, { playerId: 'warm-up' }));

    const address = await commandConnectionAddress(first.app.redis as Redis, first.redis);
    const calls: Record<string, () => Promise<ExecutionResult<unknown>>> = {
      'trackLogin (no open session)': () => first.run(TrackLogin, { playerId: 'p-1' }),
      'trackLogin (re-login)': () => first.run(TrackLogin, { playerId: 'p-1' }),
      'trackActivity (trade)': () =>
        first.run(TrackActivity, { playerId: 'p-1', eventType: 'TRADE_SELL', details: { total_value: 5 } }),
      'trackActivity (sector move)': () =>
        first.run(TrackActivity, { playerId: 'p-1', eventType: 'SECTOR_MOVE', details: { sector_id: 7 } }),
      'trackLogout (open session)': () => first.run(TrackLogout, { playerId: 'p-1' }),
      'trackLogout (no session)': () => first.run(TrackLogout, { playerId: 'p-1' }),
      'trackActivity (no session)': () => first.run(TrackActivity, { playerId: 'p-1', eventType: 'WARP' }),
    };
    const perCall: Record<string, string[]> = {};
    for (const [name, call] of Object.entries(calls)) {
      // The app's own commands (a script's commands come from "lua", not the app).
      const commands = await commandsDuring(first.redis, async () => expectData(await call()));
      perCall[name] = commands.filter(({ source }) => source === address).map(({ command }) => command);
    }
    for (const [name, commands] of Object.entries(perCall)) expect(commands, name).toEqual(['fcall']);
    console.info(
      'round trips per call: ' +
        Object.entries(perCall)
          .map(([name, commands]) => `${name} = ${commands.length} (${commands.join(', ')})`)
          .join('; '),
    );
  });
});
