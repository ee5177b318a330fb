import { eventStream } from '../events.ts';
import { trackActivitiesBody, trackActivityBody } from '../graphql.ts';
import { HttpClient, rotation, runClosedLoop } from '../load.ts';
import { processRssMiB } from '../machine.ts';
import { percentile, round } from '../stats.ts';
import type { BenchContext, ScenarioResult } from '../types.ts';

/** RSS growth below this many MiB per minute (after the first sample) counts as flat. */
const FLAT_MIB_PER_MINUTE = 1;

/**
 * Soak (on request: BENCH_SCENARIOS=soak, BENCH_SOAK_SECONDS, default 600):
 * steady mixed ingest for the whole time (four single trackActivity calls
 * to one batch of 10), the service's RSS and throughput sampled every
 * BENCH_SOAK_SAMPLE_SECONDS. Reports the curve and the RSS trend (least
 * squares over the samples after the first, which includes warm-up).
 */
export async function soak(ctx: BenchContext): Promise<ScenarioResult> {
  const { soakSeconds, soakSampleSeconds, connections } = ctx.settings;
  const client = new HttpClient(ctx.target, connections);
  const singles = rotation(eventStream(ctx.players, 7)(ctx.players.length * 2).map(trackActivityBody));
  const next = eventStream(ctx.players, 8);
  const batches = rotation(Array.from({ length: 40 }, () => trackActivitiesBody(next(10))));
  let turn = 0;
  const call = async () => {
    if (turn++ % 5 === 4) {
      await client.graphql(batches());
      return 10;
    }
    await client.graphql(singles());
    return 1;
  };
  const curve: { minute: number; rssMiB: number; eventsPerSecond: number; p99Ms: number }[] = [];
  let acknowledged = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  try {
    while ((performance.now() - started) / 1000 < soakSeconds) {
      const left = soakSeconds - (performance.now() - started) / 1000;
      const outcome = await runClosedLoop(call, connections, Math.min(soakSampleSeconds, left) * 1000);
      acknowledged += outcome.units;
      errors += outcome.errors;
      firstError ??= outcome.firstError;
      curve.push({
        minute: round((performance.now() - started) / 60_000, 2),
        rssMiB: round(processRssMiB(ctx.server.pid), 1),
        eventsPerSecond: round(outcome.units / outcome.seconds, 0),
        p99Ms: round(percentile(outcome.latenciesMs, 99), 1),
      });
      process.stdout.write(`${curve.at(-1)!.rssMiB} MiB… `);
    }
  } finally {
    client.close();
  }
  const trend = slope(curve.slice(1).map((point) => [point.minute, point.rssMiB]));
  const flat = Number.isFinite(trend) ? trend < FLAT_MIB_PER_MINUTE : null;
  const first = curve[0]?.rssMiB ?? Number.NaN;
  const peak = Math.max(...curve.map((point) => point.rssMiB));
  const last = curve.at(-1)?.rssMiB ?? Number.NaN;
  return {
    scenario: `soak ${round(soakSeconds / 60, 1)} min`,
    metrics: [
      { metric: 'RSS first / peak / last sample', value: `${first} / ${peak} / ${last}`, unit: 'MiB' },
      { metric: 'RSS trend after the first sample', value: round(trend, 2), unit: 'MiB/min' },
      { metric: 'flat', value: flat === null ? 'n/a (too short)' : flat ? 'yes' : 'NO', unit: '' },
      {
        metric: 'curve (min: MiB)',
        value: curve.map((point) => `${point.minute}: ${point.rssMiB}`).join(', '),
        unit: '',
      },
      {
        metric: 'events/s per sample',
        value: curve.map((point) => point.eventsPerSecond).join(', '),
        unit: '',
      },
    ],
    errors,
    firstError,
    eventsAcknowledged: acknowledged,
    throughput: acknowledged / ((performance.now() - started) / 1000),
    details: { curve, trendMiBPerMinute: trend, flat, sampleSeconds: soakSampleSeconds },
  };
}

/** Least-squares slope of y over x; NaN with fewer than 3 points. */
function slope(points: readonly [number, number][]): number {
  if (points.length < 3) return Number.NaN;
  const n = points.length;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}
