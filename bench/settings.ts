/** The bench's knobs, read once from the environment (all optional). */

export const SCENARIOS = [
  'baseline',
  'trackActivity',
  'trackActivities',
  'storeCeiling',
  'scriptCeiling',
  'twoProcesses',
  'fanout',
  'memory',
  'soak',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
/** Run unless BENCH_SCENARIOS says otherwise; the soak only when asked for (or BENCH_SOAK_SECONDS is set). */
const DEFAULT_SCENARIOS = SCENARIOS.filter((name) => name !== 'soak');

export interface BenchSettings {
  /** Length of one measured round (BENCH_ROUND_SECONDS, default 4). */
  roundSeconds: number;
  /** Measured rounds per scenario; the median one is reported (BENCH_ROUNDS, default 5). */
  rounds: number;
  /** Un-measured warm-up before a scenario's rounds (BENCH_WARMUP_SECONDS, default 3). */
  warmupSeconds: number;
  /** Concurrent keep-alive connections of the HTTP load (BENCH_CONNECTIONS, default 50, as issue 14 measured). */
  connections: number;
  /** Players logged in before the ingest scenarios, events rotate over them (BENCH_PLAYERS, default 1000). */
  players: number;
  /** Batches in flight at once in the store-ceiling scenario (BENCH_STORE_IN_FLIGHT, default 8). */
  storeInFlight: number;
  /** SSE subscribers in the fan-out scenario (BENCH_SUBSCRIBERS, default 1000). */
  subscribers: number;
  /** Sequential logins timed in the fan-out scenario (BENCH_FANOUT_LOGINS, default 30). */
  fanoutLogins: number;
  /** Requests per redis-benchmark run of the script ceilings (BENCH_CEILING_REQUESTS, default 200000). */
  ceilingRequests: number;
  /** redis-benchmark runs per script, the median reported (BENCH_CEILING_ROUNDS, default 3). */
  ceilingRounds: number;
  /** Length of the soak (BENCH_SOAK_SECONDS, default 600; setting it adds the soak to the default scenarios). */
  soakSeconds: number;
  /** RSS and throughput sampled this often during the soak (BENCH_SOAK_SAMPLE_SECONDS, default 30). */
  soakSampleSeconds: number;
  /** Which scenarios to run (BENCH_SCENARIOS=baseline,trackActivity,…; default all). */
  scenarios: ReadonlySet<ScenarioName>;
  /** BENCH_SERVER_CPU_PROF=1: run the server under `node --cpu-prof` (profile in bench/results/profiles/). */
  serverCpuProfile: boolean;
  /** Node flags for the service (BENCH_SERVER_NODE_FLAGS, space-separated, "none" for none; default: npm start's). */
  serverNodeFlags: string[] | undefined;
  /** Connections for the batch scenarios (BENCH_BATCH_CONNECTIONS, default 16: 1,600 events in flight at 100 per call). */
  batchConnections: number;
  /** LOG_LEVEL for the server (BENCH_SERVER_LOG_LEVEL; default: the service's own, info). */
  serverLogLevel: string | undefined;
  /**
   * RATE_LIMIT_MUTATIONS_PER_MINUTE for the service (BENCH_RATE_LIMIT, default 10,000,000: on, as
   * issue 14 asks every limit to be, and above what the load sends, so it charges and never refuses).
   */
  rateLimitPerMinute: number;
}

/** The environment the service runs with in the bench, beside the ServerProcess defaults. */
export const serviceEnv = (settings: BenchSettings): Record<string, string> => ({
  RATE_LIMIT_MUTATIONS_PER_MINUTE: String(settings.rateLimitPerMinute),
});

export function loadSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const soakAsked = Boolean(env['BENCH_SOAK_SECONDS']);
  const defaults = soakAsked ? [...DEFAULT_SCENARIOS, 'soak'] : DEFAULT_SCENARIOS;
  const scenarios = (env['BENCH_SCENARIOS'] || defaults.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of scenarios) {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new Error(`BENCH_SCENARIOS: unknown scenario "${name}" (known: ${SCENARIOS.join(', ')})`);
    }
  }
  return {
    roundSeconds: positive(env, 'BENCH_ROUND_SECONDS', 4),
    rounds: positiveInteger(env, 'BENCH_ROUNDS', 5),
    warmupSeconds: positive(env, 'BENCH_WARMUP_SECONDS', 3, { allowZero: true }),
    connections: positiveInteger(env, 'BENCH_CONNECTIONS', 50),
    players: positiveInteger(env, 'BENCH_PLAYERS', 1000),
    storeInFlight: positiveInteger(env, 'BENCH_STORE_IN_FLIGHT', 8),
    subscribers: positiveInteger(env, 'BENCH_SUBSCRIBERS', 1000),
    fanoutLogins: positiveInteger(env, 'BENCH_FANOUT_LOGINS', 30),
    ceilingRequests: positiveInteger(env, 'BENCH_CEILING_REQUESTS', 200_000),
    ceilingRounds: positiveInteger(env, 'BENCH_CEILING_ROUNDS', 3),
    soakSeconds: positive(env, 'BENCH_SOAK_SECONDS', 600),
    soakSampleSeconds: positive(env, 'BENCH_SOAK_SAMPLE_SECONDS', 30),
    scenarios: new Set(scenarios as ScenarioName[]),
    serverCpuProfile: env['BENCH_SERVER_CPU_PROF'] === '1' || env['BENCH_SERVER_CPU_PROF'] === 'true',
    serverLogLevel: env['BENCH_SERVER_LOG_LEVEL'] || undefined,
    rateLimitPerMinute: positiveInteger(env, 'BENCH_RATE_LIMIT', 10_000_000),
    serverNodeFlags: nodeFlags(env['BENCH_SERVER_NODE_FLAGS']),
    batchConnections: positiveInteger(env, 'BENCH_BATCH_CONNECTIONS', 16),
  };
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number, { allowZero = false } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !allowZero)) {
    throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${raw}"`);
  }
  return value;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = positive(env, name, fallback);
  if (!Number.isInteger(value)) throw new Error(`${name} must be a whole number, got "${env[name]}"`);
  return value;
}

function nodeFlags(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw.trim() === 'none' ? [] : raw.trim().split(/\s+/);
}
