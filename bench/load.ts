import { Agent, request } from 'node:http';
import { BUSY_OTHER_CPU, type CpuMeter, type CpuShare } from './machine.ts';
import { medianBy, percentile, sortedCopy } from './stats.ts';

/*
 * A closed-loop HTTP load generator over keep-alive node:http connections,
 * written here rather than taken from autocannon: every request carries
 * its own body from a pre-built rotation (players, event types, batches),
 * latencies are kept exactly (no histogram buckets), the same loop shape
 * drives the store-ceiling scenario without HTTP, and the project gains no
 * dependency. The bench reports its own CPU use next to the server's, so a
 * saturated generator would show.
 */

export interface HttpTarget {
  url: URL;
  headers: Readonly<Record<string, string>>;
}

export interface LoadOutcome {
  /** Completed calls. */
  calls: number;
  /** Units of work in them (requests, or events for batches). */
  units: number;
  /** Calls that failed: transport error, HTTP status other than 200, or a GraphQL `errors` entry. */
  errors: number;
  firstError: string | undefined;
  seconds: number;
  /** Call latencies in ms, sorted ascending. */
  latenciesMs: Float64Array;
}

export interface Round {
  callsPerSecond: number;
  unitsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  firstError: string | undefined;
  cpu: CpuShare;
  /** Other processes took more than BUSY_OTHER_CPU % of a core meanwhile. */
  disturbed: boolean;
}

/** One call of a closed loop: resolves with its units of work, or throws when it failed. */
export type Call = () => Promise<number>;

/** Runs `concurrency` loops of `call` until `durationMs` is over; in-flight calls finish. */
export async function runClosedLoop(call: Call, concurrency: number, durationMs: number): Promise<LoadOutcome> {
  const latencies: number[] = [];
  let units = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async () => {
    while (performance.now() < deadline) {
      const at = performance.now();
      try {
        // Not `units += await call()`: that reads `units` before awaiting
        // and would drop the other loops' additions made meanwhile.
        const done = await call();
        units += done;
        latencies.push(performance.now() - at);
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
        // A server that is gone fails every call at once: stop hammering it.
        if (errors >= 100 && errors > latencies.length) return;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return {
    calls: latencies.length,
    units,
    errors,
    firstError,
    seconds: (performance.now() - started) / 1000,
    latenciesMs: sortedCopy(latencies),
  };
}

interface RoundOptions {
  concurrency: number;
  warmupSeconds: number;
  roundSeconds: number;
  rounds: number;
  cpu: CpuMeter;
}

export interface Measured {
  rounds: Round[];
  median: Round;
  errors: number;
  firstError: string | undefined;
  totalUnits: number;
}

/** Runs one measured round and keeps its tallies. */
class RoundSeries {
  readonly measured: Round[] = [];
  errors = 0;
  firstError: string | undefined;
  totalUnits = 0;

  readonly call: Call;

  constructor(call: Call) {
    this.call = call;
  }

  async warmUp({ concurrency, warmupSeconds }: RoundOptions): Promise<void> {
    if (warmupSeconds > 0) this.#tally(await runClosedLoop(this.call, concurrency, warmupSeconds * 1000));
  }

  async round({ concurrency, roundSeconds, cpu }: RoundOptions): Promise<Round> {
    const sample = cpu.start();
    const outcome = await runClosedLoop(this.call, concurrency, roundSeconds * 1000);
    this.#tally(outcome);
    const share = sample.since();
    const round: Round = {
      callsPerSecond: outcome.calls / outcome.seconds,
      unitsPerSecond: outcome.units / outcome.seconds,
      p50Ms: percentile(outcome.latenciesMs, 50),
      p99Ms: percentile(outcome.latenciesMs, 99),
      errors: outcome.errors,
      firstError: outcome.firstError,
      cpu: share,
      disturbed: share.other > BUSY_OTHER_CPU,
    };
    this.measured.push(round);
    return round;
  }

  undisturbed(): Round[] {
    return this.measured.filter((r) => !r.disturbed);
  }

  result(): Measured {
    const counted = this.undisturbed().length > 0 ? this.undisturbed() : this.measured;
    return {
      rounds: this.measured,
      median: medianBy(counted, (r) => r.unitsPerSecond),
      errors: this.errors,
      firstError: this.firstError,
      totalUnits: this.totalUnits,
    };
  }

  #tally(outcome: LoadOutcome): void {
    this.totalUnits += outcome.units;
    this.errors += outcome.errors;
    this.firstError ??= outcome.firstError;
  }
}

/**
 * Warm-up (not measured), then `rounds` measured rounds; returns every
 * round, the median one by units/s, and the units done in all of them.
 * A round during which other processes took more than BUSY_OTHER_CPU % of
 * a core (a test run next door, say) is marked disturbed and run again,
 * up to `rounds` extra times; the median is taken over the undisturbed
 * rounds when there are any.
 */
export async function measureRounds(call: Call, options: RoundOptions): Promise<Measured> {
  const series = new RoundSeries(call);
  await series.warmUp(options);
  for (let attempt = 0; series.undisturbed().length < options.rounds && attempt < 2 * options.rounds; attempt++) {
    await series.round(options);
  }
  return series.result();
}

/**
 * Two servers measured side by side: their rounds alternate (A B, B A, A B…)
 * so a neighbour's burst or a slow drift hits both alike. A pair counts when
 * neither of its rounds was disturbed. `pairRatios` holds A ÷ B per pair.
 */
export async function measurePaired(
  a: Call,
  b: Call,
  options: RoundOptions,
  /** CPU shares for B's rounds (A's come from options.cpu). */
  cpuB: CpuMeter,
): Promise<{ a: Measured; b: Measured; pairRatios: number[] }> {
  const first = new RoundSeries(a);
  const second = new RoundSeries(b);
  await first.warmUp(options);
  await second.warmUp(options);
  const pairRatios: number[] = [];
  const clean: number[] = [];
  for (let attempt = 0; clean.length < options.rounds && attempt < 2 * options.rounds; attempt++) {
    const runA = () => first.round(options);
    const runB = () => second.round({ ...options, cpu: cpuB });
    if (attempt % 2 === 0) {
      await runA();
      await runB();
    } else {
      await runB();
      await runA();
    }
    const ra = first.measured.at(-1)!;
    const rb = second.measured.at(-1)!;
    const value = rb.unitsPerSecond > 0 ? ra.unitsPerSecond / rb.unitsPerSecond : 0;
    pairRatios.push(value);
    if (!ra.disturbed && !rb.disturbed) clean.push(value);
  }
  return { a: first.result(), b: second.result(), pairRatios: clean.length > 0 ? clean : pairRatios };
}

/** A pool of keep-alive connections to one GraphQL endpoint. */
export class HttpClient {
  readonly #target: HttpTarget;
  readonly #agent: Agent;

  constructor(target: HttpTarget, maxSockets = Infinity) {
    this.#target = target;
    this.#agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** POSTs a body; resolves with the response text, rejects on a transport error or non-200 status. */
  post(body: Buffer): Promise<Buffer> {
    const { url, headers } = this.#target;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.#agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { ...headers, 'content-length': body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks);
            if (res.statusCode === 200) resolve(text);
            else reject(new Error(`HTTP ${res.statusCode}: ${text.toString('utf8').slice(0, 300)}`));
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** POSTs a GraphQL body and fails on any `errors` entry in the response. */
  async graphql(body: Buffer): Promise<Buffer> {
    const text = await this.post(body);
    // Cheaper than parsing every response; a success never contains the key.
    if (text.includes(ERRORS_KEY)) throw new Error(`GraphQL errors: ${text.toString('utf8').slice(0, 300)}`);
    return text;
  }

  close(): void {
    this.#agent.destroy();
  }
}

const ERRORS_KEY = Buffer.from('"errors"');

/** Cycles through pre-built items forever. */
export function rotation<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error('nothing to rotate over');
  let next = 0;
  return () => {
    const item = items[next]!;
    next = (next + 1) % items.length;
    return item;
  };
}
