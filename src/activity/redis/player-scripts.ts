import { globalScriptConstants, LIMITS, ONLINE_COUNT_CHANNEL, TTL_SECONDS } from './layout.ts';
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

/**
 * A per-player script's reply (its error in place, for a settled batch), and
 * on a cluster the game-wide numbers it noted but could not write
 * (scripts/lib/global.lua): date, field, amount triples.
 */
export interface PlayerScriptResult {
  reply: unknown;
  notes: readonly string[];
}

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
    const constants = { ...PLAYER_SCRIPT_CONSTANTS, ...globalScriptConstants(mode.globalPrefix) };
    const define = (name: PlayerScriptName) => runner.define(name, ['format', 'global', 'online', 'session'], keyNames, constants);
    this.#scripts = {
      login: define('login'),
      activity: define('activity'),
      logout: define('logout'),
      heartbeat: define('heartbeat'),
      reap: define('reap'),
    };
  }

  /** One script for one player: one round trip. */
  async run(name: PlayerScriptName, run: PlayerScriptRun, now: Date, deadline: Deadline): Promise<PlayerScriptResult> {
    return this.#unpack(await this.#runner.run(this.#scripts[name], this.#callFor(run, now), deadline));
  }

  /** One script for many players, in order: one pipeline per group of the mode. */
  async runMany(
    name: PlayerScriptName,
    runs: readonly PlayerScriptRun[],
    now: Date,
    deadline: Deadline,
    { settle = false } = {},
  ): Promise<PlayerScriptResult[]> {
    const calls = runs.map((run) => this.#callFor(run, now));
    const replies = await this.#runner.runMany(this.#scripts[name], calls, deadline, { groupOf: this.#mode.pipelineGroup, settle });
    return replies.map((reply) => this.#unpack(reply));
  }

  /**
   * What the scripts could not write themselves (on a cluster), written
   * right after them in the online set's slot, both at once: the online-set
   * change (`null`: none) and the game-wide numbers the scripts noted. Best
   * effort: the scripts were applied, so the call reports success even if
   * this fails; the reaper (ghosts) and the next heartbeat (missing members)
   * reconcile the set, and the game-wide numbers miss that call.
   */
  async afterScripts(
    change: 'add' | 'remove' | null,
    playerIds: readonly string[],
    results: readonly PlayerScriptResult[],
    now: Date,
    deadline: Deadline,
  ): Promise<void> {
    if (this.#mode.scriptsChangeOnlineSet) return;
    const notes = results.flatMap((result) => result.notes);
    await Promise.all([
      change && playerIds.length ? this.#online.change(change, playerIds, now, deadline).catch(() => 0) : 0,
      this.#online.applyGlobal(notes, deadline).catch(() => {}),
    ]);
  }

  /** On a single server the script wrote its game-wide numbers itself and replied as usual; on a cluster it answers {reply, notes}. */
  #unpack(raw: unknown): PlayerScriptResult {
    if (this.#mode.scriptsChangeOnlineSet || raw instanceof Error || !Array.isArray(raw)) return { reply: raw, notes: [] };
    const [reply, notes] = raw as [unknown, unknown];
    return { reply, notes: Array.isArray(notes) ? notes.map(String) : [] };
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
