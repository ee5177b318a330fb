import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../clock.ts';
import type { RedisClient } from '../redis.ts';
import { EventIdReusedError, InvalidInputError } from './errors.ts';
import { checkEventId, eventIdCall } from './event-ids.ts';
import {
  type ActivityEvent,
  type CompletedSession,
  type DailyStats,
  decodeCompletedSession,
  decodeDaily,
  decodeEvent,
  decodeSession,
  decodeSummary,
  decodeVersionedCount,
  type PlayerSession,
  type PlayerSummary,
  type VersionedCount,
} from './records.ts';
import { ActivityBatches, type BatchEvent } from './redis/activity-batch.ts';
import { type GlobalDailyStats, GlobalStats, type OnlineCountPoint } from './redis/global-stats.ts';
import { type RedisMode, redisModeFor } from './redis/mode.ts';
import { OnlineSet } from './redis/online-set.ts';
import { type EventIdWindow, type PlayerScriptResult, PlayerScripts } from './redis/player-scripts.ts';
import { Deadline, isScriptFailure, type ReplicaAcks, ScriptRunner } from './redis/runner.ts';
import { utcDay } from './time.ts';
import { checkActivity, checkDate, checkLimit, checkPlayerId, PLAYER_ID_PATTERN } from './validation.ts';

export { decodeVersionedCount, type VersionedCount } from './records.ts';
export {
  DEFAULT_HISTORY_MS,
  type GlobalDailyStats,
  MAX_HISTORY_MS,
  type OnlineCountPoint,
} from './redis/global-stats.ts';

export const MAX_BATCH_EVENTS = 500;
/** The default REDIS_CALL_DEADLINE_MS. */
export const DEFAULT_CALL_DEADLINE_MS = 1000;

export interface ReapOutcome {
  /** Idle sessions completed. */
  reaped: number;
  /** Members removed because their session was gone. */
  ghosts: number;
  /** Members left alone because their own keys made the script fail. */
  failed: number;
}

export interface ActivityInput {
  playerId: string;
  eventType: string;
  details?: unknown;
  /** The caller's id for this event (see event-ids.ts); absent: no deduplication. */
  eventId?: string | null | undefined;
}

export interface TrackedActivity {
  event: ActivityEvent;
  /** The session after the update; null when the player had no open session. */
  session: PlayerSession | null;
  /** True when the event id repeated an earlier call: nothing was applied, and this is that call's answer. */
  duplicate: boolean;
}

/**
 * One event of a batch: what was tracked, or why it was refused (nothing
 * written for it): EventIdReusedError, or the Redis error of its player's
 * keys (a key of the wrong type).
 */
export type BatchOutcome = TrackedActivity | Error;

export interface StoreOptions {
  /**
   * How long one call (or, through forCall(), one request) may take, from
   * its start, whatever it waits for: queueing, a slow or hung Redis,
   * follow-up scripts. Past it the call fails with StoreUnavailableError.
   */
  callDeadlineMs?: number;
  /** Called for every call that failed because Redis was unusable. */
  onUnavailable?: (error: unknown) => void;
  /** Writes wait for replicas' acknowledgement (REDIS_WAIT_REPLICAS); the call deadline covers the wait. */
  replicaAcks?: ReplicaAcks | undefined;
  /** How long and how many client event ids are remembered per player. */
  eventIds?: EventIdWindow;
  /** Called for every call (or batch event) answered as a repeat of an earlier one. */
  onDuplicate?: () => void;
}

/** The deadline of the request under way, set by a forCall() handle. */
const requestDeadline = new AsyncLocalStorage<Deadline>();

/**
 * The activity domain on Redis: checks the input, runs one script (or
 * command) per call, decodes the reply. Key names, the online-set strategy
 * and pipelining differ per Redis mode (./redis/); the stored shapes are
 * ./records.ts and ./scripts/lib/format.lua.
 */
export class ActivityStore {
  readonly #clock: Clock;
  readonly #runner: ScriptRunner;
  readonly #mode: RedisMode;
  readonly #online: OnlineSet;
  readonly #players: PlayerScripts;
  readonly #batches: ActivityBatches;
  readonly #global: GlobalStats;
  readonly #callDeadlineMs: number;
  readonly #onDuplicate: () => void;

  constructor(
    redis: RedisClient,
    clock: Clock,
    { callDeadlineMs, onUnavailable, replicaAcks, eventIds, onDuplicate }: StoreOptions = {},
  ) {
    this.#clock = clock;
    this.#runner = new ScriptRunner(redis, { ...(onUnavailable ? { onUnavailable } : {}), replicaAcks });
    this.#mode = redisModeFor(redis);
    this.#online = new OnlineSet(this.#runner, this.#mode.online, this.#mode.globalPrefix);
    this.#global = new GlobalStats(this.#runner, this.#mode);
    this.#players = new PlayerScripts(this.#runner, this.#mode, this.#online, eventIds);
    this.#batches = new ActivityBatches(this.#runner, this.#mode, eventIds);
    this.#callDeadlineMs = callDeadlineMs ?? DEFAULT_CALL_DEADLINE_MS;
    this.#onDuplicate = onDuplicate ?? (() => {});
  }

  /**
   * Loads the Lua functions into Redis (every master of a cluster). Calls
   * load them themselves when missing; at start-up this turns a Redis that
   * cannot run them (before 7.0, or an ACL user without FUNCTION LOAD /
   * FCALL) into one clear error (RedisFunctionsError).
   */
  prepare(): Promise<void> {
    return this.#runner.load();
  }

  /** Which Redis mode this store runs in. */
  get mode(): RedisMode['name'] {
    return this.#mode.name;
  }

  /**
   * A handle whose calls all share one deadline starting now: one per
   * request (made with its context), so that queueing and the fields of a
   * mutation, which run one after the other, cannot add up past it.
   */
  forCall(): ActivityStore {
    const deadline = new Deadline(this.#callDeadlineMs);
    return new Proxy(this, {
      get: (target, property) => {
        const value: unknown = Reflect.get(target, property);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => requestDeadline.run(deadline, () => value.apply(target, args));
      },
    });
  }

  /**
   * Opens a session. With an event id already seen (same operation), the
   * session that first call opened, and nothing changed.
   */
  async trackLogin(playerId: string, eventId?: string | null): Promise<PlayerSession> {
    const run = { playerId: checkPlayerId(playerId), eventId: eventIdCall(checkEventId(eventId), 'login') };
    const deadline = this.#startCall();
    const now = this.#clock.now();
    const result = this.#counted(await this.#players.run('login', run, now, deadline));
    const session = decodeSession(result.reply as string);
    if (!session) throw new Error('login script returned no session');
    if (redoesOnlineChange(result)) await this.#players.afterScripts('add', [playerId], [result], now, deadline);
    return session;
  }

  async trackActivity(
    playerId: string,
    eventType: string,
    details?: unknown,
    eventId?: string | null,
  ): Promise<TrackedActivity> {
    const [outcome] = await this.trackActivities([{ playerId, eventType, details, eventId }]);
    if (outcome instanceof Error) throw outcome;
    return outcome!;
  }

  /**
   * Records up to 500 events in one round trip, in the order given, so one
   * player's events apply in order: one event runs the activity script,
   * more run the batch script once per chunk (redis/activity-batch.ts:
   * up to 100 events; on a single server many players per chunk, on a
   * cluster one). The whole batch is checked first: one bad event and
   * nothing is sent. Each chunk is atomic; if Redis fails mid-batch, the
   * chunks before the failure may have been applied (with event ids,
   * retrying the batch is safe). An event whose id repeats an earlier one
   * (in this batch or before) with the same payload answers that call's
   * result, marked duplicate; with another payload it is refused in place
   * (EventIdReusedError) and the other events still apply. A player whose
   * keys hold the wrong type gets that error in place of each of its
   * events, with nothing written for them; the other players' events apply.
   */
  async trackActivities(inputs: readonly ActivityInput[]): Promise<BatchOutcome[]> {
    if (inputs.length > MAX_BATCH_EVENTS) {
      throw new InvalidInputError('events', `at most ${MAX_BATCH_EVENTS} events per call`);
    }
    const checked = inputs.map((input, index) => {
      try {
        const effect = checkActivity(input.eventType, input.details);
        const eventId = checkEventId(input.eventId);
        return {
          playerId: checkPlayerId(input.playerId),
          effect,
          eventId: eventIdCall(eventId, 'activity', effect.eventType, effect.details),
        };
      } catch (error) {
        if (!(error instanceof InvalidInputError) || inputs.length === 1) throw error;
        throw new InvalidInputError(`events[${index}].${error.field}`, `events[${index}]: ${error.message}`);
      }
    });
    const deadline = this.#startCall();
    const now = this.#clock.now();
    const events = checked.map(({ playerId, effect, eventId }) => ({
      playerId,
      eventId,
      eventType: effect.eventType,
      detailsJson: effect.detailsJson,
      tradeValue: effect.tradeValue === null ? '' : String(effect.tradeValue),
      isCombat: effect.isCombat,
      sector: effect.sector ?? '',
    }));
    const results =
      events.length === 1
        ? [await this.#trackOne(events[0]!, now, deadline).catch(inPlace)]
        : await this.#batches.run(events, now, deadline);
    await this.#players.afterScripts(null, [], results, now, deadline);
    return checked.map(({ effect, eventId }, index): BatchOutcome => {
      const result = results[index]!;
      if (result.reply instanceof Error) return result.reply;
      this.#counted(result);
      return {
        event: {
          eventType: effect.eventType,
          timestamp: result.duplicate ? result.firstAt : now,
          details: effect.details,
          ...(eventId ? { eventId: eventId.id } : {}),
        },
        session: typeof result.reply === 'string' ? decodeSession(result.reply) : null,
        duplicate: result.duplicate,
      };
    });
  }

  /**
   * Completes the open session; null (and nothing written) when there is
   * none. With an event id already seen, that call's answer (the session it
   * completed, or null), and nothing changed.
   */
  async trackLogout(playerId: string, eventId?: string | null): Promise<CompletedSession | null> {
    const run = { playerId: checkPlayerId(playerId), eventId: eventIdCall(checkEventId(eventId), 'logout') };
    const deadline = this.#startCall();
    const now = this.#clock.now();
    const result = this.#counted(await this.#players.run('logout', run, now, deadline));
    // A first call leaves the set when it completed a session; a repeat, when the script says the first may have missed it.
    if (redoesOnlineChange(result) && (result.duplicate || typeof result.reply === 'string')) {
      await this.#players.afterScripts('remove', [playerId], [result], now, deadline);
    }
    return typeof result.reply === 'string' ? decodeCompletedSession(result.reply) : null;
  }

  /**
   * Keeps an open session alive without counting an action; null (nothing
   * written) without one. With an event id already seen, that call's answer.
   */
  async trackHeartbeat(playerId: string, eventId?: string | null): Promise<PlayerSession | null> {
    const run = { playerId: checkPlayerId(playerId), eventId: eventIdCall(checkEventId(eventId), 'heartbeat') };
    const deadline = this.#startCall();
    const now = this.#clock.now();
    const result = this.#counted(await this.#players.run('heartbeat', run, now, deadline));
    if (typeof result.reply !== 'string') return null;
    // Where the scripts cannot change the online set, a crash between a login
    // and its set update could leave an open session out: every heartbeat
    // that finds one puts it back (a repeat, when it still finds one).
    if (redoesOnlineChange(result)) await this.#players.afterScripts('add', [playerId], [result], now, deadline);
    return decodeSession(result.reply);
  }

  /** One SSCAN step over the online set. */
  scanOnlinePlayers(cursor: string, count: number): Promise<{ cursor: string; playerIds: string[] }> {
    return this.#online.scan(cursor, count, this.#startCall());
  }

  /**
   * Reaps online-set members in one pipeline: each is completed when idle
   * longer than the timeout, or removed from the set when its session is
   * gone. A member whose own keys break a script (say, a key of the wrong
   * type written by another program) is counted as failed and left alone,
   * so it cannot hold up the others; an id outside the pattern cannot have
   * a session here and is removed as a ghost.
   */
  async reapMembers(playerIds: readonly string[], idleTimeoutSeconds: number): Promise<ReapOutcome> {
    const deadline = this.#startCall();
    const now = this.#clock.now();
    const valid = playerIds.filter((playerId) => PLAYER_ID_PATTERN.test(playerId));
    const strays = playerIds.filter((playerId) => !PLAYER_ID_PATTERN.test(playerId));
    const own = { idle_timeout_us: idleTimeoutSeconds * 1_000_000 };
    const runs = valid.map((playerId) => ({ playerId, own }));
    const results = await this.#players.runMany('reap', runs, now, deadline, { settle: true });
    const replies = results.map(({ reply }) => reply);
    const left = valid.filter((_, index) => replies[index] === 'reaped' || replies[index] === 'ghost');
    // Both go to the online set's slot; neither waits for the other.
    const [, removedStrays] = await Promise.all([
      this.#players.afterScripts('remove', left, results, now, deadline),
      strays.length ? this.#online.change('remove', strays, now, deadline) : 0,
    ]);
    return {
      reaped: replies.filter((reply) => reply === 'reaped').length,
      ghosts: replies.filter((reply) => reply === 'ghost').length + removedStrays,
      failed: replies.filter((reply) => reply instanceof Error).length,
    };
  }

  async getSession(playerId: string): Promise<PlayerSession | null> {
    const key = this.#mode.player(checkPlayerId(playerId)).session;
    return decodeSession(await this.#runner.command(this.#startCall(), (redis) => redis.get(key)));
  }

  async getSummary(playerId: string): Promise<PlayerSummary> {
    const key = this.#mode.player(checkPlayerId(playerId)).summary;
    return decodeSummary(playerId, await this.#runner.command(this.#startCall(), (redis) => redis.get(key)));
  }

  /** Newest first. */
  async getRecentEvents(playerId: string, limit: number): Promise<ActivityEvent[]> {
    const key = this.#mode.player(checkPlayerId(playerId)).events;
    const end = checkLimit(limit) - 1;
    const raws = await this.#runner.command(this.#startCall(), (redis) => redis.lrange(key, 0, end));
    return raws.map(decodeEvent).filter((event): event is ActivityEvent => event !== null);
  }

  /** One UTC day's record; today's when no date is given. */
  async getDailyStats(playerId: string, date?: string | null): Promise<DailyStats> {
    checkPlayerId(playerId);
    const day = date == null ? utcDay(this.#clock.now()) : checkDate(date);
    const key = `${this.#mode.player(playerId).dailyPrefix}${day}`;
    return decodeDaily(playerId, day, await this.#runner.command(this.#startCall(), (redis) => redis.get(key)));
  }

  /** Game-wide numbers of one UTC day; today's when no date is given. */
  getGlobalDailyStats(date?: string | null): Promise<GlobalDailyStats> {
    const today = utcDay(this.#clock.now());
    return this.#global.daily(date == null ? today : checkDate(date), today, this.#startCall());
  }

  /** The online count per minute (its peak): the last 24 h by default, at most 48 h. */
  getOnlineCountHistory(from?: Date | null, to?: Date | null): Promise<OnlineCountPoint[]> {
    return this.#global.onlineHistory(from, to, this.#clock.now(), this.#startCall());
  }

  getOnlineCount(): Promise<number> {
    return this.#online.count(this.#startCall());
  }

  /** The count with the version of the online set it belongs to, read together. */
  async getVersionedOnlineCount(): Promise<VersionedCount> {
    return decodeVersionedCount(await this.#online.versionedCount(this.#startCall())) ?? { count: 0, version: 0 };
  }

  /** Publishes the current count and version again, for subscribers that may have missed a change. */
  publishOnlineCount(): Promise<void> {
    return this.#online.publish(this.#startCall());
  }

  #trackOne(event: BatchEvent, now: Date, deadline: Deadline): Promise<PlayerScriptResult> {
    // Arguments that do not apply are left out, not sent empty: fewer for Redis to decode per event.
    const own: Record<string, string> = { event_type: event.eventType, details_json: event.detailsJson };
    if (event.tradeValue !== '') own['trade_value'] = event.tradeValue;
    if (event.isCombat) own['is_combat'] = '1';
    if (event.sector !== '') own['sector'] = event.sector;
    return this.#players.run('activity', { playerId: event.playerId, eventId: event.eventId, own }, now, deadline);
  }

  #counted(answer: PlayerScriptResult): PlayerScriptResult {
    if (answer.duplicate) this.#onDuplicate();
    return answer;
  }

  /** The request's deadline under a forCall() handle, else a new one for this call. */
  #startCall(): Deadline {
    return requestDeadline.getStore() ?? new Deadline(this.#callDeadlineMs);
  }
}

/** A first call makes its online-set change; a repeat only when the script says the first may have missed it. */
const redoesOnlineChange = (answer: PlayerScriptResult) => !answer.duplicate || answer.redoOnlineChange;

/** A single event's refusal (a reused id, or its player's keys) answered in place, as a batch's would be. */
const inPlace = (error: unknown): PlayerScriptResult => {
  if (error instanceof EventIdReusedError || isScriptFailure(error))
    return { duplicate: false, reply: error, notes: [] };
  throw error;
};
