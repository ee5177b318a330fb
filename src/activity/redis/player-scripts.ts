import { LIMITS, ONLINE_COUNT_CHANNEL, TTL_SECONDS } from './layout.ts';
import type { RedisMode } from './mode.ts';
import type { OnlineSet } from './online-set.ts';
import type { Deadline, Script, ScriptArgs, ScriptCall, ScriptRunner } from './runner.ts';
import { epochMicros, toStoredTimestamp, utcDay } from '../time.ts';

/** What every per-player script gets that is the same for every call (written into the script once). */
const PLAYER_SCRIPT_CONSTANTS = {
  channel: ONLINE_COUNT_CHANNEL,
  session_ttl: TTL_SECONDS.session,
  events_ttl: TTL_SECONDS.events,
  summary_ttl: TTL_SECONDS.summary,
  daily_ttl: TTL_SECONDS.daily,
  max_events: LIMITS.maxEvents,
  max_session_sectors: LIMITS.maxSessionSectors,
  max_summary_sectors: LIMITS.maxSummarySectors,
};

export type PlayerScriptName = 'login' | 'activity' | 'logout' | 'heartbeat' | 'reap';

export interface PlayerScriptRun {
  playerId: string;
  /** The script's own arguments, next to the ones every per-player script gets. */
  own?: ScriptArgs;
}

/**
 * The per-player scripts (scripts/<name>.lua): the keys the mode gives them
 * and the named arguments every one of them gets, built here and nowhere
 * else. To give every script a new argument or key, add it to #callFor (a
 * constant: to PLAYER_SCRIPT_CONSTANTS; a key: to the modes'
 * playerScriptKeys) and read A.<name> / K.<name> in Lua.
 */
export class PlayerScripts {
  readonly #runner: ScriptRunner;
  readonly #mode: RedisMode;
  readonly #online: OnlineSet;
  readonly #scripts: Record<PlayerScriptName, Script>;

  constructor(runner: ScriptRunner, mode: RedisMode, online: OnlineSet) {
    this.#runner = runner;
    this.#mode = mode;
    this.#online = online;
    const keyNames = Object.keys(mode.playerScriptKeys('_'));
    const define = (name: PlayerScriptName) =>
      runner.define(name, ['format', 'online', 'session'], keyNames, PLAYER_SCRIPT_CONSTANTS);
    this.#scripts = {
      login: define('login'),
      activity: define('activity'),
      logout: define('logout'),
      heartbeat: define('heartbeat'),
      reap: define('reap'),
    };
  }

  /** One script for one player: one round trip. */
  run(name: PlayerScriptName, run: PlayerScriptRun, now: Date, deadline: Deadline): Promise<unknown> {
    return this.#runner.run(this.#scripts[name], this.#callFor(run, now), deadline);
  }

  /** One script for many players, in order: one pipeline per group of the mode. */
  runMany(
    name: PlayerScriptName,
    runs: readonly PlayerScriptRun[],
    now: Date,
    deadline: Deadline,
    { settle = false } = {},
  ): Promise<unknown[]> {
    const calls = runs.map((run) => this.#callFor(run, now));
    return this.#runner.runMany(this.#scripts[name], calls, deadline, { groupOf: this.#mode.pipelineGroup, settle });
  }

  /**
   * The online-set changes the scripts could not make themselves (on a
   * cluster), made right after them. Best effort: the scripts were applied,
   * so the call reports success even if this fails; the reaper (ghosts) and
   * the next heartbeat (missing members) reconcile the set.
   */
  async changeOnlineSetAfter(change: 'add' | 'remove', playerIds: readonly string[], deadline: Deadline): Promise<void> {
    if (this.#mode.scriptsChangeOnlineSet || playerIds.length === 0) return;
    await this.#online.change(change, playerIds, deadline).catch(() => {});
  }

  #callFor({ playerId, own = {} }: PlayerScriptRun, now: Date): ScriptCall {
    return {
      keys: this.#mode.playerScriptKeys(playerId),
      args: {
        player_id: playerId,
        now_ts: toStoredTimestamp(now),
        now_us: epochMicros(now),
        now_date: utcDay(now),
        daily_key_prefix: this.#mode.player(playerId).dailyPrefix,
        ...own,
      },
    };
  }
}
