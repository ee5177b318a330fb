import type { Clock } from '../clock.ts';
import type { RedisClient } from '../redis.ts';
import { InvalidInputError } from './errors.ts';
import {
  decodeCompletedSession,
  decodeDaily,
  decodeEvent,
  decodeSession,
  decodeSummary,
  decodeVersionedCount,
  type ActivityEvent,
  type CompletedSession,
  type DailyStats,
  type PlayerSession,
  type PlayerSummary,
  type VersionedCount,
} from './records.ts';
import { LIMITS, ONLINE_COUNT_CHANNEL, TTL_SECONDS } from './redis/layout.ts';
import { redisModeFor, type RedisMode } from './redis/mode.ts';
import { OnlineSet } from './redis/online-set.ts';
import { Deadline, ScriptRunner, type Script, type ScriptArgs, type ScriptCall } from './redis/runner.ts';
import { epochMicros, toStoredTimestamp, utcDay } from './time.ts';
import { checkActivity, checkDate, checkLimit, checkPlayerId, PLAYER_ID_PATTERN } from './validation.ts';

export { decodeVersionedCount, type VersionedCount } from './records.ts';

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
}

export interface TrackedActivity {
  event: ActivityEvent;
  /** The session after the update; null when the player had no open session. */
  session: PlayerSession | null;
}

export interface StoreOptions {
  /**
   * How long one call (or, through forCall(), one request) may take, from
   * its start, whatever it waits for: queueing, a slow or hung Redis,
   * retries. Past it the call fails with StoreUnavailableError.
   */
  callDeadlineMs?: number;
  /** Called for every call that failed because Redis was unusable. */
  onUnavailable?: (error: unknown) => void;
}

interface PlayerScripts {
  login: Script;
  activity: Script;
  logout: Script;
  heartbeat: Script;
  reap: Script;
}

/** What every store handle shares: the runner, the mode and the scripts defined on the connection. */
interface StoreCore {
  clock: Clock;
  runner: ScriptRunner;
  mode: RedisMode;
  online: OnlineSet;
  scripts: PlayerScripts;
  callDeadlineMs: number;
}

/**
 * The activity domain on Redis: checks the input, runs one script (or
 * command) per call through the runner, decodes the reply. Key names,
 * the online-set strategy and pipelining differ per Redis mode (./redis/);
 * the stored shapes are ./records.ts and ./scripts/lib/format.lua.
 */
export class ActivityStore {
  readonly #core: StoreCore;
  /** Set on a per-request handle: every call of that request shares it. */
  readonly #deadline: Deadline | null;

  constructor(redis: RedisClient, clock: Clock, options?: StoreOptions);
  constructor(core: StoreCore, deadline: Deadline);
  constructor(source: RedisClient | StoreCore, second: Clock | Deadline, options: StoreOptions = {}) {
    if (second instanceof Deadline) {
      this.#core = source as StoreCore;
      this.#deadline = second;
      return;
    }
    const redis = source as RedisClient;
    const runner = new ScriptRunner(redis, { ...(options.onUnavailable ? { onUnavailable: options.onUnavailable } : {}) });
    const mode = redisModeFor(redis);
    const playerKeyNames = Object.keys(mode.playerScriptKeys('_'));
    const player = (file: string) => runner.define(file, ['format', 'online', 'session'], playerKeyNames);
    this.#core = {
      clock: second,
      runner,
      mode,
      online: new OnlineSet(runner, mode.online),
      scripts: {
        login: player('login'),
        activity: player('activity'),
        logout: player('logout'),
        heartbeat: player('heartbeat'),
        reap: player('reap'),
      },
      callDeadlineMs: options.callDeadlineMs ?? DEFAULT_CALL_DEADLINE_MS,
    };
    this.#deadline = null;
  }

  /** Which Redis mode this store runs in. */
  get mode(): RedisMode['name'] {
    return this.#core.mode.name;
  }

  /** A handle whose calls all share one deadline starting now: one per request. */
  forCall(): ActivityStore {
    return new ActivityStore(this.#core, new Deadline(this.#core.callDeadlineMs));
  }

  async trackLogin(playerId: string): Promise<PlayerSession> {
    const deadline = this.#startCall();
    const raw = await this.#runPlayerScript('login', checkPlayerId(playerId), {}, deadline);
    const session = decodeSession(raw as string);
    if (!session) throw new Error('login script returned no session');
    await this.#changeOnlineAfterScripts('add', [playerId], deadline);
    return session;
  }

  async trackActivity(playerId: string, eventType: string, details?: unknown): Promise<TrackedActivity> {
    const [tracked] = await this.trackActivities([{ playerId, eventType, details }]);
    return tracked!;
  }

  /**
   * Records up to 500 events in one round trip (a pipeline of activity
   * scripts), in the order given, so one player's events apply in order.
   * The whole batch is checked first: one bad event and nothing is sent.
   * Each event is atomic; if Redis fails mid-batch, the events before the
   * failure may have been applied.
   */
  async trackActivities(inputs: readonly ActivityInput[]): Promise<TrackedActivity[]> {
    if (inputs.length > MAX_BATCH_EVENTS) {
      throw new InvalidInputError('events', `at most ${MAX_BATCH_EVENTS} events per call`);
    }
    const checked = inputs.map((input, index) => {
      try {
        return { playerId: checkPlayerId(input.playerId), effect: checkActivity(input.eventType, input.details) };
      } catch (error) {
        if (!(error instanceof InvalidInputError) || inputs.length === 1) throw error;
        throw new InvalidInputError(`events[${index}].${error.field}`, `events[${index}]: ${error.message}`);
      }
    });
    const deadline = this.#startCall();
    const now = this.#core.clock.now();
    const calls = checked.map(({ playerId, effect }) =>
      this.#playerScriptCall(playerId, now, {
        event_type: effect.eventType,
        details_json: effect.detailsJson,
        trade_value: effect.tradeValue === null ? '' : String(effect.tradeValue),
        is_combat: effect.isCombat ? '1' : '0',
        sector: effect.sector ?? '',
      }),
    );
    const { runner, scripts, mode } = this.#core;
    const replies =
      calls.length === 1
        ? [await runner.run(scripts.activity, calls[0]!, deadline)]
        : await runner.runMany(scripts.activity, calls, deadline, { groupOf: mode.pipelineGroup });
    return checked.map(({ effect }, index) => {
      const reply = replies[index];
      return {
        event: { eventType: effect.eventType, timestamp: now, details: effect.details },
        session: typeof reply === 'string' ? decodeSession(reply) : null,
      };
    });
  }

  /** Completes the open session; null (and nothing written) when there is none. */
  async trackLogout(playerId: string): Promise<CompletedSession | null> {
    const deadline = this.#startCall();
    const raw = await this.#runPlayerScript('logout', checkPlayerId(playerId), {}, deadline);
    if (typeof raw !== 'string') return null;
    await this.#changeOnlineAfterScripts('remove', [playerId], deadline);
    return decodeCompletedSession(raw);
  }

  /** Keeps an open session alive without counting an action; null (nothing written) without one. */
  async trackHeartbeat(playerId: string): Promise<PlayerSession | null> {
    const deadline = this.#startCall();
    const raw = await this.#runPlayerScript('heartbeat', checkPlayerId(playerId), {}, deadline);
    if (typeof raw !== 'string') return null;
    // Where the scripts cannot change the online set, a crash between a login
    // and its set update could leave an open session out: every heartbeat puts it back.
    await this.#changeOnlineAfterScripts('add', [playerId], deadline);
    return decodeSession(raw);
  }

  /** One SSCAN step over the online set. */
  scanOnlinePlayers(cursor: string, count: number): Promise<{ cursor: string; playerIds: string[] }> {
    return this.#core.online.scan(cursor, count, this.#startCall());
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
    const now = this.#core.clock.now();
    const valid = playerIds.filter((playerId) => PLAYER_ID_PATTERN.test(playerId));
    const strays = playerIds.filter((playerId) => !PLAYER_ID_PATTERN.test(playerId));
    const calls = valid.map((playerId) =>
      this.#playerScriptCall(playerId, now, { idle_timeout_us: idleTimeoutSeconds * 1_000_000 }),
    );
    const replies = await this.#core.runner.runMany(this.#core.scripts.reap, calls, deadline, {
      groupOf: this.#core.mode.pipelineGroup,
      settle: true,
    });
    const left = valid.filter((_, index) => replies[index] === 'reaped' || replies[index] === 'ghost');
    await this.#changeOnlineAfterScripts('remove', left, deadline);
    const removedStrays = strays.length ? await this.#core.online.change('remove', strays, deadline) : 0;
    return {
      reaped: replies.filter((reply) => reply === 'reaped').length,
      ghosts: replies.filter((reply) => reply === 'ghost').length + removedStrays,
      failed: replies.filter((reply) => reply instanceof Error).length,
    };
  }

  async getSession(playerId: string): Promise<PlayerSession | null> {
    const key = this.#core.mode.player(checkPlayerId(playerId)).session;
    return decodeSession(await this.#core.runner.command(this.#startCall(), (redis) => redis.get(key)));
  }

  async getSummary(playerId: string): Promise<PlayerSummary> {
    const key = this.#core.mode.player(checkPlayerId(playerId)).summary;
    return decodeSummary(playerId, await this.#core.runner.command(this.#startCall(), (redis) => redis.get(key)));
  }

  /** Newest first. */
  async getRecentEvents(playerId: string, limit: number): Promise<ActivityEvent[]> {
    const key = this.#core.mode.player(checkPlayerId(playerId)).events;
    const end = checkLimit(limit) - 1;
    const raws = await this.#core.runner.command(this.#startCall(), (redis) => redis.lrange(key, 0, end));
    return raws.map(decodeEvent).filter((event): event is ActivityEvent => event !== null);
  }

  /** One UTC day's record; today's when no date is given. */
  async getDailyStats(playerId: string, date?: string | null): Promise<DailyStats> {
    checkPlayerId(playerId);
    const day = date == null ? utcDay(this.#core.clock.now()) : checkDate(date);
    const key = `${this.#core.mode.player(playerId).dailyPrefix}${day}`;
    return decodeDaily(playerId, day, await this.#core.runner.command(this.#startCall(), (redis) => redis.get(key)));
  }

  getOnlineCount(): Promise<number> {
    return this.#core.online.count(this.#startCall());
  }

  getOnlinePlayerIds(): Promise<string[]> {
    return this.#core.online.members(this.#startCall());
  }

  /** The count with the version of the online set it belongs to, read together. */
  async getVersionedOnlineCount(): Promise<VersionedCount> {
    return decodeVersionedCount(await this.#core.online.versionedCount(this.#startCall())) ?? { count: 0, version: 0 };
  }

  /** Publishes the current count and version again, for subscribers that may have missed a change. */
  publishOnlineCount(): Promise<void> {
    return this.#core.online.publish(this.#startCall());
  }

  /** The request's deadline on a per-request handle, else a new one for this call. */
  #startCall(): Deadline {
    return this.#deadline ?? new Deadline(this.#core.callDeadlineMs);
  }

  #runPlayerScript(name: 'login' | 'logout' | 'heartbeat', playerId: string, own: ScriptArgs, deadline: Deadline) {
    const call = this.#playerScriptCall(playerId, this.#core.clock.now(), own);
    return this.#core.runner.run(this.#core.scripts[name], call, deadline);
  }

  /**
   * The online-set changes the per-player scripts could not make themselves
   * (on a cluster), made right after them. Best effort: the scripts were
   * applied, so the call reports success even if this fails; the reaper
   * (ghosts) and the next heartbeat (missing members) reconcile the set.
   */
  async #changeOnlineAfterScripts(change: 'add' | 'remove', playerIds: readonly string[], deadline: Deadline) {
    if (this.#core.mode.scriptsChangeOnlineSet || playerIds.length === 0) return;
    await this.#core.online.change(change, playerIds, deadline).catch(() => {});
  }

  /** The keys and named arguments every per-player script gets, plus its own. */
  #playerScriptCall(playerId: string, now: Date, own: ScriptArgs): ScriptCall {
    return {
      keys: this.#core.mode.playerScriptKeys(playerId),
      args: {
        player_id: playerId,
        now_ts: toStoredTimestamp(now),
        now_us: epochMicros(now),
        now_date: utcDay(now),
        daily_key_prefix: this.#core.mode.player(playerId).dailyPrefix,
        channel: ONLINE_COUNT_CHANNEL,
        session_ttl: TTL_SECONDS.session,
        events_ttl: TTL_SECONDS.events,
        summary_ttl: TTL_SECONDS.summary,
        daily_ttl: TTL_SECONDS.daily,
        max_events: LIMITS.maxEvents,
        max_session_sectors: LIMITS.maxSessionSectors,
        max_summary_sectors: LIMITS.maxSummarySectors,
        ...own,
      },
    };
  }
}
