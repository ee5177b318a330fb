import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { ActivityStore } from '../../src/activity/store.ts';
import { systemClock } from '../../src/clock.ts';
import { closeRedis, connectRedis, createRedisClient, type RedisClient } from '../../src/redis.ts';
import { type RedisBenchmarkResult, redisBenchmark } from '../redis-benchmark.ts';
import { medianBy, round } from '../stats.ts';
import type { BenchContext, Metric, ScenarioResult } from '../types.ts';

const MINIMAL_SCRIPT = readFileSync(new URL('../naive/activity.lua', import.meta.url), 'utf8');
const ACTIVITY_BODY_FILE = new URL('../../src/activity/scripts/activity.lua', import.meta.url);
const CEILING_PLAYER = 'bench-ceiling-player';
const PREFIX = 'bench-ceiling:';
const DETAILS = {
  commodity: 'ore',
  quantity: 120,
  unit_price: 31.5,
  total_value: 3780,
  port_id: 17,
  sector_id: 42,
};

/**
 * 5. Redis alone, driven by redis-benchmark (50 connections, 16 deep
 * pipelines), each figure with INFO commandstats' usec_per_call over
 * exactly that run:
 *  - the minimal activity script (bench/naive/activity.lua: GET, cjson
 *    decode, bump counters, SET, LPUSH, LTRIM) over the players' keyspace:
 *    the ceiling batch ingestion is compared with;
 *  - the service's own activity script, with the exact arguments the store
 *    sends for one trade (captured with MONITOR), on one player;
 *  - the per-call overhead: a copy of the service's function library in
 *    which the activity function's body is `return false`, called with the
 *    same arguments (FCALL, the per-call state reset and the argument
 *    decoding, no work): what every call pays before doing any. The
 *    helpers themselves are defined once, when the library loads.
 */
export async function scriptCeiling(ctx: BenchContext): Promise<ScenarioResult> {
  const { redis, redisPort: port, redisPid, settings } = ctx;
  const requests = settings.ceilingRequests;
  const keyspace = settings.players;
  const best = async (command: string[], space?: number) => {
    const runs: RedisBenchmarkResult[] = [];
    for (let i = 0; i < settings.ceilingRounds; i++) {
      runs.push(
        await redisBenchmark(redis, { port, redisPid, command, requests, ...(space ? { keyspace: space } : {}) }),
      );
    }
    return medianBy(runs, (r) => r.requestsPerSecond);
  };

  // The minimal script over `keyspace` open sessions.
  const minimalSha = String(await redis.script('LOAD', MINIMAL_SCRIPT));
  await seedSessions(redis, keyspace);
  const at = new Date().toISOString().slice(0, -1);
  const event = JSON.stringify({ event_type: 'trade_buy', timestamp: at, details: DETAILS });
  const minimal = await best(
    [
      'EVALSHA',
      minimalSha,
      '2',
      `${PREFIX}session:__rand_int__`,
      `${PREFIX}events:__rand_int__`,
      at,
      event,
      '3780',
      '',
      '',
    ],
    keyspace,
  );

  // The service's script, exactly as the store calls it.
  const client = createRedisClient(
    { url: ctx.redisUrl, commandTimeoutMs: 5000, connectTimeoutMs: 2000, maxReconnectDelayMs: 1000 },
    'bench-script-ceiling',
  );
  await connectRedis(client, { url: ctx.redisUrl });
  let service: RedisBenchmarkResult | undefined;
  let helpersOnly: RedisBenchmarkResult | undefined;
  let helpersNote = '';
  try {
    const captured = await captureActivityCall(redis, client);
    service = await best(captured.command);
    try {
      const overhead = await loadOverheadLibrary(redis, captured.command[1]!);
      helpersOnly = await best(['FCALL', overhead, ...captured.command.slice(2)]);
    } catch (error) {
      helpersNote = `per-call overhead not measured: ${(error as Error).message.slice(0, 160)}`;
    }
  } finally {
    await closeRedis(client);
  }

  const metrics: Metric[] = [
    { metric: 'minimal script ceiling', value: round(minimal.requestsPerSecond, 0), unit: 'events/s' },
    { metric: 'minimal script', value: minimal.stats.usecPerCall, unit: 'µs/call' },
    { metric: 'minimal script: Redis CPU', value: minimal.redisCpu, unit: '% of a core' },
    { metric: "service's activity script alone", value: round(service.requestsPerSecond, 0), unit: 'calls/s' },
    { metric: "service's activity script", value: service.stats.usecPerCall, unit: 'µs/call' },
  ];
  if (helpersOnly) {
    const share = round((helpersOnly.stats.usecPerCall / service.stats.usecPerCall) * 100, 0);
    metrics.push({
      metric: '  of which the per-call overhead (FCALL, state reset, argument decoding)',
      value: `${helpersOnly.stats.usecPerCall} µs (${share} %)`,
      unit: '',
    });
  } else {
    metrics.push({ metric: '  helpers alone', value: helpersNote, unit: '' });
  }
  return {
    scenario: 'Redis alone (redis-benchmark)',
    metrics,
    errors: 0,
    throughput: minimal.requestsPerSecond,
    details: {
      requests,
      rounds: settings.ceilingRounds,
      minimal,
      service,
      helpersOnly: helpersOnly ?? helpersNote,
      serviceScriptUsec: service.stats.usecPerCall,
    },
  };
}

async function seedSessions(redis: Redis, count: number): Promise<void> {
  const at = new Date().toISOString().slice(0, -1);
  const pipeline = redis.pipeline();
  for (let i = 0; i < count; i++) {
    const id = String(i).padStart(12, '0');
    pipeline.set(
      `${PREFIX}session:${id}`,
      JSON.stringify({
        player_id: id,
        login_at: at,
        last_activity_at: at,
        actions_count: 0,
        trades_count: 0,
        trade_volume: 0,
        combat_events: 0,
        sectors_visited: [],
      }),
      'EX',
      86_400,
    );
  }
  await pipeline.exec();
}

/** Logs a dedicated player in and records, with MONITOR, the script call one trade makes. */
async function captureActivityCall(redis: Redis, client: RedisClient): Promise<{ command: string[] }> {
  const store = new ActivityStore(client, systemClock);
  await store.trackLogin(CEILING_PLAYER);
  // The first call loads the functions; the one recorded is a plain FCALL.
  await store.trackActivity(CEILING_PLAYER, 'trade_buy', DETAILS);
  const monitor = await redis.monitor();
  try {
    const seen: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => seen.push(args));
    await store.trackActivity(CEILING_PLAYER, 'trade_buy', DETAILS);
    // MONITOR lines arrive after the reply; wait for the call to show.
    const deadline = Date.now() + 2000;
    const find = () =>
      seen.find((args) => /^fcall$/i.test(args[0] ?? '') && args.some((arg) => arg.includes(CEILING_PLAYER)));
    while (!find() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const args = find();
    if (!args) throw new Error('MONITOR did not show the activity script call as an FCALL');
    return { command: ['FCALL', ...args.slice(1)] };
  } finally {
    monitor.disconnect();
  }
}

/**
 * Loads a copy of the library holding `functionName` (every name versioned
 * apart, so nothing of the service's is replaced) whose copy of that
 * function returns false right after its entry has reset the per-call state
 * and decoded the arguments; returns the copy's function name.
 */
async function loadOverheadLibrary(redis: Redis, functionName: string): Promise<string> {
  const version = /_([0-9a-f]{16})$/.exec(functionName)?.[1];
  if (!version) throw new Error(`${functionName} does not end with a library version`);
  const [library] = (await redis.call(
    'FUNCTION',
    'LIST',
    'LIBRARYNAME',
    `activity_${version}`,
    'WITHCODE',
  )) as unknown[][];
  const code = String(library?.[(library?.indexOf('library_code') ?? -2) + 1] ?? '');
  const body = codeLines(readFileSync(ACTIVITY_BODY_FILE, 'utf8'));
  const entry = `local function body()\n${body}\nend\nredis.register_function{function_name = "${functionName}"`;
  if (!code.includes(entry))
    throw new Error('the library does not hold scripts/activity.lua as the body of its function');
  const overhead = code
    .replace(
      entry,
      `local function body()\nreturn false\nend\nredis.register_function{function_name = "${functionName}"`,
    )
    .replaceAll(version, `${version}_overhead`);
  await redis.call('FUNCTION', 'LOAD', 'REPLACE', overhead);
  return `${functionName}_overhead`;
}

const codeLines = (lua: string) =>
  lua
    .split('\n')
    .filter((line) => !/^\s*--/.test(line) && line.trim() !== '')
    .join('\n');
