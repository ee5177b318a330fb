/**
 * `npm run bench`: the service measured on its own throwaway redis-server.
 * Starts redis-server and the API server (a child process), logs players
 * in, runs the scenarios, prints a table and the target ratios, writes
 * bench/results/latest.json, and tears everything down whatever happens.
 * Exits non-zero when anything failed. Knobs: see bench/settings.ts.
 */
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { mintToken, randomSecret } from '../src/auth.ts';
import { LocalRedisServer } from '../src/redis-server.ts';
import { ingestConsistency } from './checks.ts';
import { trackLoginBody } from './graphql.ts';
import { HttpClient } from './load.ts';
import { CpuMeter, describeMachine } from './machine.ts';
import { header, ratio, ratioLines, table, writeJson } from './report.ts';
import { baseline } from './scenarios/baseline.ts';
import { fanout } from './scenarios/fanout.ts';
import { memory } from './scenarios/memory.ts';
import { storeCeiling } from './scenarios/store-ceiling.ts';
import { trackActivities } from './scenarios/track-activities.ts';
import { trackActivity } from './scenarios/track-activity.ts';
import { ServerProcess } from './server.ts';
import { loadSettings, type ScenarioName } from './settings.ts';
import type { BenchContext, ScenarioResult } from './types.ts';

const RESULTS_DIR = fileURLToPath(new URL('results/', import.meta.url));

/** The scenarios in the order they run; the keys name them in the ratios. */
const PLAN: readonly { key: string; name: ScenarioName; run: (ctx: BenchContext) => Promise<ScenarioResult> }[] = [
  { key: 'baseline', name: 'baseline', run: baseline },
  { key: 'trackActivity', name: 'trackActivity', run: trackActivity },
  { key: 'trackActivities10', name: 'trackActivities', run: (ctx) => trackActivities(ctx, 10) },
  { key: 'trackActivities100', name: 'trackActivities', run: (ctx) => trackActivities(ctx, 100) },
  { key: 'storeCeiling', name: 'storeCeiling', run: storeCeiling },
  { key: 'fanout', name: 'fanout', run: fanout },
  { key: 'memory', name: 'memory', run: memory },
];

// Torn down last-in first-out, once, on success, failure or Ctrl-C.
const teardowns: (() => Promise<unknown> | unknown)[] = [];
let tornDown: Promise<void> | undefined;
function tearDown(): Promise<void> {
  tornDown ??= (async () => {
    for (const step of teardowns.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error(`teardown: ${(error as Error).message}`);
      }
    }
  })();
  return tornDown;
}

async function main(): Promise<number> {
  const startedAt = new Date().toISOString();
  const settings = loadSettings();

  const redisServer = await LocalRedisServer.start();
  teardowns.push(() => redisServer.stop());
  const redis = new Redis(redisServer.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  teardowns.push(() => redis.quit().catch(() => redis.disconnect()));
  const info = await redis.info('server');
  const redisVersion = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  const redisPid = Number(/process_id:(\d+)/.exec(info)?.[1]);

  const secret = randomSecret();
  const serverLogLevel = settings.serverLogLevel ?? 'info';
  const server = await ServerProcess.start({
    redisUrl: redisServer.url,
    jwtSecret: secret,
    logLevel: settings.serverLogLevel,
    cpuProfileDir: settings.serverCpuProfile ? `${RESULTS_DIR}profiles` : undefined,
  });
  teardowns.push(() => server.stop());

  const serviceToken = await mintToken(secret, { role: 'service', subject: 'bench-game-server', expiresIn: '2h' });
  const adminToken = await mintToken(secret, { role: 'admin', subject: 'bench-dashboard', expiresIn: '2h' });
  const target = {
    url: new URL(server.url),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${serviceToken}` },
  };
  const machine = describeMachine(redisVersion);
  console.log(header(machine, settings, serverLogLevel));
  console.log(`server:  ${server.url} (pid ${server.pid}); redis-server ${redisServer.url} (pid ${redisPid})\n`);

  const players = Array.from({ length: settings.players }, (_, i) => `bench-player-${String(i).padStart(5, '0')}`);
  await logIn(target, players, settings.connections);

  const ctx: BenchContext = {
    settings,
    server,
    redisUrl: redisServer.url,
    redis,
    target,
    serviceToken,
    adminToken,
    players,
    cpu: new CpuMeter(server.pid, redisPid),
  };
  const results = new Map<string, ScenarioResult>();
  const started = performance.now();
  for (const { key, name, run } of PLAN) {
    if (!settings.scenarios.has(name)) continue;
    const at = performance.now();
    process.stdout.write(`running ${key}… `);
    const result = await run(ctx);
    results.set(key, result);
    const headline = result.metrics[0]!;
    console.log(
      `${headline.metric} ${headline.value} ${headline.unit} (${((performance.now() - at) / 1000).toFixed(1)} s)` +
        (result.errors > 0 ? ` — ${result.errors} FAILED: ${result.firstError}` : ''),
    );
    if (!server.running) throw new Error(`the server exited during ${key}:\n${server.recentOutput()}`);
  }

  const ingests = [...results.values()].filter((result) => result.eventsAcknowledged !== undefined);
  if (ingests.length > 0) results.set('consistency', await ingestConsistency(redis, players, ingests));

  const ratios = [
    ratio('single trackActivity req/s ÷ baseline req/s', 'trackActivity', 'baseline', results, 0.8),
    ratio('trackActivities@100 events/s ÷ store ceiling events/s', 'trackActivities100', 'storeCeiling', results, 0.5),
  ];
  console.log(`\n${table([...results.values()])}\n\nratios (same run):\n${ratioLines(ratios)}\n`);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s of scenarios`);

  const resultsFile = `${RESULTS_DIR}latest.json`;
  writeJson(resultsFile, {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    settings: { ...settings, scenarios: [...settings.scenarios] },
    server: { nodeEnv: 'production', logLevel: serverLogLevel },
    results: Object.fromEntries(results),
    ratios,
  });
  console.log(`results written to ${resultsFile}`);

  const failed = [...results.values()].filter((result) => result.errors > 0);
  if (failed.length > 0) {
    console.error(`\nFAILED: ${failed.map((result) => `${result.scenario} (${result.errors}: ${result.firstError})`).join('; ')}`);
    return 1;
  }
  return 0;
}

/** trackLogin for every player, `concurrency` at a time, before anything is measured. */
async function logIn(target: BenchContext['target'], players: readonly string[], concurrency: number): Promise<void> {
  const client = new HttpClient(target, concurrency);
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < players.length) await client.graphql(trackLoginBody(players[next++]!));
      }),
    );
  } finally {
    client.close();
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: tearing down`);
    void tearDown().then(() => process.exit(130));
  });
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(`\nbench failed: ${(error as Error).stack ?? String(error)}`);
} finally {
  await tearDown();
}
process.exitCode = exitCode;
// Everything is closed by now; should a handle linger anyway, do not hang.
setTimeout(() => {
  console.error('bench: handles still open after teardown; exiting');
  process.exit(exitCode);
}, 3000).unref();
