import { spawnSync } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestService } from './support/harness.ts';
import {
  PlayerSession,
  PlayerSummary,
  RecentEventIds,
  RecentEvents,
  TrackActivity,
  TrackActivityWithId,
  TrackLogin,
  TrackLoginWithId,
  TrackLogout,
  TrackLogoutWithId,
} from './support/operations.ts';

/**
 * The original Python service shares the Redis during a migration: what it
 * wrote (json.dumps with spaces, isoformat timestamps with microseconds) must
 * read and continue here, and what this service writes must read there.
 */

const service = useTestService({}, '2026-11-23T23:00:00.000Z');

const pythonDumps = (value: Record<string, unknown>) =>
  JSON.stringify(value).replace(/":/g, '": ').replace(/,"/g, ', "');

/** Player "legacy"'s open session, as the original service writes it (json.dumps spacing, no microseconds on one stamp). */
const storeLegacySession = (counters: Record<string, unknown>) =>
  service.redis.set(
    'activity:session:legacy',
    pythonDumps({
      player_id: 'legacy',
      login_at: '2026-11-23T22:51:06.984836',
      last_activity_at: '2026-11-23T22:55:00',
      actions_count: 7,
      ...counters,
    }),
    'EX',
    3600,
  );

describe('data written by the original service', () => {
  beforeEach(async () => {
    await storeLegacySession({ trades_count: 2, trade_volume: 1500.75, combat_events: 1, sectors_visited: ['3', '9'] });
    await service.redis.set(
      'activity:summary:legacy',
      pythonDumps({
        player_id: 'legacy',
        total_sessions: 4,
        total_playtime_seconds: 3600.5,
        total_actions: 40,
        total_trades: 10,
        total_trade_volume: 10000,
        total_combat_events: 3,
        unique_sectors_visited: 2,
        all_sectors: ['1', '3'],
        last_updated: '2026-11-20T10:00:00+00:00',
      }),
    );
    await service.redis.lpush(
      'activity:events:legacy',
      pythonDumps({ event_type: 'login', timestamp: '2026-11-23T22:51:06.984836', details: {} }),
      pythonDumps({ event_type: 'trade_buy', timestamp: '2026-11-23T22:55:00Z', details: { total_value: 750.5 } }),
    );
    await service.redis.sadd('activity:online_players', 'legacy');
  });

  it('reads sessions, summaries and events, with every timestamp form', async () => {
    const session = await service.run(PlayerSession, { playerId: 'legacy' });
    expect(session.data?.playerSession).toEqual({
      playerId: 'legacy',
      loginAt: '2026-11-23T22:51:06.984Z',
      lastActivityAt: '2026-11-23T22:55:00.000Z',
      actionsCount: 7,
      tradesCount: 2,
      tradeVolume: 1500.75,
      combatEvents: 1,
      sectorsVisited: ['3', '9'],
    });
    const summary = await service.run(PlayerSummary, { playerId: 'legacy' });
    expect(summary.data?.playerSummary).toMatchObject({ totalSessions: 4, lastUpdated: '2026-11-20T10:00:00.000Z' });
    const events = await service.run(RecentEvents, { playerId: 'legacy' });
    expect(events.data?.recentEvents).toEqual([
      { eventType: 'TRADE_BUY', timestamp: '2026-11-23T22:55:00.000Z', details: { total_value: 750.5 } },
      { eventType: 'LOGIN', timestamp: '2026-11-23T22:51:06.984Z', details: {} },
    ]);
  });

  it('continues an open session and completes it with microsecond precision', async () => {
    await service.run(TrackActivity, { playerId: 'legacy', eventType: 'SECTOR_MOVE', details: { sector_id: 9 } });
    await service.run(TrackActivity, { playerId: 'legacy', eventType: 'TRADE_SELL', details: { total_value: 0.25 } });
    service.clock.set('2026-11-23T23:01:06.984Z');
    const logout = await service.run(TrackLogout, { playerId: 'legacy' });
    expect(logout.data?.trackLogout).toMatchObject({
      loginAt: '2026-11-23T22:51:06.984Z',
      durationSeconds: 599.999164, // from .984836 to .984000, ten minutes later
      actionsCount: 9,
      tradesCount: 3,
      tradeVolume: 1501,
      sectorsVisited: ['3', '9'],
    });
    const summary = await service.run(PlayerSummary, { playerId: 'legacy' });
    expect(summary.data?.playerSummary).toMatchObject({
      totalSessions: 5,
      totalPlaytimeSeconds: 3600.5 + 599.999164,
      totalActions: 49,
      totalTradeVolume: 11501,
      uniqueSectorsVisited: 3,
      allSectors: ['1', '3', '9'],
    });
  });

  it('completes a legacy session on re-login at its last activity', async () => {
    await service.run(TrackLogin, { playerId: 'legacy' });
    const stored = JSON.parse((await service.redis.lindex('activity:events:legacy', 1)) ?? '');
    expect(stored).toEqual({
      event_type: 'logout',
      timestamp: '2026-11-23T22:55:00',
      details: { duration_seconds: 233.015164, reason: 'relogin' },
    });
    expect(JSON.parse((await service.redis.get('activity:daily:legacy:2026-11-23')) ?? '')).toMatchObject({
      sessions: 1,
      actions: 7,
      trade_volume: 1500.75,
    });
  });

  it('reads lists that a cjson-based writer stored as {}', async () => {
    await service.redis.set(
      'activity:session:cj',
      '{"player_id":"cj","login_at":"2026-11-23T22:00:00","last_activity_at":"2026-11-23T22:00:00","actions_count":0,"trades_count":0,"trade_volume":0,"combat_events":0,"sectors_visited":{}}',
    );
    const result = await service.run(TrackActivity, { playerId: 'cj', eventType: 'DOCK' });
    expect(result.data?.trackActivity.session?.sectorsVisited).toEqual([]);
    expect(JSON.parse((await service.redis.get('activity:session:cj')) ?? '').sectors_visited).toEqual([]);
  });
});

describe('data written by this service', () => {
  it('uses exactly the snake_case fields and naive UTC timestamps of the original', async () => {
    service.clock.set('2026-11-23T22:51:06.984Z');
    await service.run(TrackLogin, { playerId: 'p' });
    await service.run(TrackActivity, { playerId: 'p', eventType: 'WARP' });
    const session = JSON.parse((await service.redis.get('activity:session:p')) ?? '');
    expect(Object.keys(session).sort()).toEqual([
      'actions_count',
      'combat_events',
      'last_activity_at',
      'login_at',
      'player_id',
      'sectors_visited',
      'trade_volume',
      'trades_count',
    ]);
    expect(session.login_at).toBe('2026-11-23T22:51:06.984000');
    service.clock.set('2026-11-23T23:00:00.000Z');
    await service.run(TrackLogout, { playerId: 'p' });
    const summary = JSON.parse((await service.redis.get('activity:summary:p')) ?? '');
    expect(Object.keys(summary).sort()).toEqual([
      'all_sectors',
      'last_updated',
      'player_id',
      'total_actions',
      'total_combat_events',
      'total_playtime_seconds',
      'total_sessions',
      'total_trade_volume',
      'total_trades',
      'unique_sectors_visited',
    ]);
    expect(summary.all_sectors).toEqual([]);
    expect(summary.last_updated).toBe('2026-11-23T23:00:00'); // no fraction when it is zero, as Python writes
    const daily = JSON.parse((await service.redis.get('activity:daily:p:2026-11-23')) ?? '');
    expect(Object.keys(daily).sort()).toEqual([
      'actions',
      'combat_events',
      'date',
      'player_id',
      'playtime_seconds',
      'sessions',
      'trade_volume',
      'trades',
    ]);
    for (const raw of await service.redis.lrange('activity:events:p', 0, -1)) {
      expect(Object.keys(JSON.parse(raw)).sort()).toEqual(['details', 'event_type', 'timestamp']);
    }
  });
});

describe('event ids on a Redis shared with the original', () => {
  it('a legacy session continues with ids; events with "event_id" read in Python as the original reads them', async () => {
    await storeLegacySession({ trades_count: 0, trade_volume: 0, combat_events: 0, sectors_visited: [] });
    await service.redis.lpush(
      'activity:events:legacy',
      pythonDumps({ event_type: 'login', timestamp: '2026-11-23T22:51:06.984836', details: {} }),
    );
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await service.run(TrackActivityWithId, {
        playerId: 'legacy',
        eventType: 'DOCK',
        eventId: 'dock-1',
      });
      expect(result.data?.trackActivity.session?.actionsCount).toBe(8);
    }
    await service.run(TrackLogoutWithId, { playerId: 'legacy', eventId: 'out-1' });
    await service.run(TrackLoginWithId, { playerId: 'legacy', eventId: 'in-1' });
    const ids = (await service.run(RecentEventIds, { playerId: 'legacy' })).data?.recentEvents;
    expect(ids).toEqual([
      { eventType: 'LOGIN', eventId: 'in-1' },
      { eventType: 'LOGOUT', eventId: 'out-1' },
      { eventType: 'DOCK', eventId: 'dock-1' },
      { eventType: 'LOGIN', eventId: null },
    ]);
    // What the original does with an event: json.loads, then event_type, timestamp and details.
    const read = spawnSync(
      'python3',
      [
        '-c',
        `import json, sys
from datetime import datetime
for line in sys.stdin:
    e = json.loads(json.loads(line))
    print(e["event_type"], datetime.fromisoformat(e["timestamp"]).isoformat(), sorted(e["details"]))`,
      ],
      {
        input: (await service.redis.lrange('activity:events:legacy', 0, -1))
          .map((raw) => JSON.stringify(raw))
          .join('\n'),
        encoding: 'utf8',
      },
    );
    expect(read.stderr).toBe('');
    expect(
      read.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(' ')[0]),
    ).toEqual(['login', 'logout', 'dock', 'login']);
    // The id memory has keys of its own, which the original never reads.
    expect((await service.redis.keys('activity:event_id*:legacy')).sort()).toEqual([
      'activity:event_id_order:legacy',
      'activity:event_ids:legacy',
    ]);
  });
});
