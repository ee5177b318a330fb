import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorCodes, startTestService, type TestService } from './support/harness.ts';
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

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.stop();
});
beforeEach(async () => {
  await service.reset();
  service.clock.set('2026-11-23T22:00:00.000Z');
});

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
