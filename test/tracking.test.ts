import { describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.ts';
import { errorCodes, useTestService } from './support/harness.ts';
import {
  DailyStats,
  OnlinePlayers,
  PlayerSession,
  PlayerSummary,
  RecentEvents,
  TrackActivity,
  TrackLogin,
  TrackLogout,
} from './support/operations.ts';
import { dumpRedis } from './support/redis-dump.ts';

const service = useTestService();
const dump = () => dumpRedis(service.redis);

const stored = async (key: string) => JSON.parse((await service.redis.get(key)) ?? 'null');

describe('trackLogin', () => {
  it('opens a zeroed session, records a login event and marks the player online', async () => {
    const result = await service.run(TrackLogin, { playerId: 'p-1' });
    expect(result.errors).toBeUndefined();
    expect(result.data?.trackLogin).toEqual({
      playerId: 'p-1',
      loginAt: '2026-11-23T22:00:00.000Z',
      lastActivityAt: '2026-11-23T22:00:00.000Z',
      actionsCount: 0,
      tradesCount: 0,
      tradeVolume: 0,
      combatEvents: 0,
      sectorsVisited: [],
    });
    expect(await service.redis.get('activity:session:p-1')).toBe(
      '{"player_id":"p-1","login_at":"2026-11-23T22:00:00","last_activity_at":"2026-11-23T22:00:00",' +
        '"actions_count":0,"trades_count":0,"trade_volume":0,"combat_events":0,"sectors_visited":[]}',
    );
    expect(await service.redis.lrange('activity:events:p-1', 0, -1)).toEqual([
      '{"event_type":"login","timestamp":"2026-11-23T22:00:00","details":{}}',
    ]);
    expect(await service.redis.smembers('activity:online_players')).toEqual(['p-1']);
  });
});

describe('trackLogin TTLs', () => {
  it('sets the TTLs of the contract', async () => {
    await service.run(TrackLogin, { playerId: 'p-1' });
    expect(await service.redis.ttl('activity:session:p-1')).toBe(86_400);
    expect(await service.redis.ttl('activity:events:p-1')).toBe(7 * 86_400);
    expect(await service.redis.ttl('activity:online_players')).toBe(-1);
  });

  it('completes an open session at its last activity before opening a new one', async () => {
    await service.run(TrackLogin, { playerId: 'p-1' });
    service.clock.set('2026-11-23T22:10:00.250Z');
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'TRADE_SELL', details: { total_value: 40.5 } });
    service.clock.set('2026-11-24T09:00:00.000Z'); // the next day: the old session belongs to the 23rd

    const relogin = await service.run(TrackLogin, { playerId: 'p-1' });

    expect(relogin.data?.trackLogin.loginAt).toBe('2026-11-24T09:00:00.000Z');
    expect(relogin.data?.trackLogin.actionsCount).toBe(0);
    const summary = await service.run(PlayerSummary, { playerId: 'p-1' });
    expect(summary.data?.playerSummary).toMatchObject({
      totalSessions: 1,
      totalPlaytimeSeconds: 600.25,
      totalActions: 1,
      totalTrades: 1,
      totalTradeVolume: 40.5,
    });
    const day = await service.run(DailyStats, { playerId: 'p-1', date: '2026-11-23' });
    expect(day.data?.dailyStats).toMatchObject({ sessions: 1, playtimeSeconds: 600.25, trades: 1 });
    const events = await service.run(RecentEvents, { playerId: 'p-1', limit: 3 });
    expect(events.data?.recentEvents).toEqual([
      { eventType: 'LOGIN', timestamp: '2026-11-24T09:00:00.000Z', details: {} },
      {
        eventType: 'LOGOUT',
        timestamp: '2026-11-23T22:10:00.250Z',
        details: { duration_seconds: 600.25, reason: 'relogin' },
      },
      { eventType: 'TRADE_SELL', timestamp: '2026-11-23T22:10:00.250Z', details: { total_value: 40.5 } },
    ]);
    expect(await service.redis.smembers('activity:online_players')).toEqual(['p-1']);
  });
});

describe('trackActivity', () => {
  it('bumps the counters of an open session', async () => {
    await service.run(TrackLogin, { playerId: 'p-1' });
    service.clock.advance(1_000);
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'TRADE_BUY', details: { total_value: 100.25 } });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'TRADE_SELL' });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'COMBAT_ATTACK', details: { target: 'x' } });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'COMBAT_DEFEND' });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'SECTOR_MOVE', details: { sector_id: 12 } });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'SECTOR_MOVE', details: { sector_id: 'alpha' } });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'SECTOR_MOVE', details: { sector_id: 12 } });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'SECTOR_MOVE', details: { sector_id: 0 } });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'SECTOR_MOVE', details: { sector_id: '' } });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'SECTOR_MOVE' });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'DOCK' });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'UNDOCK' });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'PLANET_LAND' });
    service.clock.advance(1_500);
    const last = await service.run(TrackActivity, { playerId: 'p-1', eventType: 'WARP', details: { to: 7 } });

    expect(last.errors).toBeUndefined();
    expect(last.data?.trackActivity).toEqual({
      event: { eventType: 'WARP', timestamp: '2026-11-23T22:00:02.500Z', details: { to: 7 } },
      session: {
        playerId: 'p-1',
        lastActivityAt: '2026-11-23T22:00:02.500Z',
        actionsCount: 14,
        tradesCount: 2,
        tradeVolume: 100.25,
        combatEvents: 2,
        sectorsVisited: ['12', 'alpha'],
      },
    });
    const session = await service.run(PlayerSession, { playerId: 'p-1' });
    expect(session.data?.playerSession).toMatchObject({ actionsCount: 14, sectorsVisited: ['12', 'alpha'] });
    expect(await service.redis.ttl('activity:session:p-1')).toBe(86_400);
  });

  it('records the event but leaves counters alone without an open session', async () => {
    const result = await service.run(TrackActivity, { playerId: 'ghost', eventType: 'DOCK', details: { port: 3 } });
    expect(result.errors).toBeUndefined();
    expect(result.data?.trackActivity).toEqual({
      event: { eventType: 'DOCK', timestamp: '2026-11-23T22:00:00.000Z', details: { port: 3 } },
      session: null,
    });
    expect(await service.redis.exists('activity:session:ghost')).toBe(0);
    expect(await service.redis.lrange('activity:events:ghost', 0, -1)).toEqual([
      '{"event_type":"dock","timestamp":"2026-11-23T22:00:00","details":{"port":3}}',
    ]);
    expect(await service.redis.ttl('activity:events:ghost')).toBe(7 * 86_400);
  });

  it('keeps the last 100 sectors of a session and the last 500 events', async () => {
    await service.run(TrackLogin, { playerId: 'p-1' });
    for (let sector = 1; sector <= 120; sector++) {
      await service.run(TrackActivity, { playerId: 'p-1', eventType: 'SECTOR_MOVE', details: { sector_id: sector } });
    }
    for (let i = 0; i < 400; i++) {
      await service.run(TrackActivity, { playerId: 'p-1', eventType: 'WARP' });
    }
    const session = await service.run(PlayerSession, { playerId: 'p-1' });
    const sectors = session.data?.playerSession?.sectorsVisited ?? [];
    expect(sectors).toHaveLength(100);
    expect(sectors[0]).toBe('21');
    expect(sectors[99]).toBe('120');
    expect(await service.redis.llen('activity:events:p-1')).toBe(500);
    const newest = await service.run(RecentEvents, { playerId: 'p-1', limit: 500 });
    expect(newest.data?.recentEvents).toHaveLength(500);
    expect(newest.data?.recentEvents.at(-1)).toMatchObject({ eventType: 'SECTOR_MOVE', details: { sector_id: 21 } });
  });

  it('keeps the full precision of trade volumes', async () => {
    await service.run(TrackLogin, { playerId: 'p-1' });
    await service.run(TrackActivity, {
      playerId: 'p-1',
      eventType: 'TRADE_BUY',
      details: { total_value: 123456789012.34567 },
    });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'TRADE_BUY', details: { total_value: 0.1 } });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'TRADE_BUY', details: { total_value: 0.2 } });
    const session = await stored('activity:session:p-1');
    expect(session.trade_volume).toBe(123456789012.34567 + 0.1 + 0.2);
    const logout = await service.run(TrackLogout, { playerId: 'p-1' });
    expect(logout.data?.trackLogout?.tradeVolume).toBe(123456789012.34567 + 0.1 + 0.2);
    expect((await stored('activity:summary:p-1')).total_trade_volume).toBe(123456789012.34567 + 0.1 + 0.2);
  });
});

describe('trackLogout', () => {
  it('folds the session into the summary and the daily record of the logout day', async () => {
    await service.run(TrackLogin, { playerId: 'p-1' });
    service.clock.set('2026-11-23T22:00:30.000Z');
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'TRADE_BUY', details: { total_value: 12.5 } });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'COMBAT_DEFEND' });
    await service.run(TrackActivity, { playerId: 'p-1', eventType: 'SECTOR_MOVE', details: { sector_id: 'S1' } });
    service.clock.set('2026-11-24T00:00:15.500Z'); // past midnight: the logout's UTC day counts

    const logout = await service.run(TrackLogout, { playerId: 'p-1' });

    expect(logout.data?.trackLogout).toEqual({
      playerId: 'p-1',
      loginAt: '2026-11-23T22:00:00.000Z',
      logoutAt: '2026-11-24T00:00:15.500Z',
      durationSeconds: 7215.5,
      actionsCount: 3,
      tradesCount: 1,
      tradeVolume: 12.5,
      combatEvents: 1,
      sectorsVisited: ['S1'],
    });
    expect(await service.redis.exists('activity:session:p-1')).toBe(0);
    expect(await service.redis.scard('activity:online_players')).toBe(0);
    expect(await stored('activity:summary:p-1')).toEqual({
      player_id: 'p-1',
      total_sessions: 1,
      total_playtime_seconds: 7215.5,
      total_actions: 3,
      total_trades: 1,
      total_trade_volume: 12.5,
      total_combat_events: 1,
      unique_sectors_visited: 1,
      all_sectors: ['S1'],
      last_updated: '2026-11-24T00:00:15.500000',
    });
    expect(await service.redis.ttl('activity:summary:p-1')).toBe(30 * 86_400);
    expect(await stored('activity:daily:p-1:2026-11-24')).toEqual({
      player_id: 'p-1',
      date: '2026-11-24',
      sessions: 1,
      playtime_seconds: 7215.5,
      actions: 3,
      trades: 1,
      trade_volume: 12.5,
      combat_events: 1,
    });
    expect(await service.redis.ttl('activity:daily:p-1:2026-11-24')).toBe(14 * 86_400);
    expect(await service.redis.exists('activity:daily:p-1:2026-11-23')).toBe(0);
    expect(JSON.parse((await service.redis.lindex('activity:events:p-1', 0)) ?? '')).toEqual({
      event_type: 'logout',
      timestamp: '2026-11-24T00:00:15.500000',
      details: { duration_seconds: 7215.5 },
    });
  });

  it('adds up sessions and keeps the last 200 distinct sectors in the summary', async () => {
    for (let session = 0; session < 3; session++) {
      await service.run(TrackLogin, { playerId: 'p-1' });
      for (let sector = 1; sector <= 100; sector++) {
        const sectorId = session * 60 + sector; // sessions overlap by 40 sectors
        await service.run(TrackActivity, {
          playerId: 'p-1',
          eventType: 'SECTOR_MOVE',
          details: { sector_id: sectorId },
        });
      }
      service.clock.advance(60_000);
      await service.run(TrackLogout, { playerId: 'p-1' });
    }
    const summary = (await service.run(PlayerSummary, { playerId: 'p-1' })).data?.playerSummary;
    expect(summary?.totalSessions).toBe(3);
    expect(summary?.totalActions).toBe(300);
    expect(summary?.totalPlaytimeSeconds).toBe(180);
    expect(summary?.uniqueSectorsVisited).toBe(200);
    expect(summary?.allSectors[0]).toBe('21');
    expect(summary?.allSectors.at(-1)).toBe('220');
    expect(new Set(summary?.allSectors).size).toBe(200);
    const today = await service.run(DailyStats, { playerId: 'p-1' });
    expect(today.data?.dailyStats).toMatchObject({ date: '2026-11-23', sessions: 3, actions: 300 });
  });

  it('returns null and changes nothing when no session is open', async () => {
    await service.run(TrackLogin, { playerId: 'p-1' });
    await service.run(TrackLogout, { playerId: 'p-1' });
    const before = await dump();

    const again = await service.run(TrackLogout, { playerId: 'p-1' });
    const never = await service.run(TrackLogout, { playerId: 'never-seen' });

    expect(again.errors).toBeUndefined();
    expect(again.data?.trackLogout).toBeNull();
    expect(never.data?.trackLogout).toBeNull();
    expect(await dump()).toEqual(before);
    expect((await service.run(PlayerSummary, { playerId: 'p-1' })).data?.playerSummary.totalSessions).toBe(1);
  });
});

describe('reads', () => {
  it('answer zeroed defaults when nothing is stored', async () => {
    const [session, summary, events, day, online] = await Promise.all([
      service.run(PlayerSession, { playerId: 'nobody' }),
      service.run(PlayerSummary, { playerId: 'nobody' }),
      service.run(RecentEvents, { playerId: 'nobody' }),
      service.run(DailyStats, { playerId: 'nobody', date: '2026-02-28' }),
      service.run(OnlinePlayers),
    ]);
    expect(session.data?.playerSession).toBeNull();
    expect(summary.data?.playerSummary).toEqual({
      playerId: 'nobody',
      totalSessions: 0,
      totalPlaytimeSeconds: 0,
      totalActions: 0,
      totalTrades: 0,
      totalTradeVolume: 0,
      totalCombatEvents: 0,
      uniqueSectorsVisited: 0,
      allSectors: [],
      lastUpdated: null,
    });
    expect(events.data?.recentEvents).toEqual([]);
    expect(day.data?.dailyStats).toEqual({
      playerId: 'nobody',
      date: '2026-02-28',
      sessions: 0,
      playtimeSeconds: 0,
      actions: 0,
      trades: 0,
      tradeVolume: 0,
      combatEvents: 0,
    });
    expect(online.data).toEqual({ onlinePlayerCount: 0, onlinePlayerIds: { playerIds: [], nextCursor: null } });
  });

  it('fall back to defaults once the keys expire', async () => {
    await service.run(TrackLogin, { playerId: 'p-1' });
    await service.run(TrackLogout, { playerId: 'p-1' });
    await service.run(TrackLogin, { playerId: 'p-1' });
    for (const key of await service.redis.keys('activity:*:p-1*')) await service.redis.pexpire(key, 1);
    await eventually(async () => expect(await service.redis.keys('activity:*:p-1*')).toEqual([]));

    expect((await service.run(PlayerSession, { playerId: 'p-1' })).data?.playerSession).toBeNull();
    expect((await service.run(PlayerSummary, { playerId: 'p-1' })).data?.playerSummary.totalSessions).toBe(0);
    expect((await service.run(RecentEvents, { playerId: 'p-1' })).data?.recentEvents).toEqual([]);
    expect((await service.run(DailyStats, { playerId: 'p-1' })).data?.dailyStats.sessions).toBe(0);
    // The session is gone, so a logout has nothing to complete.
    expect((await service.run(TrackLogout, { playerId: 'p-1' })).data?.trackLogout).toBeNull();
  });

  it('list online players and limit recent events', async () => {
    await Promise.all(['a', 'b', 'c'].map((playerId) => service.run(TrackLogin, { playerId })));
    const online = await service.run(OnlinePlayers);
    expect(online.data?.onlinePlayerCount).toBe(3);
    expect([...(online.data?.onlinePlayerIds.playerIds ?? [])].sort()).toEqual(['a', 'b', 'c']);

    for (let i = 0; i < 60; i++)
      await service.run(TrackActivity, { playerId: 'a', eventType: 'WARP', details: { n: i } });
    const byDefault = await service.run(RecentEvents, { playerId: 'a' });
    expect(byDefault.data?.recentEvents).toHaveLength(50);
    expect(byDefault.data?.recentEvents[0]?.details).toEqual({ n: 59 });
    const two = await service.run(RecentEvents, { playerId: 'a', limit: 2 });
    expect(two.data?.recentEvents.map((event) => event.details)).toEqual([{ n: 59 }, { n: 58 }]);
  });
});

describe('bad input', () => {
  const badCalls = {
    'a player id with a space': () => service.run(TrackLogin, { playerId: 'bad id' }),
    'a player id of 65 characters': () => service.run(TrackLogin, { playerId: 'x'.repeat(65) }),
    'an empty player id': () => service.run(TrackLogout, { playerId: '' }),
    'a player id with a key separator': () => service.run(TrackActivity, { playerId: 'a:b', eventType: 'DOCK' }),
    'LOGIN as an activity': () => service.run(TrackActivity, { playerId: 'p-1', eventType: 'LOGIN' }),
    'LOGOUT as an activity': () => service.run(TrackActivity, { playerId: 'p-1', eventType: 'LOGOUT' }),
    'details that are an array': () =>
      service.run(TrackActivity, {
        playerId: 'p-1',
        eventType: 'DOCK',
        details: [1, 2] as unknown as Record<string, unknown>,
      }),
    'details that are a string': () =>
      service.run(TrackActivity, {
        playerId: 'p-1',
        eventType: 'DOCK',
        details: 'x' as unknown as Record<string, unknown>,
      }),
    'details over 16 KiB': () =>
      service.run(TrackActivity, { playerId: 'p-1', eventType: 'DOCK', details: { blob: 'x'.repeat(16 * 1024) } }),
    'a text total_value': () =>
      service.run(TrackActivity, { playerId: 'p-1', eventType: 'TRADE_BUY', details: { total_value: '12' } }),
    'a null total_value': () =>
      service.run(TrackActivity, { playerId: 'p-1', eventType: 'TRADE_SELL', details: { total_value: null } }),
    'an object sector_id': () =>
      service.run(TrackActivity, { playerId: 'p-1', eventType: 'SECTOR_MOVE', details: { sector_id: { a: 1 } } }),
    'an unknown event type': () => service.run(TrackActivity, { playerId: 'p-1', eventType: 'TELEPORT' as 'WARP' }),
    'a limit of 0': () => service.run(RecentEvents, { playerId: 'p-1', limit: 0 }),
    'a limit of 501': () => service.run(RecentEvents, { playerId: 'p-1', limit: 501 }),
    'an impossible date': () => service.run(DailyStats, { playerId: 'p-1', date: '2026-02-30' }),
    'a date in another format': () => service.run(DailyStats, { playerId: 'p-1', date: '23/11/2026' }),
    'a bad id on a read': () => service.run(PlayerSummary, { playerId: 'x/y' }),
  };

  it.each(Object.entries(badCalls))('refuses %s with BAD_USER_INPUT and writes nothing', async (_name, call) => {
    await service.run(TrackLogin, { playerId: 'p-1' });
    const before = await dump();
    const result = await call();
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    // A message that names what was wrong, not a bare code or an internal error.
    expect(result.errors?.[0]?.message).toMatch(
      /playerId|player id|details|total_value|sector_id|eventType|event type|ActivityEventType|limit|date|TELEPORT/i,
    );
    expect(result.errors?.[0]?.message).not.toMatch(/Unexpected error|Redis|script/i);
    expect(await dump()).toEqual(before);
  });

  it('refuses a non-finite total_value written as a literal', async () => {
    await service.run(TrackLogin, { playerId: 'p-1' });
    const before = await dump();
    const response = await service.app.yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await service.token({ role: 'service' })}`,
      },
      body: JSON.stringify({
        query:
          'mutation { trackActivity(playerId: "p-1", eventType: TRADE_BUY, details: { total_value: 1e400 }) { session { tradeVolume } } }',
      }),
    });
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors.map((error) => error.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors[0]?.message).toContain('total_value');
    expect(await dump()).toEqual(before);
  });
});
