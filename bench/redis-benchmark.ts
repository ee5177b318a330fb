import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { processCpuSeconds } from './machine.ts';

const run = promisify(execFile);

export interface ScriptStats {
  /** Script calls Redis ran (EVALSHA, EVAL or FCALL, whichever ran most). */
  calls: number;
  /** Microseconds per call as INFO commandstats reports them. */
  usecPerCall: number;
  command: string;
}

/** Zeroes INFO commandstats (CONFIG RESETSTAT); read them back with scriptStats(). */
export async function resetStats(redis: Redis): Promise<void> {
  await redis.config('RESETSTAT');
}

/** The service's script commands (Redis Functions); the naive server runs EVALSHA on the same Redis. */
export const SERVICE_SCRIPT_COMMANDS = ['fcall', 'fcall_ro'] as const;

/** usec_per_call of `commands` together since the last resetStats(). */
export async function scriptStats(
  redis: Redis,
  commands: readonly string[] = SERVICE_SCRIPT_COMMANDS,
): Promise<ScriptStats> {
  const info = await redis.info('commandstats');
  let calls = 0;
  let usec = 0;
  for (const command of commands) {
    const match = new RegExp(`^cmdstat_${command}:calls=(\\d+),usec=(\\d+),`, 'm').exec(info);
    if (match) {
      calls += Number(match[1]);
      usec += Number(match[2]);
    }
  }
  return {
    calls,
    usecPerCall: calls ? Math.round((usec / calls) * 100) / 100 : Number.NaN,
    command: commands.join('+'),
  };
}

export interface RedisBenchmarkResult {
  requestsPerSecond: number;
  stats: ScriptStats;
  /** redis-server's CPU over the run, % of one core. */
  redisCpu: number;
}

/**
 * `redis-benchmark` running one command (with `__rand_int__` replaced by
 * 0..keyspace-1, zero-padded to 12 digits) `requests` times over `clients`
 * connections, `pipeline` deep; commandstats and redis-server's CPU are
 * taken over exactly that run.
 */
export async function redisBenchmark(
  redis: Redis,
  {
    port,
    redisPid,
    command,
    requests,
    clients = 50,
    pipeline = 16,
    keyspace,
  }: {
    port: number;
    redisPid: number;
    command: readonly string[];
    requests: number;
    clients?: number;
    pipeline?: number;
    keyspace?: number;
  },
): Promise<RedisBenchmarkResult> {
  await resetStats(redis);
  const cpuBefore = processCpuSeconds(redisPid);
  const started = performance.now();
  const args = [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-n',
    String(requests),
    '-c',
    String(clients),
    '-P',
    String(pipeline),
    '--csv',
  ];
  if (keyspace) args.push('-r', String(keyspace));
  const { stdout } = await run('redis-benchmark', [...args, ...command], { maxBuffer: 1 << 20, timeout: 120_000 });
  const seconds = (performance.now() - started) / 1000;
  const redisCpu = Math.round(((processCpuSeconds(redisPid) - cpuBefore) / seconds) * 100);
  // --csv: a header line, then "test","rps" and six latency fields; the
  // test's name is the command unescaped, so read the numbers from the right.
  const line = stdout.trim().split('\n').at(-1) ?? '';
  const requestsPerSecond = Number(/"([\d.]+)"(?:,"[\d.]+"){6}$/.exec(line)?.[1]);
  if (!Number.isFinite(requestsPerSecond))
    throw new Error(`redis-benchmark: unexpected output: ${stdout.slice(0, 300)}`);
  return { requestsPerSecond, stats: await scriptStats(redis, [command[0]!.toLowerCase()]), redisCpu };
}
