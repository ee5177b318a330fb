import { eventStream } from '../events.ts';
import { trackActivityBody } from '../graphql.ts';
import { round } from '../stats.ts';
import type { BenchContext, ScenarioResult } from '../types.ts';
import { httpRounds, ingestResult, latencyMetrics } from './rounds.ts';

/** 2. One `trackActivity` mutation per request, rotating over the logged-in players and the event mix. */
export async function trackActivity(ctx: BenchContext): Promise<ScenarioResult> {
  // Two events per player, so the rotation holds every type several times over.
  const events = eventStream(ctx.players, 2)(ctx.players.length * 2);
  const measured = await httpRounds(ctx, events.map(trackActivityBody), 1);
  return ingestResult('trackActivity (single)', measured, [
    { metric: 'requests/s', value: round(measured.median.callsPerSecond, 0), unit: 'req/s' },
    ...latencyMetrics(measured.median),
  ]);
}
