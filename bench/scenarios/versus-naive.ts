import { eventStream } from '../events.ts';
import { BASELINE, body, trackActivityBody } from '../graphql.ts';
import { HttpClient, measurePaired, rotation } from '../load.ts';
import { medianBy, round } from '../stats.ts';
import type { BenchContext, ScenarioResult } from '../types.ts';
import { ingestResult, latencyMetrics, roundsResult } from './rounds.ts';

/**
 * The service and the naive server (bench/naive/server.ts) under the same
 * load, their rounds alternating: `{ __typename }` and single
 * trackActivity calls. The service runs with authentication, limits,
 * metrics and logging on; the naive one has none of them.
 */
export async function baselineVersusNaive(ctx: BenchContext): Promise<[string, ScenarioResult][]> {
  return paired(ctx, 'baseline', 'baseline __typename', [body(BASELINE)], false);
}

export async function trackActivityVersusNaive(ctx: BenchContext): Promise<[string, ScenarioResult][]> {
  // Two events per player, so the rotation holds every type several times over.
  const events = eventStream(ctx.players, 2)(ctx.players.length * 2);
  return paired(ctx, 'trackActivity', 'trackActivity (single)', events.map(trackActivityBody), true);
}

async function paired(
  ctx: BenchContext,
  key: string,
  title: string,
  bodies: readonly Buffer[],
  ingest: boolean,
): Promise<[string, ScenarioResult][]> {
  const { connections, warmupSeconds, roundSeconds, rounds } = ctx.settings;
  const service = new HttpClient(ctx.target, connections);
  const naive = new HttpClient(ctx.naive.target, connections);
  const nextService = rotation(bodies);
  const nextNaive = rotation(bodies);
  const options = { concurrency: connections, warmupSeconds, roundSeconds, rounds, cpu: ctx.cpu };
  try {
    const measured = await measurePaired(
      async () => {
        await service.graphql(nextService());
        return 1;
      },
      async () => {
        await naive.graphql(nextNaive());
        return 1;
      },
      options,
      ctx.naive.cpu,
    );
    const pairRatio = round(
      medianBy(measured.pairRatios, (value) => value),
      2,
    );
    const metrics = (m: typeof measured.a) => [
      { metric: 'requests/s', value: round(m.median.callsPerSecond, 0), unit: 'req/s' },
      ...latencyMetrics(m.median),
    ];
    const toResult = ingest ? ingestResult : roundsResult;
    const serviceResult = toResult(title, measured.a, metrics(measured.a), {
      versusNaivePairRatios: measured.pairRatios.map((value) => round(value, 3)),
    });
    serviceResult.metrics.push({ metric: '÷ naive, median of paired rounds', value: pairRatio, unit: '×' });
    // The naive server's events are not the service's: keep them out of the consistency check.
    const naiveResult = roundsResult(`naive: ${title}`, measured.b, metrics(measured.b));
    return [
      [key, serviceResult],
      [`naive${key[0]!.toUpperCase()}${key.slice(1)}`, naiveResult],
    ];
  } finally {
    service.close();
    naive.close();
  }
}
