import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ExecutionResult, parse } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.ts';
import { errorCodes, expectData, startTestService, type TestService, useTestService } from './support/harness.ts';
import {
  PlayerSession,
  PlayerSummary,
  RecentEventIds,
  TrackActivitiesWithIds,
  TrackActivityWithId,
  TrackHeartbeatWithId,
  TrackLoginWithId,
  TrackLogoutWithId,
} from './support/operations.ts';
import { dumpRedis } from './support/redis-dump.ts';

/**
 * Issue 10: client event ids make retries count once. Deduplication is per
 * player, inside the tracking script (one round trip): the same id with the
 * same payload answers the first call's result and applies nothing; with
 * another payload it is refused (EVENT_ID_REUSED) and nothing is written.
 */

const service = useTestService();
const P = 'p-1';

const storedSession = async (playerId = P) =>
  JSON.parse((await service.redis.get(`activity:session:${playerId}`)) ?? 'null') as Record<string, number> | null;

/** activity_event_id_duplicates_total on /metrics. */
async function duplicatesCounted(): Promise<number> {
  const text = await (await fetch(`${service.url.replace(/\/graphql$/, '')}/metrics`)).text();
  return Number(/^activity_event_id_duplicates_total (\d+)$/m.exec(text)?.[1]);
}

describe('a retry after a real timeout counts once', () => {
  afterEach(async () => {
    await service.redis.client('UNPAUSE');
  });

  /** Redis paused past the command timeout: the call answers SERVICE_UNAVAILABLE; the same call again once Redis is back. */
  async function failThenRetry<T>(call: () => Promise<ExecutionResult<T>>): Promise<T> {
    await service.redis.client('PAUSE', 2000, 'ALL');
    expect(errorCodes(await call())).toEqual(['SERVICE_UNAVAILABLE']);
    return eventually(
      async () => {
        const result = await call();
        if (result.errors) throw new Error(`the retry failed: ${JSON.stringify(result.errors)}`);
        return result.data!;
      },
      { timeoutMs: 8_000, intervalMs: 50 },
    );
  }

  it('trackActivity: the late first call and its retry leave one trade', async () => {
    expectData(await service.run(TrackLoginWithId, { playerId: P, eventId: 'login-1' }));
    const trade = { playerId: P, eventType: 'TRADE_BUY', details: { total_value: 10 }, eventId: 'trade-1' } as const;
    const retried = await failThenRetry(() => service.run(TrackActivityWithId, trade));
    console.info(
      `retry after CLIENT PAUSE: the timed-out call was ${retried.trackActivity.duplicate ? 'applied late; the retry answered it as a duplicate' : 'never applied; the retry applied it'}`,
    );
    expect(retried.trackActivity.session).toMatchObject({ actionsCount: 1, tradesCount: 1, tradeVolume: 10 });
    expect(await storedSession()).toMatchObject({ actions_count: 1, trades_count: 1, trade_volume: 10 });
    const events = expectData(await service.run(RecentEventIds, { playerId: P })).recentEvents;
    expect(events.filter((event) => event.eventId === 'trade-1')).toHaveLength(1);
  });

  it('trackLogin: the retry answers the session the first call opened, with no relogin', async () => {
    const retried = await failThenRetry(() => service.run(TrackLoginWithId, { playerId: P, eventId: 'login-1' }));
    const events = expectData(await service.run(RecentEventIds, { playerId: P })).recentEvents;
    expect(events).toEqual([{ eventType: 'LOGIN', eventId: 'login-1' }]);
    expect(expectData(await service.run(PlayerSession, { playerId: P })).playerSession?.loginAt).toBe(
      retried.trackLogin.loginAt,
    );
    expect(expectData(await service.run(PlayerSummary, { playerId: P })).playerSummary.totalSessions).toBe(0);
  });
});

describe('concurrent identical calls', () => {
  it('200 at once count once, and all answer the same result', async () => {
    expectData(await service.run(TrackLoginWithId, { playerId: P, eventId: 'login-1' }));
    const duplicatesBefore = await duplicatesCounted();
    const call = {
      playerId: P,
      eventType: 'TRADE_SELL',
      details: { total_value: 10, good: 'ore' },
      eventId: 'sell-1',
    } as const;
    const results = await Promise.all(Array.from({ length: 200 }, () => service.run(TrackActivityWithId, call)));
    const answers = results.map((result) => expectData(result).trackActivity);
    expect(answers.filter((answer) => !answer.duplicate)).toHaveLength(1);
    const first = answers.find((answer) => !answer.duplicate)!;
    for (const answer of answers) {
      expect(answer.session).toEqual(first.session);
      expect(answer.event).toEqual(first.event);
    }
    expect(first.session).toMatchObject({ actionsCount: 1, tradesCount: 1, tradeVolume: 10 });
    expect(await storedSession()).toMatchObject({ actions_count: 1, trade_volume: 10 });
    expect(await service.redis.llen(`activity:events:${P}`)).toBe(2); // login + one trade
    expect((await duplicatesCounted()) - duplicatesBefore).toBe(199);
    // The game-wide numbers count it once too: a repeat notes nothing.
    expect(await service.redis.hmget('activity:global:daily:2026-11-23', 'actions', 'trades', 'sessions')).toEqual([
      '1',
      '1',
      '1',
    ]);
  });

  it('a duplicate answers the first call’s time and session, not the current ones', async () => {
    expectData(await service.run(TrackLoginWithId, { playerId: P }));
    const first = expectData(
      await service.run(TrackActivityWithId, { playerId: P, eventType: 'DOCK', eventId: 'dock-1' }),
    );
    service.clock.advance(60_000);
    expectData(await service.run(TrackActivityWithId, { playerId: P, eventType: 'WARP' }));
    const again = expectData(
      await service.run(TrackActivityWithId, { playerId: P, eventType: 'DOCK', eventId: 'dock-1' }),
    );
    expect(again.trackActivity).toEqual({ ...first.trackActivity, duplicate: true });
    expect(first.trackActivity.duplicate).toBe(false);
    expect(again.trackActivity.event.eventId).toBe('dock-1');
  });

  it('key order inside details does not make another payload', async () => {
    expectData(
      await service.run(TrackActivityWithId, {
        playerId: P,
        eventType: 'DOCK',
        details: { a: 1, b: { c: 2, d: 3 } },
        eventId: 'e',
      }),
    );
    const again = expectData(
      await service.run(TrackActivityWithId, {
        playerId: P,
        eventType: 'DOCK',
        details: { b: { d: 3, c: 2 }, a: 1 },
        eventId: 'e',
      }),
    );
    expect(again.trackActivity.duplicate).toBe(true);
  });
});

describe('an id reused with another payload', () => {
  const cases: [string, () => Promise<ExecutionResult<unknown>>][] = [
    [
      'other details',
      () =>
        service.run(TrackActivityWithId, {
          playerId: P,
          eventType: 'TRADE_BUY',
          details: { total_value: 11 },
          eventId: 'x-1',
        }),
    ],
    [
      'other event type',
      () =>
        service.run(TrackActivityWithId, {
          playerId: P,
          eventType: 'TRADE_SELL',
          details: { total_value: 10 },
          eventId: 'x-1',
        }),
    ],
    ['a logout', () => service.run(TrackLogoutWithId, { playerId: P, eventId: 'x-1' })],
    ['a login', () => service.run(TrackLoginWithId, { playerId: P, eventId: 'x-1' })],
    ['a heartbeat', () => service.run(TrackHeartbeatWithId, { playerId: P, eventId: 'x-1' })],
    [
      'a batch of one',
      () => service.run(TrackActivitiesWithIds, { events: [{ playerId: P, eventType: 'WARP', eventId: 'x-1' }] }),
    ],
  ];

  it.each(cases)('as %s: EVENT_ID_REUSED, and Redis is exactly as before', async (_name, call) => {
    expectData(await service.run(TrackLoginWithId, { playerId: P, eventId: 'login-1' }));
    expectData(
      await service.run(TrackActivityWithId, {
        playerId: P,
        eventType: 'TRADE_BUY',
        details: { total_value: 10 },
        eventId: 'x-1',
      }),
    );
    const before = await dumpRedis(service.redis);
    const result = await call();
    expect(errorCodes(result)).toEqual(['EVENT_ID_REUSED']);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'EVENT_ID_REUSED', field: 'eventId' });
    expect(await dumpRedis(service.redis)).toEqual(before);
  });

  it('ids are per player: another player may use the same one', async () => {
    expectData(await service.run(TrackActivityWithId, { playerId: P, eventType: 'DOCK', eventId: 'shared' }));
    const other = expectData(
      await service.run(TrackActivityWithId, { playerId: 'p-2', eventType: 'WARP', eventId: 'shared' }),
    );
    expect(other.trackActivity.duplicate).toBe(false);
  });
});

describe('batches', () => {
  it('a repeated id counts once within a batch, and a retried batch counts nothing again', async () => {
    expectData(await service.run(TrackLoginWithId, { playerId: P }));
    expectData(await service.run(TrackLoginWithId, { playerId: 'p-2' }));
    const events = [
      { playerId: P, eventType: 'TRADE_BUY', details: { total_value: 5 }, eventId: 'a' },
      { playerId: 'p-2', eventType: 'DOCK', eventId: 'a' },
      { playerId: P, eventType: 'TRADE_BUY', details: { total_value: 5 }, eventId: 'a' },
      { playerId: P, eventType: 'WARP', eventId: 'b' },
      { playerId: P, eventType: 'WARP' },
    ] as const;
    const first = expectData(await service.run(TrackActivitiesWithIds, { events: [...events] })).trackActivities;
    expect(first.map((item) => item?.duplicate)).toEqual([false, false, true, false, false]);
    expect(first.map((item) => item?.session?.actionsCount)).toEqual([1, 1, 1, 2, 3]);
    expect(first[2]?.event.timestamp).toBe(first[0]?.event.timestamp);

    const retried = expectData(await service.run(TrackActivitiesWithIds, { events: [...events] })).trackActivities;
    expect(retried.map((item) => item?.duplicate)).toEqual([true, true, true, true, false]); // the last has no id
    expect(retried.map((item) => item?.session?.actionsCount)).toEqual([1, 1, 1, 2, 4]);
    expect(await storedSession()).toMatchObject({ actions_count: 4, trade_volume: 5 });
    expect(await storedSession('p-2')).toMatchObject({ actions_count: 1 });
  });

  it('an event whose id was used with another payload is refused in place; the others apply', async () => {
    expectData(await service.run(TrackLoginWithId, { playerId: P }));
    const result = await service.run(TrackActivitiesWithIds, {
      events: [
        { playerId: P, eventType: 'DOCK', eventId: 'a' },
        { playerId: P, eventType: 'UNDOCK', eventId: 'a' },
        { playerId: P, eventType: 'WARP', eventId: 'c' },
      ],
    });
    expect(result.data?.trackActivities.map((item) => item?.duplicate ?? null)).toEqual([false, null, false]);
    expect(result.errors?.map((error) => [error.extensions?.['code'], error.path])).toEqual([
      ['EVENT_ID_REUSED', ['trackActivities', 1]],
    ]);
    expect(await storedSession()).toMatchObject({ actions_count: 2 });
    const types = expectData(await service.run(RecentEventIds, { playerId: P })).recentEvents.map(
      (event) => event.eventType,
    );
    expect(types).toEqual(['WARP', 'DOCK', 'LOGIN']);
  });
});

describe('login, logout and heartbeat retries', () => {
  it('leave no phantom session: one session, counted once', async () => {
    const login = expectData(await service.run(TrackLoginWithId, { playerId: P, eventId: 'in-1' })).trackLogin;
    service.clock.advance(5_000);
    const loginAgain = expectData(await service.run(TrackLoginWithId, { playerId: P, eventId: 'in-1' })).trackLogin;
    expect(loginAgain).toEqual(login);
    expectData(await service.run(TrackActivityWithId, { playerId: P, eventType: 'DOCK', eventId: 'd-1' }));
    const heartbeat = expectData(
      await service.run(TrackHeartbeatWithId, { playerId: P, eventId: 'hb-1' }),
    ).trackHeartbeat;
    service.clock.advance(5_000);
    expect(
      expectData(await service.run(TrackHeartbeatWithId, { playerId: P, eventId: 'hb-1' })).trackHeartbeat,
    ).toEqual(heartbeat);
    service.clock.advance(60_000);
    const logout = expectData(await service.run(TrackLogoutWithId, { playerId: P, eventId: 'out-1' })).trackLogout;
    expect(logout).toMatchObject({ actionsCount: 1, durationSeconds: 70 });
    service.clock.advance(5_000);
    expect(expectData(await service.run(TrackLogoutWithId, { playerId: P, eventId: 'out-1' })).trackLogout).toEqual(
      logout,
    );

    // A new session, then a very late retry of the old logout: it answers the old one and leaves the new one open.
    const next = expectData(await service.run(TrackLoginWithId, { playerId: P, eventId: 'in-2' })).trackLogin;
    expect(expectData(await service.run(TrackLogoutWithId, { playerId: P, eventId: 'out-1' })).trackLogout).toEqual(
      logout,
    );
    expect(expectData(await service.run(PlayerSession, { playerId: P })).playerSession?.loginAt).toBe(next.loginAt);

    const summary = expectData(await service.run(PlayerSummary, { playerId: P })).playerSummary;
    expect(summary).toMatchObject({ totalSessions: 1, totalActions: 1, totalPlaytimeSeconds: 70 });
    const events = expectData(await service.run(RecentEventIds, { playerId: P })).recentEvents;
    expect(events).toEqual([
      { eventType: 'LOGIN', eventId: 'in-2' },
      { eventType: 'LOGOUT', eventId: 'out-1' },
      { eventType: 'DOCK', eventId: 'd-1' },
      { eventType: 'LOGIN', eventId: 'in-1' },
    ]);
    expect(await service.redis.sismember('activity:online_players', P)).toBe(1);
  });

  it('a logout or heartbeat that found no session answers null again on retry', async () => {
    expect(expectData(await service.run(TrackLogoutWithId, { playerId: P, eventId: 'o' })).trackLogout).toBeNull();
    expect(
      expectData(await service.run(TrackHeartbeatWithId, { playerId: P, eventId: 'h' })).trackHeartbeat,
    ).toBeNull();
    expectData(await service.run(TrackLoginWithId, { playerId: P }));
    expect(expectData(await service.run(TrackLogoutWithId, { playerId: P, eventId: 'o' })).trackLogout).toBeNull();
    expect(
      expectData(await service.run(TrackHeartbeatWithId, { playerId: P, eventId: 'h' })).trackHeartbeat,
    ).toBeNull();
    expect(await storedSession()).not.toBeNull();
  });
});

describe('stored events and the window', () => {
  it('an event keeps its id as "event_id"; one without an id keeps exactly the original fields', async () => {
    expectData(await service.run(TrackActivityWithId, { playerId: P, eventType: 'DOCK', eventId: 'with:id-1.a_b' }));
    expectData(await service.run(TrackActivityWithId, { playerId: P, eventType: 'WARP' }));
    const [without, withId] = (await service.redis.lrange(`activity:events:${P}`, 0, -1)).map((raw) => JSON.parse(raw));
    expect(Object.keys(without).sort()).toEqual(['details', 'event_type', 'timestamp']);
    expect(withId).toMatchObject({ event_type: 'dock', event_id: 'with:id-1.a_b' });
    const events = expectData(await service.run(RecentEventIds, { playerId: P })).recentEvents;
    expect(events).toEqual([
      { eventType: 'WARP', eventId: null },
      { eventType: 'DOCK', eventId: 'with:id-1.a_b' },
    ]);
  });

  it('an id is remembered for EVENT_ID_TTL_SECONDS (24 h), then applies again', async () => {
    const call = { playerId: P, eventType: 'DOCK', eventId: 'w' } as const;
    expectData(await service.run(TrackActivityWithId, call));
    expect(await service.redis.ttl(`activity:event_ids:${P}`)).toBe(86_400);
    expect(await service.redis.ttl(`activity:event_id_order:${P}`)).toBe(86_400);
    service.clock.advance(86_400_000 - 1_000);
    expect(expectData(await service.run(TrackActivityWithId, call)).trackActivity.duplicate).toBe(true);
    service.clock.advance(2_000);
    expect(expectData(await service.run(TrackActivityWithId, call)).trackActivity.duplicate).toBe(false);
    // The expired id was trimmed and remembered anew: one record, one entry in the order list.
    expect(await service.redis.hlen(`activity:event_ids:${P}`)).toBe(1);
    expect(await service.redis.lrange(`activity:event_id_order:${P}`, 0, -1)).toEqual(['w']);
  });

  it('ids past the window are trimmed by the next call of the player', async () => {
    for (const eventId of ['a', 'b', 'c'])
      expectData(await service.run(TrackActivityWithId, { playerId: P, eventType: 'DOCK', eventId }));
    service.clock.advance(86_401_000);
    expectData(await service.run(TrackActivityWithId, { playerId: P, eventType: 'DOCK', eventId: 'd' }));
    expect(await service.redis.hkeys(`activity:event_ids:${P}`)).toEqual(['d']);
    expect(await service.redis.lrange(`activity:event_id_order:${P}`, 0, -1)).toEqual(['d']);
  });
});

describe('bad event ids', () => {
  // Two root fields: the gate checks both before either runs.
  const BothFieldsWithSelection = parse(`
    mutation BothFields($eventId: String) {
      trackLogin(playerId: "p-1") { loginAt }
      trackActivity(playerId: "p-1", eventType: DOCK, eventId: $eventId) { duplicate }
    }
  `) as unknown as TypedDocumentNode<unknown, { eventId: string }>;

  it.each(['', 'has space', 'x'.repeat(65), 'ünï', 'a/b', 'a|b'])(
    '%j: BAD_USER_INPUT on eventId in every root field, nothing written',
    async (eventId) => {
      for (const result of [
        await service.run(TrackLoginWithId, { playerId: P, eventId }),
        await service.run(TrackLogoutWithId, { playerId: P, eventId }),
        await service.run(TrackHeartbeatWithId, { playerId: P, eventId }),
        await service.run(TrackActivityWithId, { playerId: P, eventType: 'DOCK', eventId }),
        await service.run(TrackActivitiesWithIds, {
          events: [
            { playerId: P, eventType: 'DOCK' },
            { playerId: P, eventType: 'DOCK', eventId },
          ],
        }),
        await service.run(BothFieldsWithSelection, { eventId }),
      ]) {
        expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
        expect(String(result.errors?.[0]?.extensions?.['field'])).toMatch(/eventId$/);
      }
      expect(await dumpRedis(service.redis)).toEqual({});
    },
  );

  it('64 characters of the allowed set are fine', async () => {
    const eventId = 'Az09._:-'.repeat(8);
    expect(
      expectData(await service.run(TrackActivityWithId, { playerId: P, eventType: 'DOCK', eventId })).trackActivity
        .event.eventId,
    ).toBe(eventId);
  });
});

describe('the cap per player (EVENT_ID_MAX_PER_PLAYER)', () => {
  let capped: TestService;
  beforeAll(async () => {
    capped = await startTestService({ env: { EVENT_ID_MAX_PER_PLAYER: '3' } });
  });
  afterAll(async () => {
    await capped?.stop();
  });

  it('keeps the newest ids, forgetting the oldest first', async () => {
    for (const eventId of ['a', 'b', 'c', 'd', 'e'])
      expectData(await capped.run(TrackActivityWithId, { playerId: P, eventType: 'DOCK', eventId }));
    expect((await capped.redis.hkeys(`activity:event_ids:${P}`)).sort()).toEqual(['c', 'd', 'e']);
    expect(await capped.redis.lrange(`activity:event_id_order:${P}`, 0, -1)).toEqual(['c', 'd', 'e']);
    expect(
      expectData(await capped.run(TrackActivityWithId, { playerId: P, eventType: 'DOCK', eventId: 'e' })).trackActivity
        .duplicate,
    ).toBe(true);
    expect(
      expectData(await capped.run(TrackActivityWithId, { playerId: P, eventType: 'DOCK', eventId: 'a' })).trackActivity
        .duplicate,
    ).toBe(false);
  });

  it('a batch keeps the newest ids too (trackActivities)', async () => {
    await capped.reset();
    const events = ['a', 'b', 'c', 'd', 'e'].map((eventId) => ({ playerId: P, eventType: 'DOCK', eventId }) as const);
    const replies = expectData(await capped.run(TrackActivitiesWithIds, { events })).trackActivities;
    expect(replies.map((item) => item?.duplicate)).toEqual([false, false, false, false, false]);
    expect((await capped.redis.hkeys(`activity:event_ids:${P}`)).sort()).toEqual(['c', 'd', 'e']);
    expect(await capped.redis.lrange(`activity:event_id_order:${P}`, 0, -1)).toEqual(['c', 'd', 'e']);
  });
});
