import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCodes, useTestService } from './support/harness.ts';
import { PlayerSession, TrackActivities, TrackActivity, TrackLogin, TrackLogout } from './support/operations.ts';

/**
 * 9.7: with Redis hung, every call answers SERVICE_UNAVAILABLE within its
 * deadline (REDIS_CALL_DEADLINE_MS, counted from the request's start, queueing
 * included), whatever the concurrency. The times are printed for the report;
 * the only time asserted is a generous "no hang" bound.
 */

const NO_HANG_MS = 3_000;
// A command timeout longer than the hang: only the call deadline can answer these calls in time.
const service = useTestService({ env: { REDIS_COMMAND_TIMEOUT_MS: '10000', REDIS_CALL_DEADLINE_MS: '1000' } });

let sleeper: Redis | undefined;
afterEach(async () => {
  // Lift the pause so the next test meets a serving Redis.
  await sleeper?.call('CLIENT', 'UNPAUSE').catch(() => {});
  sleeper?.disconnect();
  sleeper = undefined;
});

/**
 * Blocks the test's own redis-server for `seconds` (every client, every command).
 * CLIENT PAUSE rather than DEBUG SLEEP: its reply says the pause is in effect,
 * so no wait is needed before the calls go out on another connection.
 */
async function hangRedis(seconds: number): Promise<void> {
  sleeper = new Redis(service.redisServer.url);
  await sleeper.call('CLIENT', 'PAUSE', String(seconds * 1000), 'ALL');
}

// Mutation fields run one after the other (nullable ones go on after an error):
// the deadline is the request's, not each field's.
const ThreeMutations = parse(`
  mutation ThreeMutations($playerId: ID!) {
    first: trackHeartbeat(playerId: $playerId) { playerId }
    second: trackHeartbeat(playerId: $playerId) { playerId }
    logout: trackLogout(playerId: $playerId) { playerId }
  }
`) as TypedDocumentNode<unknown, { playerId: string }>;

const calls = {
  threeMutations: (i: number) => service.run(ThreeMutations, { playerId: `p-${i % 8}` }),
  playerSession: (i: number) => service.run(PlayerSession, { playerId: `p-${i % 8}` }),
  trackActivity: (i: number) =>
    service.run(TrackActivity, { playerId: `p-${i % 8}`, eventType: 'TRADE_BUY', details: { total_value: 5 } }),
  trackActivities: (i: number) =>
    service.run(TrackActivities, {
      events: Array.from({ length: 20 }, (_, n) => ({ playerId: `p-${(i + n) % 8}`, eventType: 'DOCK' as const })),
    }),
  trackLogin: (i: number) => service.run(TrackLogin, { playerId: `p-${i % 8}` }),
  trackLogout: (i: number) => service.run(TrackLogout, { playerId: `p-${i % 8}` }),
};

describe.each([16, 100])('Redis hung, %i concurrent calls', (concurrency) => {
  it('every call answers SERVICE_UNAVAILABLE, each within the deadline of its own start', async () => {
    for (let i = 0; i < 8; i++) await service.run(TrackLogin, { playerId: `p-${i}` });
    await hangRedis(4);
    const kinds = Object.values(calls);
    const outcomes = await Promise.all(
      Array.from({ length: concurrency }, async (_, i) => {
        const started = performance.now();
        const result = await kinds[i % kinds.length]!(i);
        return { codes: errorCodes(result), ms: performance.now() - started };
      }),
    );
    const times = outcomes.map((outcome) => outcome.ms).sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(0);
    console.info(
      `hung Redis, ${concurrency} concurrent calls: ms min ${at(0)} p50 ${at(0.5)} p95 ${at(0.95)} max ${at(1)}`,
    );
    for (const outcome of outcomes) {
      expect(outcome.codes.length).toBeGreaterThan(0);
      expect(new Set(outcome.codes)).toEqual(new Set(['SERVICE_UNAVAILABLE']));
      expect(outcome.ms).toBeLessThan(NO_HANG_MS);
    }
  });
});
