import { ServerProcess } from '../../src/service-process.ts';
import { eventStream } from '../events.ts';
import { trackActivitiesBody, trackActivityBody } from '../graphql.ts';
import { HttpClient, measureRounds, rotation } from '../load.ts';
import { CpuMeter } from '../machine.ts';
import { serviceEnv } from '../settings.ts';
import { round } from '../stats.ts';
import type { BenchContext, ScenarioResult } from '../types.ts';
import { ingestResult, latencyMetrics } from './rounds.ts';

/**
 * 8. Scaling out: a second service process on the same Redis, the same
 * HTTP connections spread over both (as a load balancer would), single
 * trackActivity calls and batches of 100. On this 2-core machine the two
 * processes, Redis and the load generator share two cores: the figure says
 * what a second process adds here, not what it adds on its own cores.
 */
export async function twoProcesses(ctx: BenchContext): Promise<[string, ScenarioResult][]> {
  const second = await ServerProcess.start({
    redisUrl: ctx.redisUrl,
    jwtSecret: ctx.jwtSecret,
    logLevel: ctx.settings.serverLogLevel,
    nodeFlags: ctx.settings.serverNodeFlags,
    env: serviceEnv(ctx.settings),
  });
  const cpu = new CpuMeter([ctx.server.pid, second.pid], ctx.redisPid, [ctx.naive.server.pid]);
  const { connections, warmupSeconds, roundSeconds, rounds } = ctx.settings;
  const clients = [
    new HttpClient(ctx.target, Math.ceil(connections / 2)),
    new HttpClient({ ...ctx.target, url: new URL(second.url) }, Math.ceil(connections / 2)),
  ];
  let turn = 0;
  const post = (body: Buffer) => clients[turn++ % 2]!.graphql(body);
  const options = { concurrency: connections, warmupSeconds, roundSeconds, rounds, cpu };
  const batchOptions = { ...options, concurrency: ctx.settings.batchConnections };
  try {
    const singles = rotation(eventStream(ctx.players, 5)(ctx.players.length * 2).map(trackActivityBody));
    const single = await measureRounds(async () => {
      await post(singles());
      return 1;
    }, options);
    const next = eventStream(ctx.players, 6);
    const batches = rotation(Array.from({ length: 40 }, () => trackActivitiesBody(next(100))));
    const batch = await measureRounds(async () => {
      await post(batches());
      return 100;
    }, batchOptions);
    return [
      [
        'twoProcessesSingle',
        ingestResult('2 processes: trackActivity (single)', single, [
          { metric: 'requests/s', value: round(single.median.callsPerSecond, 0), unit: 'req/s' },
          ...latencyMetrics(single.median),
        ]),
      ],
      [
        'twoProcessesBatch100',
        ingestResult('2 processes: trackActivities x100', batch, [
          { metric: 'events/s', value: round(batch.median.unitsPerSecond, 0), unit: 'events/s' },
          ...latencyMetrics(batch.median, 'call latency'),
        ]),
      ],
    ];
  } finally {
    for (const client of clients) client.close();
    await second.stop();
  }
}
