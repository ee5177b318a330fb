import { readFileSync } from 'node:fs';
import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from '../redis.ts';

/**
 * The Lua scripts that apply each tracked call atomically in one round trip.
 * ioredis runs them with EVALSHA and falls back to EVAL once when Redis has
 * not cached them yet (first call, or after a Redis restart).
 */

type ScriptArgs = readonly (string | number)[];

export interface ScriptCall {
  keys: readonly string[];
  args: ScriptArgs;
}

export interface Script {
  run(keys: readonly string[], args: ScriptArgs): Promise<unknown>;
  /** Adds a run to a pipeline; its reply comes from the pipeline's exec(). */
  queue(pipeline: ChainableCommander, keys: readonly string[], args: ScriptArgs): void;
}

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

/**
 * Queues WAIT after the writes in a pipeline. The returned check takes the
 * pipeline's results, removes WAIT's and throws unless enough replicas
 * acknowledged. ioredis follows a MOVED only when every command of a
 * pipeline got it, never with the keyless WAIT among them: after a failover
 * the check has the slot map refreshed, and the call fails unavailable.
 */
export function queueReplicaWait(redis: RedisClient, pipeline: ChainableCommander, acks: ReplicaAcks) {
  pipeline.call('WAIT', acks.replicas, acks.timeoutMs);
  return (results: [Error | null, unknown][]): void => {
    const [error, acked] = results.pop() ?? [new Error('the pipeline returned no WAIT reply'), 0];
    const moved = results.find(([failure]) => failure && /^(MOVED|ASK) /.test(failure.message));
    if (moved) {
      if ('refreshSlotsCache' in redis) redis.refreshSlotsCache();
      throw moved[0];
    }
    if (error) throw error;
    if (typeof acked !== 'number' || acked < acks.replicas) {
      throw new ReplicaAckError(`${String(acked)} of ${acks.replicas} replicas acknowledged the write in ${acks.timeoutMs} ms`);
    }
  };
}

export interface ActivityScripts {
  login: Script;
  activity: Script;
  logout: Script;
  heartbeat: Script;
  reap: Script;
  publishCount: Script;
  onlineCount: Script;
  presenceChange: Script;
}

type ScriptCommand = (...args: (string | number)[]) => unknown;

const readScript = (name: string) => readFileSync(new URL(`./scripts/${name}.lua`, import.meta.url), 'utf8');

/**
 * The per-player scripts get the online set and its version among their keys
 * on a single server only (5 keys; 3 on a cluster). Key counts are fixed per
 * client so ioredis can route (and auto-pipeline) each call by its first key.
 */
export function defineActivityScripts(
  redis: RedisClient,
  playerKeyCount: 3 | 5,
  acks?: ReplicaAcks,
): ActivityScripts {
  const onlineLib = readScript('online-lib');
  const lib = `${onlineLib}\n${readScript('lib')}`;
  const define = (name: string, lua: string, numberOfKeys: number): Script => {
    const commandName = `activity_${name.replace('-', '_')}`;
    redis.defineCommand(commandName, { lua, numberOfKeys });
    // defineCommand adds the command to the client and to its pipelines.
    const commandOf = (target: object) => {
      const command = (target as Record<string, ScriptCommand | undefined>)[commandName];
      if (!command) throw new Error(`script ${name} was not defined`);
      return command;
    };
    return {
      run: async (keys, args) => {
        if (!acks) return commandOf(redis).call(redis, ...keys, ...args) as Promise<unknown>;
        const pipeline = redis.pipeline();
        commandOf(pipeline).call(pipeline, ...keys, ...args);
        const check = queueReplicaWait(redis, pipeline, acks);
        const results = ((await pipeline.exec()) ?? []) as [Error | null, unknown][];
        check(results);
        const [error, reply] = results[0] ?? [new Error('the pipeline returned no reply'), null];
        if (error) throw error;
        return reply;
      },
      queue: (pipeline, keys, args) => void commandOf(pipeline).call(pipeline, ...keys, ...args),
    };
  };
  const playerScript = (name: string) => define(name, `${lib}\n${readScript(name)}`, playerKeyCount);
  const onlineScript = (name: string) => define(name, `${onlineLib}\n${readScript(name)}`, 2);
  return {
    login: playerScript('login'),
    activity: playerScript('activity'),
    logout: playerScript('logout'),
    heartbeat: playerScript('heartbeat'),
    reap: playerScript('reap'),
    publishCount: onlineScript('publish-count'),
    onlineCount: onlineScript('online-count'),
    presenceChange: onlineScript('presence-change'),
  };
}
