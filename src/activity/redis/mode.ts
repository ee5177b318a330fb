import { Cluster } from 'ioredis';
import type { RedisClient } from '../../redis.ts';
import { clusterMode } from './cluster.ts';
import type { OnlineKeys, PlayerKeys } from './layout.ts';
import type { ScriptCall } from './runner.ts';
import { singleServerMode } from './single-server.ts';

/**
 * What differs between a single Redis server and a Redis Cluster, and only
 * that: the key names, which keys a per-player script gets (and so whether
 * it can change the online set itself), and how a batch is split into
 * pipelines. Chosen once at start-up from the client.
 */
export interface RedisMode {
  readonly name: 'single-server' | 'cluster';
  readonly online: OnlineKeys;
  /** Where the game-wide numbers live: beside the online set (in its slot on a cluster). */
  readonly globalPrefix: string;
  player(playerId: string): PlayerKeys;
  /** The keys of a per-player script, by name (scripts/lib/call.lua); the same names for every player. */
  playerScriptKeys(playerId: string): Record<string, string>;
  /**
   * The online-set strategy. True: the per-player scripts change the set
   * themselves (they got K.online). False: the set lives in another slot and
   * the store changes it right after them; a crash in between is reconciled
   * by the reaper (ghosts) and by heartbeats (missing members).
   */
  readonly scriptsChangeOnlineSet: boolean;
  /** Calls of one group may share a pipeline. */
  pipelineGroup(call: ScriptCall): string;
  /**
   * How many players one batch call (scripts/activities.lua) covers at most:
   * many on a single server, one on a cluster (a script reaches one slot).
   */
  readonly batchPlayers: number;
  /** The keys of a batch call for its players (at most batchPlayers), by name (layout.ts, batchScriptKeys). */
  batchScriptKeys(playerIds: readonly string[]): Record<string, string>;
  /** Batch calls of one group go out in order, in one pipeline; those of different groups may not share one. */
  batchGroup(playerId: string): string;
}

export function redisModeFor(client: RedisClient): RedisMode {
  return client instanceof Cluster ? clusterMode : singleServerMode;
}
