import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityInput } from './gql/graphql.ts';
import { startTestCluster, type TestCluster } from './support/cluster.ts';
import { eventually } from './support/eventually.ts';
import { loadedLibraries } from './support/functions.ts';
import { type ClusterTestService, errorCodes, startClusterTestService } from './support/harness.ts';
import {
  DailyStats,
  OnlinePlayers,
  PlayerSession,
  PlayerSummary,
  RecentEvents,
  TrackActivities,
  TrackActivitiesWithIds,
  TrackActivity,
  TrackActivityWithId,
  TrackHeartbeat,
  TrackLogin,
  TrackLoginWithId,
  TrackLogout,
  TrackLogoutWithId,
} from './support/operations.ts';

/**
 * The core behaviours on a 3-master Redis Cluster: per-player keys share a
 * slot through their {id} hash tag, the online set lives in its own slot,
 * and no call ever sends a cross-slot command.
 */

let cluster: TestCluster;
let service: ClusterTestService;
beforeAll(async () => {
  cluster = await startTestCluster(3);
  service = await startClusterTestService(cluster);
}, 60_000);
afterAll(async () => {
  await service?.stop();
  await cluster?.stop();
});
beforeEach(async () => {
  await service.reset();
  service.clock.set('2026-11-23T22:00:00.000Z');
});

const ONLINE = 'activity:{activity:online}:players';

describe('on a Redis Cluster', () => {
  it('keeps one player’s keys in one slot, spread over the masters, and the online set in its own', async () => {
    const players = Array.from({ length: 12 }, (_, n) => `p-${n}`);
    for (const playerId of players) {
      await service.run(TrackLogin, { playerId });
      await service.run(TrackActivity, { playerId, eventType: 'DOCK' });
      await service.run(TrackLogout, { playerId });
    }
    const slots = new Set<number>();
    for (const playerId of players) {
      const keys = [
        `activity:session:{${playerId}}`,
        `activity:events:{${playerId}}`,
        `activity:summary:{${playerId}}`,
        `activity:daily:{${playerId}}:2026-11-23`,
      ];
      const keySlots = await Promise.all(keys.map((key) => service.redis.cluster('KEYSLOT', key)));
      expect(new Set(keySlots).size).toBe(1);
      slots.add(Number(keySlots[0]));
      expect(await service.redis.exists(keys[1]!, keys[2]!, keys[3]!)).toBe(3);
    }
    expect(slots.size).toBeGreaterThan(3);
  });

  it('loads its functions on every master, and again on the masters that lost them', async () => {
    const perMaster = () =>
      Promise.all(
        cluster.servers.map(async (server) => {
          const redis = new Redis(server.url);
          try {
            return (await loadedLibraries(redis)).map((library) => library.name);
          } finally {
            redis.disconnect();
          }
        }),
      );
    const loaded = await perMaster();
    expect(loaded[0]).toHaveLength(1);
    expect(loaded).toEqual(cluster.servers.map(() => loaded[0]));

    await Promise.all(
      cluster.servers.map(async (server) => {
        const redis = new Redis(server.url);
        try {
          await redis.call('FUNCTION', 'FLUSH');
        } finally {
          redis.disconnect();
        }
      }),
    );
    const players = Array.from({ length: 12 }, (_, n) => `f-${n}`);
    for (const playerId of players) {
      expect((await service.run(TrackLogin, { playerId })).errors).toBeUndefined();
      const activity = await service.run(TrackActivity, { playerId, eventType: 'DOCK' });
      expect(activity.data?.trackActivity.session?.actionsCount).toBe(1);
    }
    expect(await perMaster()).toEqual(loaded);
  });

  it('runs a whole session: login, activities, relogin, logout, reads', async () => {
    await service.run(TrackLogin, { playerId: 'a' });
    service.clock.set('2026-11-23T22:01:00.000Z');
    await service.run(TrackActivity, { playerId: 'a', eventType: 'TRADE_BUY', details: { total_value: 12.5 } });
    await service.run(TrackActivity, { playerId: 'a', eventType: 'SECTOR_MOVE', details: { sector_id: 4 } });
    await service.run(TrackActivity, { playerId: 'a', eventType: 'COMBAT_DEFEND' });
    service.clock.set('2026-11-23T22:05:00.000Z');
    const relogin = await service.run(TrackLogin, { playerId: 'a' });
    expect(relogin.errors).toBeUndefined();
    service.clock.set('2026-11-23T22:10:00.000Z');
    const logout = await service.run(TrackLogout, { playerId: 'a' });
    expect(logout.data?.trackLogout).toMatchObject({ durationSeconds: 300, actionsCount: 0 });
    expect((await service.run(TrackLogout, { playerId: 'a' })).data?.trackLogout).toBeNull();

    const summary = (await service.run(PlayerSummary, { playerId: 'a' })).data?.playerSummary;
    expect(summary).toMatchObject({
      totalSessions: 2,
      totalPlaytimeSeconds: 60 + 300,
      totalActions: 3,
      totalTrades: 1,
      totalTradeVolume: 12.5,
      totalCombatEvents: 1,
      allSectors: ['4'],
    });
    expect((await service.run(DailyStats, { playerId: 'a' })).data?.dailyStats).toMatchObject({ sessions: 2 });
    const events = (await service.run(RecentEvents, { playerId: 'a', limit: 3 })).data?.recentEvents ?? [];
    expect(events.map((event) => event.eventType)).toEqual(['LOGOUT', 'LOGIN', 'LOGOUT']);
    expect(events[2]?.details).toEqual({ duration_seconds: 60, reason: 'relogin' });
    expect((await service.run(PlayerSession, { playerId: 'a' })).data?.playerSession).toBeNull();
    expect((await service.run(OnlinePlayers)).data).toEqual({
      onlinePlayerCount: 0,
      onlinePlayerIds: { playerIds: [], nextCursor: null },
    });
  });

  it('keeps 200 concurrent activities of one player exact', async () => {
    await service.run(TrackLogin, { playerId: 'busy' });
    await Promise.all(
      Array.from({ length: 200 }, (_, n) =>
        service.run(TrackActivity, { playerId: 'busy', eventType: n % 2 ? 'COMBAT_ATTACK' : 'WARP' }),
      ),
    );
    const session = (await service.run(PlayerSession, { playerId: 'busy' })).data?.playerSession;
    expect(session).toMatchObject({ actionsCount: 200, combatEvents: 100 });
  });

  it('applies a batch spanning many slots in order per player', async () => {
    const players = ['x', 'y', 'z', 'w'];
    await Promise.all(players.map((playerId) => service.run(TrackLogin, { playerId })));
    const events = Array.from(
      { length: 40 },
      (_, n): ActivityInput => ({
        playerId: players[n % 4]!,
        eventType: 'SECTOR_MOVE',
        details: { sector_id: n },
      }),
    );
    const result = await service.run(TrackActivities, { events });
    expect(result.errors).toBeUndefined();
    expect(result.data?.trackActivities.map((r) => r?.session?.actionsCount)).toEqual(
      Array.from({ length: 40 }, (_, n) => Math.floor(n / 4) + 1),
    );
    const sectors = (await service.run(PlayerSession, { playerId: 'y' })).data?.playerSession?.sectorsVisited;
    expect(sectors).toEqual(Array.from({ length: 10 }, (_, n) => String(n * 4 + 1)));
  });

  it('counts online players exactly through a burst, and streams the count', async () => {
    const feed = service.app.onlineCount.watch();
    expect((await feed.next()).value).toBe(0);
    const players = Array.from({ length: 60 }, (_, n) => `burst-${n}`);
    await Promise.all(players.map((playerId) => service.run(TrackLogin, { playerId })));
    await Promise.all(players.slice(0, 25).map((playerId) => service.run(TrackLogout, { playerId })));
    const online = await service.run(OnlinePlayers);
    expect(online.data?.onlinePlayerCount).toBe(35);
    expect(await service.redis.scard(ONLINE)).toBe(35);
    await eventually(async () => expect((await feed.next()).value).toBe(35));
    await feed.return?.();
  });

  it('reaps idle sessions and ghosts, and heartbeats restore a missing member', async () => {
    await Promise.all(['idle', 'alive'].map((playerId) => service.run(TrackLogin, { playerId })));
    await service.redis.sadd(ONLINE, 'ghost');
    await service.redis.srem(ONLINE, 'alive'); // as if a crash fell between login and the set update
    service.clock.set('2026-11-23T22:20:00.000Z');
    await service.run(TrackHeartbeat, { playerId: 'alive' });
    expect(await service.redis.sismember(ONLINE, 'alive')).toBe(1);

    service.clock.set('2026-11-23T22:45:00.000Z');
    expect(await service.app.reaper.runOnce()).toEqual({ reaped: 1, ghosts: 1, failed: 0 });
    expect((await service.redis.smembers(ONLINE)).sort()).toEqual(['alive']);
    expect((await service.run(PlayerSummary, { playerId: 'idle' })).data?.playerSummary.totalSessions).toBe(1);
  });

  it('refuses bad input and writes nothing', async () => {
    const result = await service.run(TrackActivity, {
      playerId: 'a',
      eventType: 'TRADE_BUY',
      details: { total_value: 'x' },
    });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    const sizes = await Promise.all(
      cluster.servers.map(async (server) => {
        const { Redis } = await import('ioredis');
        const node = new Redis(server.url);
        try {
          return await node.dbsize();
        } finally {
          node.disconnect();
        }
      }),
    );
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('event ids: dedupe keys in the player’s slot, retries count once, a repeat redoes a missed online-set change', async () => {
    const players = Array.from({ length: 6 }, (_, n) => `e-${n}`);
    for (const playerId of players) {
      await service.run(TrackLoginWithId, { playerId, eventId: 'in' });
      const slots = await Promise.all(
        [
          `activity:session:{${playerId}}`,
          `activity:event_ids:{${playerId}}`,
          `activity:event_id_order:{${playerId}}`,
        ].map((key) => service.redis.cluster('KEYSLOT', key)),
      );
      expect(new Set(slots).size).toBe(1);
      expect(
        await service.redis.exists(`activity:event_ids:{${playerId}}`, `activity:event_id_order:{${playerId}}`),
      ).toBe(2);
    }
    const events = players.flatMap((playerId) => [
      { playerId, eventType: 'TRADE_BUY' as const, details: { total_value: 2 }, eventId: 't' },
      { playerId, eventType: 'TRADE_BUY' as const, details: { total_value: 2 }, eventId: 't' },
    ]);
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await service.run(TrackActivitiesWithIds, { events });
      expect(result.errors).toBeUndefined();
      expect(result.data?.trackActivities.map((item) => item?.session?.actionsCount)).toEqual(events.map(() => 1));
    }
    const single = await service.run(TrackActivityWithId, {
      playerId: 'e-0',
      eventType: 'TRADE_BUY',
      details: { total_value: 2 },
      eventId: 't',
    });
    expect(single.data?.trackActivity.duplicate).toBe(true);
    const reused = await service.run(TrackActivityWithId, { playerId: 'e-0', eventType: 'DOCK', eventId: 't' });
    expect(errorCodes(reused)).toEqual(['EVENT_ID_REUSED']);

    // As if the instance died between the login script and the online-set update: the retry puts it right.
    await service.redis.srem(ONLINE, 'e-1');
    await service.run(TrackLoginWithId, { playerId: 'e-1', eventId: 'in' });
    expect(await service.redis.sismember(ONLINE, 'e-1')).toBe(1);
    await service.run(TrackLogoutWithId, { playerId: 'e-1', eventId: 'out' });
    await service.redis.sadd(ONLINE, 'e-1');
    expect(
      (await service.run(TrackLogoutWithId, { playerId: 'e-1', eventId: 'out' })).data?.trackLogout?.actionsCount,
    ).toBe(1);
    expect(await service.redis.sismember(ONLINE, 'e-1')).toBe(0);
    expect((await service.run(PlayerSummary, { playerId: 'e-1' })).data?.playerSummary.totalSessions).toBe(1);
  });

  it('batches in chunks per player: a player past 100 events spans chunks, a wrong-type player fails alone', async () => {
    await Promise.all(['a', 'b', 'c'].map((playerId) => service.run(TrackLogin, { playerId })));
    await service.redis.del('activity:events:{c}');
    await service.redis.sadd('activity:events:{c}', 'not-a-list'); // a foreign writer's key
    const events = Array.from(
      { length: 250 },
      (_, n): ActivityInput => ({
        playerId: n % 3 === 2 ? 'b' : n === 7 || n === 70 ? 'c' : 'a',
        eventType: 'TRADE_SELL',
        details: { total_value: 0.5 },
        // a's first and 160th events share an id: the second is a duplicate, in a's second chunk
        eventId: n === 0 || n === 240 ? 'first-of-a' : `e-${n}`,
      }),
    );
    const result = await service.run(TrackActivitiesWithIds, { events });
    expect(result.errors?.map((error) => [error.extensions?.['code'], error.path])).toEqual([
      ['INTERNAL_SERVER_ERROR', ['trackActivities', 7]],
      ['INTERNAL_SERVER_ERROR', ['trackActivities', 70]],
    ]);
    const items = result.data?.trackActivities ?? [];
    expect(items[240]).toMatchObject({ duplicate: true, session: { actionsCount: 1 } });
    const counted = events.filter((event, n) => event.playerId !== 'c' && n !== 240);
    const last = (playerId: string) => items.findLast((_, n) => events[n]!.playerId === playerId);
    expect(last('a')?.session?.actionsCount).toBe(counted.filter((event) => event.playerId === 'a').length);
    expect(last('b')?.session?.actionsCount).toBe(counted.filter((event) => event.playerId === 'b').length);
    expect(await service.redis.type('activity:events:{c}')).toBe('set');
    expect(await service.redis.exists('activity:event_ids:{c}')).toBe(0);
    await eventually(async () =>
      expect(await service.redis.hgetall('activity:{activity:online}:global:daily:2026-11-23')).toMatchObject({
        actions: String(counted.length),
        trades: String(counted.length),
        trade_volume: String(counted.length / 2),
      }),
    );
  });
});
