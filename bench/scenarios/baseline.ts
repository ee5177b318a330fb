import { BASELINE, body } from '../graphql.ts';
import { round } from '../stats.ts';
import type { BenchContext, ScenarioResult } from '../types.ts';
import { httpRounds, latencyMetrics, roundsResult } from './rounds.ts';

/** 1. `query { __typename }`: HTTP, auth, Yoga and every plugin, no resolver work. */
export async function baseline(ctx: BenchContext): Promise<ScenarioResult> {
  const measured = await httpRounds(ctx, [body(BASELINE)], 1);
  return roundsResult('baseline __typename', measured, [
    { metric: 'requests/s', value: round(measured.median.callsPerSecond, 0), unit: 'req/s' },
    ...latencyMetrics(measured.median),
  ]);
}
