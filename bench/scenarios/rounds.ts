import { type Call, HttpClient, measureRounds, type Round, rotation } from '../load.ts';
import { round } from '../stats.ts';
import type { BenchContext, Metric, ScenarioResult } from '../types.ts';

/** Measures `call` in rounds with the bench settings (the HTTP connections, or `concurrency`). */
export function roundsOf(ctx: BenchContext, call: Call, concurrency = ctx.settings.connections) {
  const { warmupSeconds, roundSeconds, rounds } = ctx.settings;
  return measureRounds(call, { concurrency, warmupSeconds, roundSeconds, rounds, cpu: ctx.cpu });
}

/**
 * POSTs the bodies in rotation over keep-alive connections, one call in
 * flight per connection; each call counts `unitsPerCall` units of work.
 */
export async function httpRounds(
  ctx: BenchContext,
  bodies: readonly Buffer[],
  unitsPerCall: number,
  connections = ctx.settings.connections,
) {
  const client = new HttpClient(ctx.target, connections);
  const next = rotation(bodies);
  try {
    return await roundsOf(
      ctx,
      async () => {
        await client.graphql(next());
        return unitsPerCall;
      },
      connections,
    );
  } finally {
    client.close();
  }
}

/** CPU shares (of the median round), as one table cell. */
export function cpuMetric({ cpu }: Pick<Round, 'cpu'>): Metric {
  const { server, redis, bench, other } = cpu;
  return {
    metric: 'CPU server / redis / bench / other',
    value: `${server} / ${redis} / ${bench} / ${other}`,
    unit: '% of a core',
  };
}

export function latencyMetrics(median: Round, label = 'latency'): Metric[] {
  return [
    { metric: `${label} p50`, value: round(median.p50Ms, 2), unit: 'ms' },
    { metric: `${label} p99`, value: round(median.p99Ms, 2), unit: 'ms' },
  ];
}

export function roundsResult(
  scenario: string,
  measured: Awaited<ReturnType<typeof measureRounds>>,
  metrics: Metric[],
  details?: Record<string, unknown>,
): ScenarioResult {
  const disturbed = measured.rounds.filter((r) => r.disturbed).length;
  const rerun: Metric[] =
    disturbed > 0
      ? [
          {
            metric: 'rounds disturbed by other processes',
            value: `${disturbed} of ${measured.rounds.length}, rerun`,
            unit: '',
          },
        ]
      : [];
  return {
    scenario,
    metrics: [...metrics, cpuMetric(measured.median), ...rerun],
    errors: measured.errors,
    firstError: measured.firstError,
    throughput: measured.median.unitsPerSecond,
    busy: measured.median.disturbed,
    rounds: measured.rounds,
    ...(details ? { details } : {}),
  };
}

/** roundsResult for a scenario whose units are events: they go into the consistency check. */
export function ingestResult(...args: Parameters<typeof roundsResult>): ScenarioResult {
  return { ...roundsResult(...args), eventsAcknowledged: args[1].totalUnits };
}
