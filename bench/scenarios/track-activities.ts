import { eventStream } from '../events.ts';
import { trackActivitiesBody } from '../graphql.ts';
import { round } from '../stats.ts';
import type { BenchContext, ScenarioResult } from '../types.ts';
import { httpRounds, ingestResult, latencyMetrics } from './rounds.ts';

const DISTINCT_BATCHES = 40;

/** 3. `trackActivities` with `size` events per call, each batch spread over consecutive players. */
export async function trackActivities(ctx: BenchContext, size: number): Promise<ScenarioResult> {
  const next = eventStream(ctx.players, 3 + size);
  const bodies = Array.from({ length: DISTINCT_BATCHES }, () => trackActivitiesBody(next(size)));
  const measured = await httpRounds(ctx, bodies, size, ctx.settings.batchConnections);
  return ingestResult(
    `trackActivities x${size}`,
    measured,
    [
      { metric: 'calls/s', value: round(measured.median.callsPerSecond, 0), unit: 'calls/s' },
      { metric: 'events/s', value: round(measured.median.unitsPerSecond, 0), unit: 'events/s' },
      ...latencyMetrics(measured.median, 'call latency'),
    ],
    { eventsPerCall: size, requestBytes: bodies[0]!.length, connections: ctx.settings.batchConnections },
  );
}
