import { Cluster, ReplyError } from 'ioredis';
import type { RedisClient } from '../../redis.ts';
import { StoreUnavailableError } from '../errors.ts';
import {
  buildFunctionLibrary,
  type FunctionDefinition,
  type FunctionLibrary,
  type LuaLibrary,
} from './function-library.ts';

export type { LuaLibrary } from './function-library.ts';

/**
 * Runs the Lua scripts and plain commands of the Redis layer, each bounded
 * by a deadline.
 *
 * Named arguments: a call is `{ keys: { session: …, events: … }, args: { player_id: …, now_ts: … } }`.
 * The runner sends the keys in the order the script was defined with and
 * the arguments as name/value pairs; the key names, and the constants of a
 * definition (TTLs, caps), are written into the script's function once.
 * scripts/lib/call.lua turns it all back into `K.<name>` and `A.<name>`.
 * Adding an argument (or a key) is one entry in the call (or the definition)
 * and one read in Lua.
 *
 * Every script defined on a runner is a function of one Redis Functions
 * library (function-library.ts), called with FCALL (FCALL_RO when defined
 * read-only). The library is loaded (FUNCTION LOAD, on every master of a
 * cluster) by `load()` at start-up, and again whenever a call answers that
 * its function is not found (a restarted or flushed Redis, a new empty
 * master): those calls, and only those, which never ran, are sent once more.
 */
export type ScriptArgs = Readonly<Record<string, string | number>>;

export interface ScriptCall {
  keys: Readonly<Record<string, string>>;
  args: ScriptArgs;
}

export interface Script {
  readonly name: string;
  readonly keyNames: readonly string[];
}

interface DefinedScript extends Script {
  /** Its place among the runner's definitions (and the library's functions). */
  readonly index: number;
  readonly readOnly: boolean;
}

export interface DefineOptions {
  /** The script writes nothing: registered no-writes, called with FCALL_RO. */
  readOnly?: boolean;
}

/** The moment by which a call must have answered; it counts from the call's start, queueing included. */
export class Deadline {
  readonly #at: number;
  constructor(ms: number) {
    this.#at = performance.now() + ms;
  }
  get remainingMs(): number {
    return this.#at - performance.now();
  }
}

class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
}

/** A script that failed on the data it met, not for want of a usable Redis. */
export const isScriptFailure = (error: unknown): error is Error =>
  error instanceof ReplyError && !TRANSIENT_REPLY.test((error as Error).message) && !isFunctionMissing(error);

// Redis 7.0's reply to an FCALL of a function it does not have: nothing ran.
const isFunctionMissing = (error: unknown): boolean =>
  error instanceof Error && /^ERR Function not found\b/.test(error.message);

/** Redis refused or does not know FUNCTION LOAD / FCALL: older than 7.0, or an ACL user without them. */
export class RedisFunctionsError extends Error {
  override name = 'RedisFunctionsError';
}

// Replies that mean "Redis cannot serve right now" rather than "this call is wrong".
const TRANSIENT_REPLY =
  /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY|NOSCRIPT|OOM|MISCONF|NOREPLICAS|MOVED|ASK)\b/;
// MOVED/ASK reach a caller only when ioredis did not follow them (see
// #checkReplicaAcks) or while a failover moves slots: Redis is busy, not the call wrong.

type ScriptCommand = (...args: (string | number)[]) => Promise<unknown>;

/**
 * Opt-in durability (REDIS_WAIT_REPLICAS): a script's writes count as done
 * only once `replicas` replicas hold them (WAIT, on the same connection and
 * so the same master). Otherwise the call fails, though the master may keep
 * the write: a failover can lose only what was never acknowledged.
 */
export interface ReplicaAcks {
  replicas: number;
  timeoutMs: number;
}

/** Fewer replicas than asked for acknowledged a write in time. */
export class ReplicaAckError extends Error {
  override name = 'ReplicaAckError';
}

type PipelineResults = [Error | null, unknown][];

export interface RunnerOptions {
  /** Called for every call that failed because Redis was unusable or too slow. */
  onUnavailable?: (error: unknown) => void;
  /** Every script call is followed by WAIT in the same pipeline (REDIS_WAIT_REPLICAS). */
  replicaAcks?: ReplicaAcks | undefined;
}

export class ScriptRunner {
  readonly #redis: RedisClient;
  readonly #onUnavailable: (error: unknown) => void;
  readonly #replicaAcks: ReplicaAcks | undefined;
  readonly #definitions: FunctionDefinition[] = [];
  #library: FunctionLibrary | undefined;
  #loading: { name: string; done: Promise<void> } | undefined;

  constructor(redis: RedisClient, { onUnavailable, replicaAcks }: RunnerOptions = {}) {
    this.#redis = redis;
    this.#onUnavailable = onUnavailable ?? (() => {});
    this.#replicaAcks = replicaAcks;
  }

  /**
   * Defines scripts/<file>.lua with the libraries it uses. Its key names are
   * fixed per definition (so ioredis can route, and auto-pipeline, a call by
   * its first key on a cluster); `constants` reach the script as arguments
   * that every call has, without being sent with each call.
   */
  define(
    file: string,
    libraries: readonly LuaLibrary[],
    keyNames: readonly string[],
    constants: ScriptArgs = {},
    { readOnly = false }: DefineOptions = {},
  ): Script {
    const index = this.#definitions.length;
    this.#definitions.push({ file, libraries, keyNames, constants, readOnly });
    this.#library = undefined;
    this.#functionLibrary(); // a script that cannot be written into the library throws here
    const script: DefinedScript = { name: file, keyNames, index, readOnly };
    return script;
  }

  /**
   * Loads the library of every script defined so far (FUNCTION LOAD, on
   * every master of a cluster). Calls do it themselves when Redis lacks it;
   * at start-up it makes a Redis that cannot run functions fail at once.
   * Concurrent loads of one version share one round.
   */
  load(): Promise<void> {
    const library = this.#functionLibrary();
    if (this.#loading?.name !== library.name) {
      const done = loadLibrary(this.#redis, library).finally(() => {
        if (this.#loading?.done === done) this.#loading = undefined;
      });
      this.#loading = { name: library.name, done };
    }
    return this.#loading.done;
  }

  /** One script run (with REDIS_WAIT_REPLICAS, and its WAIT: the deadline covers both). */
  run(script: Script, call: ScriptCall, deadline: Deadline): Promise<unknown> {
    const argv = this.#argv(script, call); // a call missing a key is a bug, not an outage: it throws here
    return this.#bounded(deadline, async () => {
      try {
        return await this.#runOnce(script, argv);
      } catch (error) {
        if (!isFunctionMissing(error)) throw error;
      }
      await this.load();
      return this.#runOnce(script, argv);
    });
  }

  /**
   * Runs one script many times in one round trip per group; the replies in
   * order. On a cluster a pipeline may only hold one slot's keys, so the
   * mode names each call's group (its player) and the groups go out as
   * parallel pipelines, each in order. With `settle`, a call whose script
   * failed on its own keys answers its error in place of a reply instead of
   * failing the batch. Calls whose function Redis did not have are sent
   * again, once, after loading it.
   */
  runMany(
    script: Script,
    calls: readonly ScriptCall[],
    deadline: Deadline,
    { groupOf = () => '', settle = false }: { groupOf?: (call: ScriptCall) => string; settle?: boolean } = {},
  ): Promise<unknown[]> {
    if (calls.length === 0) return Promise.resolve([]);
    const argvs = calls.map((call) => this.#argv(script, call));
    return this.#bounded(deadline, async () => {
      const groups = new Map<string, number[]>();
      calls.forEach((call, index) => {
        const group = groupOf(call);
        const members = groups.get(group);
        if (members) members.push(index);
        else groups.set(group, [index]);
      });
      const replies: unknown[] = new Array(calls.length);
      await Promise.all(
        [...groups.values()].map(async (indexes) => {
          const results = await this.#pipelined(
            script,
            indexes.map((index) => argvs[index]!),
          );
          const missing = indexes.flatMap((_, position) =>
            isFunctionMissing(results[position]![0]) ? [position] : [],
          );
          if (missing.length > 0) {
            await this.load();
            const retried = await this.#pipelined(
              script,
              missing.map((position) => argvs[indexes[position]!]!),
            );
            missing.forEach((position, retry) => {
              results[position] = retried[retry]!;
            });
          }
          results.forEach(([error, reply], position) => {
            if (error && !(settle && isScriptFailure(error))) throw error;
            replies[indexes[position]!] = error ?? reply;
          });
        }),
      );
      return replies;
    });
  }

  /** A plain command (reads), bounded like the scripts. */
  command<T>(deadline: Deadline, send: (redis: RedisClient) => Promise<T>): Promise<T> {
    return this.#bounded(deadline, () => send(this.#redis));
  }

  /**
   * Takes a pipeline's results whose last is WAIT's; answers the others, or
   * throws unless enough replicas acknowledged. ioredis follows a MOVED only
   * when every command of a pipeline got it, never with the keyless WAIT
   * among them: after a failover this has the slot map refreshed, and the
   * call fails unavailable (the next one goes to the new master).
   */
  #checkReplicaAcks(results: PipelineResults, acks: ReplicaAcks): PipelineResults {
    const replies = results.slice(0, -1);
    const [error, acked] = results.at(-1) ?? [new Error('the pipeline returned no WAIT reply'), 0];
    const moved = replies.find(([failure]) => failure && /^(MOVED|ASK) /.test(failure.message));
    if (moved) {
      if ('refreshSlotsCache' in this.#redis) this.#redis.refreshSlotsCache();
      throw moved[0];
    }
    if (error) throw error;
    if (typeof acked !== 'number' || acked < acks.replicas) {
      throw new ReplicaAckError(
        `${String(acked)} of ${acks.replicas} replicas acknowledged the write in ${acks.timeoutMs} ms`,
      );
    }
    return replies;
  }

  #functionLibrary(): FunctionLibrary {
    this.#library ??= buildFunctionLibrary(this.#definitions);
    return this.#library;
  }

  /** FCALL (or FCALL_RO) of the script's function, on the client or a pipeline. */
  #send(target: object, script: Script, argv: readonly (string | number)[]): Promise<unknown> {
    const defined = script as DefinedScript;
    const name = this.#functionLibrary().functionNames[defined.index];
    if (name === undefined) throw new Error(`script ${script.name} was not defined on this runner`);
    const command = (target as Record<string, ScriptCommand>)[defined.readOnly ? 'fcall_ro' : 'fcall']!;
    return command.call(target, name, script.keyNames.length, ...argv);
  }

  /** One call, followed by WAIT with REDIS_WAIT_REPLICAS. */
  async #runOnce(script: Script, argv: readonly (string | number)[]): Promise<unknown> {
    if (!this.#replicaAcks) return this.#send(this.#redis, script, argv);
    const [error, reply] = (await this.#pipelined(script, [argv]))[0] ?? [
      new Error('the pipeline returned no reply'),
      null,
    ];
    if (error) throw error;
    return reply;
  }

  /**
   * One pipeline of calls (and WAIT with REDIS_WAIT_REPLICAS); their
   * results. When none ran for want of the function, no write waits for
   * acknowledgement: the results come back for the caller to retry.
   */
  async #pipelined(script: Script, argvs: readonly (readonly (string | number)[])[]): Promise<PipelineResults> {
    const pipeline = this.#redis.pipeline();
    for (const argv of argvs) void this.#send(pipeline, script, argv);
    const acks = this.#replicaAcks;
    if (acks) pipeline.call('WAIT', acks.replicas, acks.timeoutMs);
    const results = ((await pipeline.exec()) ?? []) as PipelineResults;
    if (!acks) return results;
    if (results.slice(0, -1).every(([error]) => isFunctionMissing(error))) return results.slice(0, -1);
    return this.#checkReplicaAcks(results, acks);
  }

  #argv(script: Script, call: ScriptCall): (string | number)[] {
    const keys = script.keyNames.map((name) => {
      const key = call.keys[name];
      if (key === undefined) throw new Error(`script ${script.name} needs the key ${name}`);
      return key;
    });
    const argv: (string | number)[] = keys;
    for (const [name, value] of Object.entries(call.args)) argv.push(name, value);
    return argv;
  }

  /**
   * Runs `work` until the deadline. Past it the call answers
   * StoreUnavailableError at once; the command may still complete in Redis
   * later, whole (a script is atomic) and unreported.
   */
  async #bounded<T>(deadline: Deadline, work: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const remaining = deadline.remainingMs;
      if (remaining <= 0) throw new DeadlineExceeded('the call deadline passed before Redis was asked');
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new DeadlineExceeded('Redis did not answer before the call deadline')),
          remaining,
        );
      });
      return await Promise.race([work(), expired]);
    } catch (error) {
      if (isScriptFailure(error)) throw error;
      this.#onUnavailable(error);
      throw new StoreUnavailableError(error);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * FUNCTION LOAD on every master (a replica gets the library from its
 * master). A library of that name is this very version: already there is
 * loaded. A Redis without FUNCTION (before 7.0), or an ACL user without the
 * right, gets one clear error.
 */
async function loadLibrary(redis: RedisClient, library: FunctionLibrary): Promise<void> {
  const masters = redis instanceof Cluster ? redis.nodes('master') : [redis];
  if (masters.length === 0) throw new Error('no Redis Cluster master is known yet to load the functions on');
  await Promise.all(
    masters.map(async (node) => {
      try {
        await node.call('FUNCTION', 'LOAD', library.code);
      } catch (error) {
        const message = (error as Error).message;
        if (/^ERR Library '[^']*' already exists/.test(message)) return;
        if (/^(NOPERM|ERR unknown command|ERR unknown subcommand)/i.test(message)) {
          throw new RedisFunctionsError(
            `Redis refused FUNCTION LOAD (${message}): the service needs Redis 7.0 or later and, for an ACL user, the commands FUNCTION LOAD, FCALL and FCALL_RO`,
            { cause: error },
          );
        }
        throw error;
      }
    }),
  );
}
