import { describe, expect, it } from 'vitest';
import type { ActivityInput } from './gql/graphql.ts';
import { errorCodes, useTestService } from './support/harness.ts';
import { PlayerSession, RecentEvents, TrackActivities, TrackLogin } from './support/operations.ts';

const service = useTestService();

const snapshot = async () => {
  const keys = (await service.redis.keys('*')).sort();
  return Promise.all(keys.map(async (key) => [key, await service.redis.dump(key)]));
};

describe('trackActivities', () => {
  it('applies a mixed batch in order and answers one result per event', async () => {
    await service.run(TrackLogin, { playerId: 'a' });
    await service.run(TrackLogin, { playerId: 'b' });
    const events: ActivityInput[] = [
      { playerId: 'a', eventType: 'SECTOR_MOVE', details: { sector_id: 3 } },
      { playerId: 'b', eventType: 'TRADE_BUY', details: { total_value: 10.5 } },
      { playerId: 'a', eventType: 'SECTOR_MOVE', details: { sector_id: 1 } },
      { playerId: 'nobody', eventType: 'DOCK' },
      { playerId: 'a', eventType: 'SECTOR_MOVE', details: { sector_id: 2 } },
      { playerId: 'b', eventType: 'TRADE_SELL', details: { total_value: 4.5 } },
    ];

    const result = await service.run(TrackActivities, { events });

    expect(result.errors).toBeUndefined();
    const results = result.data?.trackActivities ?? [];
    expect(results.map((r) => r?.event.eventType)).toEqual(events.map((e) => e.eventType));
    expect(results.map((r) => r?.session?.actionsCount ?? null)).toEqual([1, 1, 2, null, 3, 2]);
    expect(results[4]?.session?.sectorsVisited).toEqual(['3', '1', '2']);
    expect(results[5]?.session?.tradeVolume).toBe(15);
    const recent = await service.run(RecentEvents, { playerId: 'a', limit: 3 });
    expect(recent.data?.recentEvents.map((e) => e.details)).toEqual([
      { sector_id: 2 },
      { sector_id: 1 },
      { sector_id: 3 },
    ]);
    expect((await service.run(RecentEvents, { playerId: 'nobody' })).data?.recentEvents).toHaveLength(1);
  });

  it('takes 500 events of one player in one call, in order', async () => {
    await service.run(TrackLogin, { playerId: 'a' });
    const events = Array.from(
      { length: 500 },
      (_, n): ActivityInput => ({
        playerId: 'a',
        eventType: 'WARP',
        details: { n },
      }),
    );
    const result = await service.run(TrackActivities, { events });
    expect(result.errors).toBeUndefined();
    expect(result.data?.trackActivities.at(-1)?.session?.actionsCount).toBe(500);
    const recent = await service.run(RecentEvents, { playerId: 'a', limit: 500 });
    expect(recent.data?.recentEvents.map((e) => e.details['n'])).toEqual(
      Array.from({ length: 500 }, (_, n) => 499 - n),
    );
  });

  it('answers an empty list for an empty batch', async () => {
    const result = await service.run(TrackActivities, { events: [] });
    expect(result.data?.trackActivities).toEqual([]);
  });

  it.each([
    ['a bad player id', { playerId: 'bad id', eventType: 'DOCK' }, 'events[2].playerId'],
    ['a session event', { playerId: 'a', eventType: 'LOGIN' }, 'events[2].eventType'],
    [
      'a text total_value',
      { playerId: 'a', eventType: 'TRADE_BUY', details: { total_value: 'x' } },
      'events[2].details.total_value',
    ],
    [
      'oversized details',
      { playerId: 'a', eventType: 'DOCK', details: { blob: 'x'.repeat(17_000) } },
      'events[2].details',
    ],
  ] as [string, ActivityInput, string][])(
    'refuses the whole batch for %s, naming its index',
    async (_name, bad, field) => {
      await service.run(TrackLogin, { playerId: 'a' });
      const before = await snapshot();
      const events: ActivityInput[] = [
        { playerId: 'a', eventType: 'DOCK' },
        { playerId: 'a', eventType: 'UNDOCK' },
        bad,
        { playerId: 'a', eventType: 'WARP' },
      ];
      const result = await service.run(TrackActivities, { events });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.message).toMatch(/^events\[2\]: /);
      expect(result.errors?.[0]?.extensions?.['field']).toBe(field);
      expect(await snapshot()).toEqual(before);
    },
  );

  it('refuses more than 500 events', async () => {
    const events = Array.from({ length: 501 }, (): ActivityInput => ({ playerId: 'a', eventType: 'WARP' }));
    const result = await service.run(TrackActivities, { events });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(await service.redis.dbsize()).toBe(0);
  });

  it('lets a player send only its own events, and the game server anyone’s', async () => {
    const own: ActivityInput[] = [
      { playerId: 'p-1', eventType: 'DOCK' },
      { playerId: 'p-1', eventType: 'UNDOCK' },
    ];
    const mixed: ActivityInput[] = [...own, { playerId: 'p-2', eventType: 'DOCK' }];
    const player = service.as(await service.token({ role: 'player', playerId: 'p-1' }));
    const admin = service.as(await service.token({ role: 'admin' }));

    expect(errorCodes(await player.run(TrackActivities, { events: mixed }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await admin.run(TrackActivities, { events: own }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await service.as(null).run(TrackActivities, { events: own }))).toEqual(['UNAUTHENTICATED']);
    expect(await service.redis.dbsize()).toBe(0);

    expect((await player.run(TrackActivities, { events: own })).errors).toBeUndefined();
    expect((await service.run(TrackActivities, { events: mixed })).errors).toBeUndefined();
    expect(await service.redis.llen('activity:events:p-1')).toBe(4);
  });

  it('keeps counts exact when batches for one player race each other', async () => {
    await service.run(TrackLogin, { playerId: 'a' });
    const batch = Array.from(
      { length: 50 },
      (): ActivityInput => ({
        playerId: 'a',
        eventType: 'TRADE_SELL',
        details: { total_value: 2 },
      }),
    );
    await Promise.all(Array.from({ length: 8 }, () => service.run(TrackActivities, { events: batch })));
    const session = await service.run(PlayerSession, { playerId: 'a' });
    expect(session.data?.playerSession).toMatchObject({ actionsCount: 400, tradesCount: 400, tradeVolume: 800 });
  });
});
