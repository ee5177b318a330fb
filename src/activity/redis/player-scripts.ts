import { ReplyError } from 'ioredis';
import { EventIdReusedError } from '../errors.ts';
import type { EventIdCall } from '../event-ids.ts';
import { epochMicros, toStoredTimestamp, utcDay } from '../time.ts';
import { EVENT_ID_DEFAULTS, globalScriptConstants, LIMITS, ONLINE_COUNT_CHANNEL, TTL_SECONDS } from './layout.ts';
import type { RedisMode } from './mode.ts';
import type { OnlineSet } from './online-set.ts';
import type { Deadline, Script, ScriptArgs, ScriptCall, ScriptRunner } from './runner.ts';

export interface EventIdWindow {
  /** How long an event id is remembered (EVENT_ID_TTL_SECONDS). */
  ttlSeconds: number;
  /** The most ids remembered per player; past it the oldest are forgotten first (EVENT_ID_MAX_PER_PLAYER). */
  maxPerPlayer: number;
}

/** What every per-player script gets that is the same for every call (written into the script once). */
export const playerScriptConstants = (eventIds: EventIdWindow) => ({
  channel: ONLINE_COUNT_CHANNEL,
  session_ttl: TTL_SECONDS.session,
  events_ttl: TTL_SECONDS.events,
  summary_ttl: TTL_SECONDS.summary,
  daily_ttl: TTL_SECONDS.daily,
  max_events: LIMITS.maxEvents,
  max_session_sectors: LIMITS.maxSessionSectors,
  max_summary_sectors: LIMITS.maxSummarySectors,
  event_id_ttl: eventIds.ttlSeconds,
  event_id_cap: eventIds.maxPerPlayer,
});

/** A repeated event id's answer (scripts/lib/event-ids.lua, repeated_reply), or null for any other reply. */
export function readRepeat(raw: unknown): (PlayerScriptResult & { duplicate: true }) | null {
  if (!Array.isArray(raw) || raw[0] !== 'duplicate') return null;
  const [, firstUs, reply, redo] = raw as [string, string, string, string];
  return {
    duplicate: true,
    reply: reply === '' ? null : reply,
    notes: [],
    firstAt: new Date(Math.floor(Number(firstUs) / 1000)),
    redoOnlineChange: redo === '1',
  };
}

/** The domain error of a script refused for a reused event id; anything else as it is. */
const asEventIdError = (error: unknown, eventId: EventIdCall | undefined): unknown =>
  eventId && error instanceof ReplyError && (error as Error).message.startsWith('EVENTIDREUSED')
    ? new EventIdReusedError(eventId.id)
    : error;

export type PlayerScriptName = 'login' | 'activity' | 'logout' | 'heartbeat' | 'reap';

/** The scripts that may complete a session (a relogin, a logout, the reaper), writing its daily record. */
const COMPLETES_SESSIONS: ReadonlySet<PlayerScriptName> = new Set(['login', 'logout', 'reap']);

/**
 * A per-player script's reply (its error in place, for a settled batch), and
 * on a cluster the game-wide numbers it noted but could not write
 * (scripts/lib/global.lua): date, field, amount triples. For a repeated
 * event id: what the first call answered (nothing applied this time, no notes).
 */
export type PlayerScriptResult =
  | { duplicate: false; reply: unknown; notes: readonly string[] }
  | {
      duplicate: true;
      /** The first call's reply (null where it answered false). */
      reply: string | null;
      notes: readonly string[];
      /** When the first call was applied. */
      firstAt: Date;
      /** On a Cluster: the online-set change after the script should be made again (the first call may have missed it). */
      redoOnlineChange: boolean;
    };

export interface PlayerScriptRun {
  playerId: string;
  /** The script's own arguments, next to the ones every per-player script gets. */
  own?: ScriptArgs;
  /** The caller's event id, when it gave one. */
  eventId?: EventIdCall | undefined;
}

/**
 * The per-player scripts (scripts/<name>.lua): the keys the mode gives them
 * and the named arguments every one of them gets, built here and nowhere
 * else. To give every script a new argument or key, add it to #callFor (a
 * constant: to playerScriptConstants; a key: to the modes'
 * playerScriptKeys) and read A.<name> / K.<name> in Lua.
 */
export class PlayerScripts {
  readonly #runner: ScriptRunner;
  readonly #mode: RedisMode;
  readonly #online: OnlineSet;
  readonly #scripts: Record<PlayerScriptName, Script>;

  constructor(runner: ScriptRunner, mode: RedisMode, online: OnlineSet, eventIds: EventIdWindow = EVENT_ID_DEFAULTS) {
    this.#runner = runner;
    this.#mode = mode;
    this.#online = online;
    const keyNames = Object.keys(mode.playerScriptKeys('_'));
    const constants = { ...playerScriptConstants(eventIds), ...globalScriptConstants(mode.globalPrefix) };
    const define = (name: PlayerScriptName) =>
      runner.define(name, ['format', 'global', 'online', 'session', 'event-ids'], keyNames, constants);
    this.#scripts = {
      login: define('login'),
      activity: define('activity'),
      logout: define('logout'),
      heartbeat: define('heartbeat'),
      reap: define('reap'),
    };
  }

  /** One script for one player: one round trip. A reused event id throws EventIdReusedError. */
  async run(name: PlayerScriptName, run: PlayerScriptRun, now: Date, deadline: Deadline): Promise<PlayerScriptResult> {
    try {
      return this.#unpack(await this.#runner.run(this.#scripts[name], this.#callFor(name, run, now), deadline));
    } catch (error) {
      throw asEventIdError(error, run.eventId);
    }
  }

  /**
   * One script for many players, in order: one pipeline per group of the
   * mode. A call refused for a reused event id answers its
   * EventIdReusedError in place (as its reply); with `settle`, so does any
   * call whose script failed on its own keys; any other failure fails the batch.
   */
  async runMany(
    name: PlayerScriptName,
    runs: readonly PlayerScriptRun[],
    now: Date,
    deadline: Deadline,
    { settle = false } = {},
  ): Promise<PlayerScriptResult[]> {
    const calls = runs.map((run) => this.#callFor(name, run, now));
    const raws = await this.#runner.runMany(this.#scripts[name], calls, deadline, {
      groupOf: this.#mode.pipelineGroup,
      settle: true,
    });
    return raws.map((raw, index) => {
      if (!(raw instanceof Error)) return this.#unpack(raw);
      const error = asEventIdError(raw, runs[index]!.eventId);
      if (error instanceof EventIdReusedError || settle) return this.#unpack(error);
      throw error;
    });
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

  /**
   * On a single server the script wrote its game-wide numbers itself and
   * replied as usual; on a cluster it answers {reply, notes}. A repeated
   * event id answers {'duplicate', …} in both modes.
   */
  #unpack(raw: unknown): PlayerScriptResult {
    const repeat = readRepeat(raw);
    if (repeat) return repeat;
    if (this.#mode.scriptsChangeOnlineSet || raw instanceof Error || !Array.isArray(raw)) {
      return { duplicate: false, reply: raw, notes: [] };
    }
    const [reply, notes] = raw as [unknown, unknown];
    return { duplicate: false, reply, notes: Array.isArray(notes) ? notes.map(String) : [] };
  }

  #callFor(name: PlayerScriptName, { playerId, own = {}, eventId }: PlayerScriptRun, now: Date): ScriptCall {
    return {
      keys: this.#mode.playerScriptKeys(playerId),
      args: {
        player_id: playerId,
        now_ts: toStoredTimestamp(now),
        now_us: epochMicros(now),
        now_date: utcDay(now),
        // only where a session may end (scripts/lib/session.lua complete_session): one argument less per event
        ...(COMPLETES_SESSIONS.has(name) ? { daily_key_prefix: this.#mode.player(playerId).dailyPrefix } : {}),
        ...(eventId ? { event_id: eventId.id, event_fp: eventId.fingerprint } : {}),
        ...own,
      },
    };
  }
}
