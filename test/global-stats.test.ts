import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './support/cluster.ts';
import { GlobalDailyStats, OnlineCountHistory } from './support/global-operations.ts';
import {
  type ClusterTestService,
  errorCodes,
  startClusterTestService,
  type TestService,
  useTestService,
} from './support/harness.ts';
import { commandsDuring } from './support/monitor.ts';
import { TrackActivities, TrackActivity, TrackHeartbeat, TrackLogin, TrackLogout } from './support/operations.ts';

/**
 * Game-wide numbers: kept by the tracking scripts at the moment of each
 * change (never by scanning), in new keys only, readable by admins and game
 * servers, not by players.
 */

const service = useTestService({}, '2026-11-23T10:00:00.000Z');

/** Runs a document whose variables are all optional, with some of them given. */
function runWith<TData>(
  runner: { run: TestService['run'] },
  document: TypedDocumentNode<TData, never>,
  variables: Record<string, unknown> = {},
): Promise<ExecutionResult<TData>> {
  return (runner.run as unknown as (d: unknown, v: unknown) => Promise<ExecutionResult<TData>>)(document, variables);
}

const zeroed = (date: string) => ({
  date,
  activePlayers: 0,
  sessions: 0,
  playtimeSeconds: 0,
  actions: 0,
  trades: 0,
  tradeVolume: 0,
  combatEvents: 0,
  peakOnline: 0,
});

async function day(date?: string) {
  const result = await runWith(service, GlobalDailyStats, date ? { date } : {});
  expect(result.errors).toBeUndefined();
  return result.data!.globalDailyStats;
}

async function history(from?: string, to?: string) {
  const result = await runWith(service, OnlineCountHistory, { ...(from ? { from } : {}), ...(to ? { to } : {}) });
  expect(result.errors).toBeUndefined();
  return result.data!.onlineCountHistory.map(({ minute, count }) => `${minute.slice(11, 16)} ${count}`);
}

const at = (time: string) => service.clock.set(`2026-11-23T${time}Z`);
const login = (playerId: string) => service.run(TrackLogin, { playerId });
const logout = (playerId: string) => service.run(TrackLogout, { playerId });

describe('globalDailyStats', () => {
  it('is zeroed for a day with nothing recorded, and is today (by the service clock) by default', async () => {
    expect(await day()).toEqual(zeroed('2026-11-23'));
    expect(await day('2025-02-28')).toEqual(zeroed('2025-02-28'));
  });

  it('counts sessions, playtime, actions, trades, volume, combat, active players and the peak as they happen', async () => {
    at('10:00:00');
    await login('ann');
    await login('bob');
    await login('cid');
    at('10:10:00');
    await service.run(TrackActivity, { playerId: 'ann', eventType: 'TRADE_BUY', details: { total_value: 100.25 } });
    await service.run(TrackActivity, { playerId: 'bob', eventType: 'TRADE_SELL', details: { total_value: 0.1 } });
    await service.run(TrackActivity, { playerId: 'bob', eventType: 'TRADE_SELL', details: { total_value: 0.2 } });
    await service.run(TrackActivity, { playerId: 'cid', eventType: 'COMBAT_ATTACK' });
    // No session: still a recorded gameplay event, and a player seen today.
    await service.run(TrackActivity, { playerId: 'dan', eventType: 'SECTOR_MOVE', details: { sector_id: 7 } });
    await service.run(TrackHeartbeat, { playerId: 'cid' });
    at('10:30:00');
    await logout('ann'); // 30 min
    at('11:00:00');
    await login('bob'); // re-login: bob's first session completes at its last activity (10:10), 10 min
    await logout('nobody'); // nothing to complete: nothing counted

    expect(await day()).toEqual({
      date: '2026-11-23',
      activePlayers: 4,
      sessions: 4,
      playtimeSeconds: 2400,
      actions: 5,
      trades: 3,
      tradeVolume: 100.55,
      combatEvents: 1,
      peakOnline: 3,
    });
  });

  it('counts a batch like the same calls one by one', async () => {
    await service.run(TrackActivities, {
      events: [
        { playerId: 'p1', eventType: 'TRADE_BUY', details: { total_value: 10 } },
        { playerId: 'p2', eventType: 'COMBAT_DEFEND' },
        { playerId: 'p1', eventType: 'DOCK' },
      ],
    });
    expect(await day()).toMatchObject({ activePlayers: 2, actions: 3, trades: 1, tradeVolume: 10, combatEvents: 1 });
  });

  it('puts each number on its UTC day: sessions on the login day, playtime on the day the session ended', async () => {
    at('23:30:00');
    await login('night-owl');
    service.clock.set('2026-11-24T00:30:00Z');
    await service.run(TrackActivity, { playerId: 'night-owl', eventType: 'WARP' });
    await logout('night-owl');
    expect(await day('2026-11-23')).toMatchObject({
      sessions: 1,
      playtimeSeconds: 0,
      actions: 0,
      activePlayers: 1,
      peakOnline: 1,
    });
    // The player was online when the day began: the day's peak counts them.
    expect(await day('2026-11-24')).toMatchObject({
      sessions: 0,
      playtimeSeconds: 3600,
      actions: 1,
      activePlayers: 1,
      peakOnline: 1,
    });
  });

  it('keeps the peak when players leave, and counts the players online since yesterday in today’s peak', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) await login(id);
    for (const id of ['a', 'b', 'c']) await logout(id);
    expect(await day()).toMatchObject({ peakOnline: 5 });
    service.clock.set('2026-11-24T08:00:00Z');
    expect(await day()).toMatchObject({ date: '2026-11-24', peakOnline: 2 }); // no change yet today: who is online now
    await logout('d');
    expect(await day()).toMatchObject({ peakOnline: 2 });
  });

  it('estimates distinct players with a HyperLogLog: 1,000 players within 2 %', async () => {
    for (let batch = 0; batch < 2; batch++) {
      const events = Array.from({ length: 500 }, (_, i) => ({
        playerId: `hll-${batch * 500 + i}`,
        eventType: 'DOCK' as const,
      }));
      expect((await service.run(TrackActivities, { events })).errors).toBeUndefined();
    }
    // The same players again change nothing.
    await service.run(TrackActivities, {
      events: Array.from({ length: 500 }, (_, i) => ({ playerId: `hll-${i}`, eventType: 'UNDOCK' as const })),
    });
    const { activePlayers, actions } = await day();
    expect(actions).toBe(1500);
    expect(activePlayers).toBeGreaterThanOrEqual(980);
    expect(activePlayers).toBeLessThanOrEqual(1020);
  });

  it('stays exact under 200 concurrent logins', async () => {
    await Promise.all(Array.from({ length: 200 }, (_, i) => login(`crowd-${i}`)));
    const { sessions, peakOnline, activePlayers } = await day();
    expect({ sessions, peakOnline }).toEqual({ sessions: 200, peakOnline: 200 });
    expect(Math.abs(activePlayers - 200)).toBeLessThanOrEqual(4); // a HyperLogLog estimate
    expect(await history(undefined, undefined).then((points) => points.at(-1))).toBe('10:00 200');
  });

  it('counts the playtime of sessions the reaper completes, on the day they ended', async () => {
    at('10:00:00');
    await login('idler');
    at('10:20:00');
    await service.run(TrackActivity, { playerId: 'idler', eventType: 'DOCK' });
    at('11:00:00'); // 40 min idle > the 30 min default
    expect(await service.app.reaper.runOnce()).toMatchObject({ reaped: 1 });
    expect(await day()).toMatchObject({ sessions: 1, playtimeSeconds: 1200, peakOnline: 1 });
    expect(await history('2026-11-23T10:59:00Z', '2026-11-23T11:00:30Z')).toEqual(['10:59 1', '11:00 1']);
  });

  it('writes new keys only, beside the original ones, with TTLs', async () => {
    await login('k1');
    await service.run(TrackActivity, { playerId: 'k1', eventType: 'DOCK' });
    await logout('k1');
    const keys = (await service.redis.keys('*')).sort();
    expect(keys).toEqual([
      'activity:daily:k1:2026-11-23',
      'activity:events:k1',
      'activity:global:daily:2026-11-23',
      'activity:global:online:2026-11-23',
      'activity:global:players:2026-11-23',
      'activity:online_count_version',
      'activity:summary:k1',
    ]);
    const ttl = (key: string) => service.redis.ttl(key);
    const close = (seconds: number) => expect.toSatisfy((ttl: number) => ttl > seconds - 5 && ttl <= seconds);
    expect(await ttl('activity:global:daily:2026-11-23')).toEqual(close(400 * 86_400));
    expect(await ttl('activity:global:players:2026-11-23')).toEqual(close(400 * 86_400));
    expect(await ttl('activity:global:online:2026-11-23')).toEqual(close(3 * 86_400));
  });

  it("counts a player among a day's players from its first event that day, and adds it once", async () => {
    at('23:50:00');
    await login('night-owl');
    service.clock.set('2026-11-24T00:10:00Z');
    const commands = await commandsDuring(service.redis, async () => {
      await service.run(TrackActivity, { playerId: 'night-owl', eventType: 'WARP' }); // yesterday's session
      await service.run(TrackActivity, { playerId: 'night-owl', eventType: 'DOCK' });
      await service.run(TrackActivity, { playerId: 'no-session', eventType: 'DOCK' });
      await service.run(TrackActivity, { playerId: 'no-session', eventType: 'DOCK' });
    });
    expect(await day('2026-11-24')).toMatchObject({ activePlayers: 2, actions: 4 });
    expect(await day('2026-11-23')).toMatchObject({ activePlayers: 1, actions: 0 });
    // The session's first event of the day adds the player; its next one, last active today, need not.
    // Without a session every event adds it (a HyperLogLog ignores the repeat).
    // (MONITOR marks a script's own commands "lua".)
    expect(commands.filter(({ command, source }) => source === 'lua' && command === 'pfadd')).toHaveLength(3);
  });

  it('costs no extra round trip on a single server: one script run per tracked call', async () => {
    await login('warm-up'); // loads the functions
    await service.run(TrackActivity, { playerId: 'warm-up', eventType: 'DOCK' });
    await logout('warm-up');
    const commands = await commandsDuring(service.redis, async () => {
      await login('rt');
      await service.run(TrackActivity, { playerId: 'rt', eventType: 'TRADE_BUY', details: { total_value: 5 } });
      await service.run(TrackHeartbeat, { playerId: 'rt' });
      await logout('rt');
    });
    // What clients sent; MONITOR marks what scripts run inside Redis as "lua".
    const sent = commands.filter(({ source }) => source !== 'lua').map(({ command }) => command);
    expect(sent).toEqual(['fcall', 'fcall', 'fcall', 'fcall']);
  });

  it('is for admins and game servers: players get FORBIDDEN, no token UNAUTHENTICATED', async () => {
    const admin = service.as(await service.token({ role: 'admin', subject: 'ops' }));
    expect((await runWith(admin, GlobalDailyStats, {})).errors).toBeUndefined();
    expect((await runWith(admin, OnlineCountHistory, {})).errors).toBeUndefined();
    const player = service.as(await service.token({ role: 'player', playerId: 'p1' }));
    expect(errorCodes(await runWith(player, GlobalDailyStats, {}))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await runWith(player, OnlineCountHistory, {}))).toEqual(['FORBIDDEN']);
    const anonymous = service.as(null);
    expect(errorCodes(await runWith(anonymous, GlobalDailyStats, {}))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await runWith(anonymous, OnlineCountHistory, {}))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses an impossible date', async () => {
    expect(errorCodes(await runWith(service, GlobalDailyStats, { date: '2026-02-30' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await runWith(service, GlobalDailyStats, { date: 'yesterday' }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('onlineCountHistory', () => {
  it('answers the peak within each minute, and carries the count through minutes without a change', async () => {
    at('10:00:10');
    await login('a');
    at('10:00:20');
    await login('b');
    at('10:00:50');
    await logout('a'); // 10:00 peaked at 2 and ended at 1
    at('10:03:05');
    await login('c'); // 1 → 2: the minute's peak is 2
    at('10:03:40');
    await logout('b');
    await logout('c'); // ends at 0
    at('10:06:30');
    expect(await history('2026-11-23T09:58:00Z', '2026-11-23T10:10:00Z')).toEqual([
      // 09:58 and 09:59 are before anything was recorded: left out
      '10:00 2',
      '10:01 1',
      '10:02 1',
      '10:03 2',
      '10:04 0',
      '10:05 0',
      '10:06 0', // never past now
    ]);
  });

  it('counts the players online at the start of a minute in its peak', async () => {
    at('10:00:00');
    for (const id of ['x', 'y', 'z']) await login(id);
    at('10:05:30');
    await logout('x'); // 3 → 2 within 10:05: its peak is 3
    expect(await history('2026-11-23T10:04:00Z', '2026-11-23T10:05:59Z')).toEqual(['10:04 3', '10:05 3']);
  });

  it('covers the last 24 h by default, and shows a count that has not changed for a long time', async () => {
    at('10:00:00');
    await login('early');
    service.clock.set('2026-11-24T20:00:00Z'); // 34 h later, nothing has changed since
    const points = await history();
    expect(points).toHaveLength(24 * 60 + 1);
    expect(points[0]).toBe('20:00 1');
    expect(points.at(-1)).toBe('20:00 1');
    expect(new Set(points.map((point) => point.split(' ')[1]))).toEqual(new Set(['1']));
  });

  it('answers zeros for a quiet service with nobody online, so charts can say so', async () => {
    const points = await history('2026-11-23T09:00:00Z', '2026-11-23T09:10:00Z');
    expect(points).toHaveLength(11);
    expect(points.every((point) => point.endsWith(' 0'))).toBe(true);
  });

  it('keeps at least 48 hours', async () => {
    at('10:00:00');
    await login('keeper');
    at('10:30:00');
    await login('second');
    service.clock.set('2026-11-25T10:29:00Z'); // 47:59 later
    const points = await history('2026-11-23T10:29:00Z', '2026-11-23T10:31:00Z');
    expect(points).toEqual(['10:29 1', '10:30 2', '10:31 2']);
    expect(await service.redis.ttl('activity:global:online:2026-11-23')).toBeGreaterThan(0);
  });

  it('refuses a range that is empty, reversed, longer than 48 h, or not a DateTime', async () => {
    const check = async (from: string, to: string) =>
      errorCodes(await runWith(service, OnlineCountHistory, { from, to }));
    expect(await check('2026-11-23T10:00:00Z', '2026-11-23T10:00:00Z')).toEqual(['BAD_USER_INPUT']);
    expect(await check('2026-11-23T11:00:00Z', '2026-11-23T10:00:00Z')).toEqual(['BAD_USER_INPUT']);
    expect(await check('2026-11-20T10:00:00Z', '2026-11-23T10:00:00Z')).toEqual(['BAD_USER_INPUT']);
    expect(await check('yesterday', '2026-11-23T10:00:00Z')).toEqual(['BAD_USER_INPUT']);
    expect(await check('2026-11-21T10:00:00Z', '2026-11-23T10:00:00Z')).toEqual([]);
  });
});

describe('when Redis is away', () => {
  it('both answer SERVICE_UNAVAILABLE', async () => {
    const sleeper = service.redis.duplicate();
    await sleeper.ping(); // connected before Redis is put to sleep
    // Every client, every command held for 2.5 s; the reply says the pause is in effect.
    await sleeper.call('CLIENT', 'PAUSE', '2500', 'ALL');
    const [daily, points] = await Promise.all([
      runWith(service, GlobalDailyStats, {}),
      runWith(service, OnlineCountHistory, {}),
    ]);
    expect(errorCodes(daily)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(errorCodes(points)).toEqual(['SERVICE_UNAVAILABLE']);
    await sleeper.call('CLIENT', 'UNPAUSE');
    sleeper.disconnect();
  });
});

describe('on a Redis Cluster', () => {
  let cluster: TestCluster;
  let clustered: ClusterTestService;
  beforeAll(async () => {
    cluster = await startTestCluster(3);
    clustered = await startClusterTestService(cluster);
  }, 60_000);
  afterAll(async () => {
    await clustered?.stop();
    await cluster?.stop();
  });

  it('keeps the same numbers beside the online set, in its slot', async () => {
    clustered.clock.set('2026-11-23T10:00:00Z');
    for (const playerId of ['c1', 'c2', 'c3']) await clustered.run(TrackLogin, { playerId });
    await clustered.run(TrackActivities, {
      events: [
        { playerId: 'c1', eventType: 'TRADE_BUY', details: { total_value: 2.5 } },
        { playerId: 'c2', eventType: 'COMBAT_ATTACK' },
        { playerId: 'c4', eventType: 'DOCK' },
      ],
    });
    await clustered.run(TrackHeartbeat, { playerId: 'c3' });
    clustered.clock.set('2026-11-23T10:30:00Z');
    await clustered.run(TrackLogout, { playerId: 'c1' });
    await clustered.run(TrackLogin, { playerId: 'c2' }); // re-login: completes c2's session (ended 10:00)
    const result = await runWith(clustered, GlobalDailyStats, {});
    expect(result.errors).toBeUndefined();
    expect(result.data!.globalDailyStats).toEqual({
      date: '2026-11-23',
      activePlayers: 4,
      sessions: 4,
      playtimeSeconds: 1800,
      actions: 3,
      trades: 1,
      tradeVolume: 2.5,
      combatEvents: 1,
      peakOnline: 3,
    });
    const points = await runWith(clustered, OnlineCountHistory, {
      from: '2026-11-23T10:00:00Z',
      to: '2026-11-23T10:30:00Z',
    });
    // 10:30 went from 3 to 2: its peak is 3.
    expect(points.data!.onlineCountHistory.map((p) => p.count)).toEqual(Array(31).fill(3));
    const globalKeys = (await Promise.all(clustered.redis.nodes('master').map((node) => node.keys('*global*')))).flat();
    expect(globalKeys.every((key) => key.startsWith('activity:{activity:online}:global:'))).toBe(true);
    expect(globalKeys).toHaveLength(3);
  });
});
