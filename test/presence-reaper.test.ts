import { describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.ts';
import { errorCodes, startTestService, useTestService } from './support/harness.ts';
import {
  DailyStats,
  PlayerSession,
  PlayerSummary,
  RecentEvents,
  TrackActivity,
  TrackHeartbeat,
  TrackLogin,
} from './support/operations.ts';

/** Idle timeout 1800 s (the default); reaping is driven by hand with the manual clock. */

const service = useTestService({ env: { ACTIVITY_REAPER_BATCH_SIZE: '50' } });

const MINUTE = 60_000;
const online = async () => (await service.redis.smembers('activity:online_players')).sort();

describe('trackHeartbeat', () => {
  it('keeps the session alive without counting an action or recording an event', async () => {
    await service.run(TrackLogin, { playerId: 'p-1' });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'DOCK' });
    await service.redis.expire('activity:session:p-1', 60);
    service.clock.advance(5 * MINUTE);

    const result = await service.run(TrackHeartbeat, { playerId: 'p-1' });

    expect(result.data?.trackHeartbeat).toEqual({
      playerId: 'p-1',
      lastActivityAt: '2026-11-23T22:00:00.000Z',
      lastSeenAt: '2026-11-23T22:05:00.000Z',
      actionsCount: 1,
    });
    expect(await service.redis.ttl('activity:session:p-1')).toBe(86_400);
    expect(await service.redis.llen('activity:events:p-1')).toBe(2); // login + dock, no heartbeat event
    const stored = JSON.parse((await service.redis.get('activity:session:p-1')) ?? '');
    expect(stored.last_seen_at).toBe('2026-11-23T22:05:00');
    // An activity after the heartbeat keeps it.
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'WARP' });
    expect((await service.run(PlayerSession, { playerId: 'p-1' })).data?.playerSession?.actionsCount).toBe(2);
    expect(JSON.parse((await service.redis.get('activity:session:p-1')) ?? '').last_seen_at).toBe(
      '2026-11-23T22:05:00',
    );
  });

  it('returns null and writes nothing without an open session', async () => {
    const result = await service.run(TrackHeartbeat, { playerId: 'offline' });
    expect(result.errors).toBeUndefined();
    expect(result.data?.trackHeartbeat).toBeNull();
    expect(await service.redis.dbsize()).toBe(0);
  });

  it('refuses a bad player id', async () => {
    expect(errorCodes(await service.run(TrackHeartbeat, { playerId: 'no good' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('is allowed to the player itself and the game server only', async () => {
    await service.run(TrackLogin, { playerId: 'p-1' });
    const as = async (role: 'player' | 'admin', playerId?: string) =>
      service.as(await service.token({ role, ...(playerId ? { playerId } : {}) }));
    expect((await (await as('player', 'p-1')).run(TrackHeartbeat, { playerId: 'p-1' })).errors).toBeUndefined();
    expect(errorCodes(await (await as('player', 'p-2')).run(TrackHeartbeat, { playerId: 'p-1' }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(errorCodes(await (await as('admin')).run(TrackHeartbeat, { playerId: 'p-1' }))).toEqual(['FORBIDDEN']);
  });
});

describe('the idle reaper', () => {
  it('completes idle sessions at their last activity and keeps heartbeating players online', async () => {
    await service.run(TrackLogin, { playerId: 'quiet' });
    await service.run(TrackLogin, { playerId: 'gone' });
    service.clock.set('2026-11-23T22:10:00.000Z');
    await service.run(TrackActivity, { playerId: 'gone', eventType: 'TRADE_BUY', details: { total_value: 7 } });
    await service.run(TrackActivity, { playerId: 'quiet', eventType: 'DOCK' });
    const feed = service.app.onlineCount.watch();
    expect((await feed.next()).value).toBe(2);

    // 29 minutes later both are still within the timeout.
    service.clock.set('2026-11-23T22:39:00.000Z');
    expect(await service.app.reaper.runOnce()).toEqual({ reaped: 0, ghosts: 0, failed: 0 });
    await service.run(TrackHeartbeat, { playerId: 'quiet' });
    // 31 minutes after the last activity: only `gone` is idle.
    service.clock.set('2026-11-23T22:41:00.000Z');
    expect(await service.app.reaper.runOnce()).toEqual({ reaped: 1, ghosts: 0, failed: 0 });

    expect(await online()).toEqual(['quiet']);
    expect((await feed.next()).value).toBe(1);
    await feed.return?.();
    expect(await service.redis.exists('activity:session:gone')).toBe(0);
    const summary = (await service.run(PlayerSummary, { playerId: 'gone' })).data?.playerSummary;
    expect(summary).toMatchObject({ totalSessions: 1, totalPlaytimeSeconds: 600, totalTrades: 1, totalTradeVolume: 7 });
    const day = (await service.run(DailyStats, { playerId: 'gone', date: '2026-11-23' })).data?.dailyStats;
    expect(day).toMatchObject({ sessions: 1, playtimeSeconds: 600 });
    const [logout] = (await service.run(RecentEvents, { playerId: 'gone', limit: 1 })).data?.recentEvents ?? [];
    expect(logout).toEqual({
      eventType: 'LOGOUT',
      timestamp: '2026-11-23T22:10:00.000Z',
      details: { duration_seconds: 600, reason: 'idle' },
    });
    expect((await service.run(PlayerSession, { playerId: 'quiet' })).data?.playerSession?.actionsCount).toBe(1);
  });

  it('removes members whose session is gone, and publishes the count', async () => {
    await service.run(TrackLogin, { playerId: 'p-1' });
    await service.redis.sadd('activity:online_players', 'ghost-1', 'ghost-2');
    const feed = service.app.onlineCount.watch();
    expect((await feed.next()).value).toBe(3);

    expect(await service.app.reaper.runOnce()).toEqual({ reaped: 0, ghosts: 2, failed: 0 });

    expect(await online()).toEqual(['p-1']);
    // The sliding buffer may skip the intermediate count; the last one is exact.
    await eventually(async () => expect((await feed.next()).value).toBe(1));
    await feed.return?.();
    expect(await service.redis.exists('activity:summary:ghost-1')).toBe(0);
  });

  it('never completes a session twice when instances reap at once', async () => {
    const second = await startTestService({ redisServer: service.redisServer });
    try {
      second.clock.set('2026-11-23T22:00:00.000Z');
      await Promise.all(['a', 'b', 'c'].map((playerId) => service.run(TrackLogin, { playerId })));
      service.clock.set('2026-11-23T23:00:00.000Z');
      second.clock.set('2026-11-23T23:00:00.000Z');

      const outcomes = await Promise.all([service.app.reaper.runOnce(), second.app.reaper.runOnce()]);

      expect(outcomes.reduce((sum, outcome) => sum + outcome.reaped, 0)).toBe(3);
      for (const playerId of ['a', 'b', 'c']) {
        expect((await service.run(PlayerSummary, { playerId })).data?.playerSummary.totalSessions).toBe(1);
        const events = (await service.run(RecentEvents, { playerId })).data?.recentEvents ?? [];
        expect(events.filter((event) => event.eventType === 'LOGOUT')).toHaveLength(1);
      }
      expect(await online()).toEqual([]);
    } finally {
      await second.stop();
    }
  });

  it('walks a large online set in batches', async () => {
    const ids = Array.from({ length: 2_000 }, (_, n) => `player-${n}`);
    for (let start = 0; start < ids.length; start += 500) {
      const batch = ids.slice(start, start + 500);
      await Promise.all(batch.map((playerId) => service.app.store.trackLogin(playerId)));
    }
    service.clock.set('2026-11-23T22:45:00.000Z');
    // A third stays active, a third sends heartbeats, a third goes quiet; plus 300 ghosts.
    await Promise.all(
      ids.filter((_, n) => n % 3 === 0).map((playerId) => service.app.store.trackActivity(playerId, 'warp')),
    );
    await Promise.all(ids.filter((_, n) => n % 3 === 1).map((playerId) => service.app.store.trackHeartbeat(playerId)));
    await service.redis.sadd('activity:online_players', ...Array.from({ length: 300 }, (_, n) => `ghost-${n}`));
    service.clock.set('2026-11-23T23:00:00.000Z');

    const outcome = await service.app.reaper.runOnce();

    const quiet = ids.filter((_, n) => n % 3 === 2);
    expect(outcome).toEqual({ reaped: quiet.length, ghosts: 300, failed: 0 });
    expect(await service.redis.scard('activity:online_players')).toBe(ids.length - quiet.length);
    expect(await service.redis.exists(`activity:session:${quiet[0]}`)).toBe(0);
    expect(await service.redis.exists(`activity:session:${ids[0]}`)).toBe(1);
  });

  it('survives Redis going away during a pass and works again after', async () => {
    await service.run(TrackLogin, { playerId: 'p-1' });
    service.clock.set('2026-11-23T23:00:00.000Z');
    await service.redisServer.kill();
    try {
      await expect(service.app.reaper.runOnce()).rejects.toThrow();
    } finally {
      await service.redisServer.restart();
    }
    await eventually(
      async () => expect(await service.app.reaper.runOnce()).toEqual({ reaped: 0, ghosts: 0, failed: 0 }),
      { timeoutMs: 5_000 },
    );
  });
});

describe('the idle reaper, when some members are odd', () => {
  it('skips a player whose keys break the script, and reaps everyone else', async () => {
    const ids = Array.from({ length: 120 }, (_, n) => `odd-${n}`);
    await Promise.all(ids.map((playerId) => service.app.store.trackLogin(playerId)));
    await service.redis.sadd('activity:summary:odd-0', 'not a summary'); // a foreign writer's key
    service.clock.set('2026-11-23T23:00:00.000Z');

    const outcome = await service.app.reaper.runOnce();

    expect(outcome).toEqual({ reaped: 119, ghosts: 0, failed: 1 });
    expect(await online()).toEqual(['odd-0']);
    const metrics = await service.app.metrics.registry.getSingleMetricAsString('activity_reaped_sessions_total');
    expect(metrics).toMatch(/activity_reaped_sessions_total [1-9]\d*/);
  });

  it('removes members whose id this service would never write', async () => {
    await service.redis.sadd('activity:online_players', 'not an id!', 'x'.repeat(80));
    expect(await service.app.reaper.runOnce()).toEqual({ reaped: 0, ghosts: 2, failed: 0 });
    expect(await online()).toEqual([]);
  });
});
