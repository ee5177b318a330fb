import { ActivityStore } from '../../src/activity/store.ts';
import { systemClock } from '../../src/clock.ts';
import { closeRedis, connectRedis, createRedisClient } from '../../src/redis.ts';
import { eventStream } from '../events.ts';
import { rotation } from '../load.ts';
import { round } from '../stats.ts';
import type { BenchContext, ScenarioResult } from '../types.ts';
import { ingestResult, latencyMetrics, roundsOf } from './rounds.ts';

const BATCH = 100;
const DISTINCT_BATCHES = 40;

/**
 * 4. The ceiling: the same ActivityStore.trackActivities calls, from this
 * process straight to Redis (no HTTP, no GraphQL), several batches of 100
 * in flight at once. The server idles meanwhile.
 */
export async function storeCeiling(ctx: BenchContext): Promise<ScenarioResult> {
  const redis = createRedisClient(
    { url: ctx.redisUrl, commandTimeoutMs: 5000, connectTimeoutMs: 2000, maxReconnectDelayMs: 1000 },
    'bench-store-ceiling',
  );
  await connectRedis(redis, { url: ctx.redisUrl });
  try {
    const store = new ActivityStore(redis, systemClock);
    const next = eventStream(ctx.players, 4);
    const batches = rotation(Array.from({ length: DISTINCT_BATCHES }, () => next(BATCH)));
    const measured = await roundsOf(
      ctx,
      async () => (await store.trackActivities(batches())).length,
      ctx.settings.storeInFlight,
    );
    return ingestResult(
      `store ceiling x${BATCH}`,
      measured,
      [
        { metric: 'events/s', value: round(measured.median.unitsPerSecond, 0), unit: 'events/s' },
        { metric: 'batches in flight', value: ctx.settings.storeInFlight, unit: '' },
        ...latencyMetrics(measured.median, 'batch latency'),
      ],
      { eventsPerCall: BATCH, inFlight: ctx.settings.storeInFlight },
    );
  } finally {
    await closeRedis(redis);
  }
}
