import { readFileSync } from 'node:fs';
import { ReplyError } from 'ioredis';
import type { RedisClient } from '../../redis.ts';
import { StoreUnavailableError } from '../errors.ts';

/**
 * Runs the Lua scripts and plain commands of the Redis layer, each bounded
 * by a deadline.
 *
 * Named arguments: a call is `{ keys: { session: …, events: … }, args: { player_id: …, now_ts: … } }`.
 * The runner sends KEYS in the order the script was defined with and the
 * arguments as name/value pairs in ARGV; the key names, and the constants
 * of a definition (TTLs, caps), are written into the script's text once, as
 * KEY_NAMES and CONSTANTS. scripts/lib/call.lua turns it all back into
 * `K.<name>` and `A.<name>`. Adding an argument (or a key) is one entry in
 * the call (or the definition) and one read in Lua. ioredis runs a script with EVALSHA and falls back to EVAL once when
 * Redis has not cached it yet (first call, or after a Redis restart).
 */

export type ScriptArgs = Readonly<Record<string, string | number>>;

export interface ScriptCall {
  keys: Readonly<Record<string, string>>;
  args: ScriptArgs;
}

/** The Lua libraries in scripts/lib, prepended to a script in this order. */
export type LuaLibrary = 'format' | 'global' | 'online' | 'session' | 'event-ids';

export interface Script {
  readonly name: string;
  readonly keyNames: readonly string[];
}

interface DefinedScript extends Script {
  readonly commandName: string;
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
  error instanceof ReplyError && !TRANSIENT_REPLY.test((error as Error).message);

// Replies that mean "Redis cannot serve right now" rather than "this call is wrong".
const TRANSIENT_REPLY =
  /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY|NOSCRIPT|OOM|MISCONF|NOREPLICAS|MOVED|ASK)\b/;
// MOVED/ASK reach a caller only when ioredis did not follow them (see
// #checkReplicaAcks) or while a failover moves slots: Redis is busy, not the call wrong.

type ScriptCommand = (...args: (string | number)[]) => Promise<unknown>;

// Full-line comments are left out of what is sent: a script's first runs
// after a Redis restart go out as EVAL with the whole text, many at once.
const readLua = (path: string) =>
  readFileSync(new URL(`../scripts/${path}.lua`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => !/^\s*--/.test(line) && line.trim() !== '')
    .join('\n');

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
  ): Script {
    const header = [
      `local KEY_NAMES = {${keyNames.map((name) => luaString(checkName(name))).join(', ')}}`,
      `local CONSTANTS = {${Object.entries(constants)
        .map(([name, value]) => `${checkName(name)} = ${luaString(String(value))}`)
        .join(', ')}}`,
    ];
    const lua = [
      ...header,
      readLua('lib/call'),
      ...libraries.map((library) => readLua(`lib/${library}`)),
      readLua(file),
    ].join('\n');
    const commandName = `activity_${file.replaceAll('-', '_')}`;
    this.#redis.defineCommand(commandName, { lua, numberOfKeys: keyNames.length });
    const script: DefinedScript = { name: file, keyNames, commandName };
    return script;
  }

  /** One script run (with REDIS_WAIT_REPLICAS, and its WAIT: the deadline covers both). */
  run(script: Script, call: ScriptCall, deadline: Deadline): Promise<unknown> {
    const argv = this.#argv(script, call); // a call missing a key is a bug, not an outage: it throws here
    const acks = this.#replicaAcks;
    if (!acks) return this.#bounded(deadline, () => commandOf(this.#redis, script)(...argv));
    return this.#bounded(deadline, async () => {
      const pipeline = this.#redis.pipeline();
      void commandOf(pipeline, script)(...argv);
      pipeline.call('WAIT', acks.replicas, acks.timeoutMs);
      const results = this.#checkReplicaAcks(((await pipeline.exec()) ?? []) as PipelineResults, acks);
      const [error, reply] = results[0] ?? [new Error('the pipeline returned no reply'), null];
      if (error) throw error;
      return reply;
    });
  }

  /**
   * Runs one script many times in one round trip per group; the replies in
   * order. On a cluster a pipeline may only hold one slot's keys, so the
   * mode names each call's group (its player) and the groups go out as
   * parallel pipelines, each in order. With `settle`, a call whose script
   * failed on its own keys answers its error in place of a reply instead of
   * failing the batch.
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
        groups.set(group, [...(groups.get(group) ?? []), index]);
      });
      const replies: unknown[] = new Array(calls.length);
      await Promise.all(
        [...groups.values()].map(async (indexes) => {
          const pipeline = this.#redis.pipeline();
          for (const index of indexes) void commandOf(pipeline, script)(...argvs[index]!);
          const acks = this.#replicaAcks;
          if (acks) pipeline.call('WAIT', acks.replicas, acks.timeoutMs);
          let results = ((await pipeline.exec()) ?? []) as PipelineResults;
          if (acks) results = this.#checkReplicaAcks(results, acks);
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

function checkName(name: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`${name} cannot name a script key or argument`);
  return name;
}

/** A Lua string literal (JSON's escapes are Lua's for these). */
function luaString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new Error(`constant ${value} must be printable ASCII`);
  return JSON.stringify(value);
}

// defineCommand adds the command to the client and to its pipelines.
function commandOf(target: object, script: Script): ScriptCommand {
  const name = (script as DefinedScript).commandName;
  const command = (target as Record<string, ScriptCommand | undefined>)[name];
  if (!command) throw new Error(`script ${script.name} was not defined on this connection`);
  return command.bind(target);
}
