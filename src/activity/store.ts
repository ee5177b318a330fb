import { ReplyError } from 'ioredis';
import type { Clock } from '../clock.ts';
import type { RedisClient } from '../redis.ts';
import { InvalidInputError, StoreUnavailableError } from './errors.ts';
import { LIMITS, ONLINE_COUNT_CHANNEL, standaloneKeys, TTL_SECONDS, type KeyScheme } from './keys.ts';
import {
  decodeCompletedSession,
  decodeDaily,
  decodeEvent,
  decodeSession,
  decodeSummary,
  type ActivityEvent,
  type CompletedSession,
  type DailyStats,
  type PlayerSession,
  type PlayerSummary,
} from './records.ts';
import { defineActivityScripts, queueReplicaWait, type ActivityScripts, type ReplicaAcks, type Script, type ScriptCall } from './scripts.ts';
import { epochMicros, toStoredTimestamp, utcDay } from './time.ts';
import { checkActivity, checkDate, checkLimit, checkPlayerId, PLAYER_ID_PATTERN } from './validation.ts';

/** What the count channel carries: the count and the version of the set it was read at. */
export interface VersionedCount {
  count: number;
  version: number;
}

/** A channel message or script reply; null when it is not one. */
export function decodeVersionedCount(message: unknown): VersionedCount | null {
  const value = typeof message === 'string' ? safeJson(message) : message;
  if (typeof value !== 'object' || value === null) return null;
  const { count, version } = value as Record<string, unknown>;
  return Number.isInteger(count) && Number.isInteger(version) ? { count: count as number, version: version as number } : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const MAX_BATCH_EVENTS = 500;

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

/** A script that failed on the data it met, not for want of a usable Redis. */
const isScriptFailure = (error: unknown) =>
  error instanceof ReplyError && !TRANSIENT_REPLY.test((error as Error).message);

// Replies that mean "Redis cannot serve right now" rather than "this call is wrong".
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY|NOSCRIPT|OOM|MISCONF|NOREPLICAS|MOVED|ASK)\b/;

/**
 * The Redis layer: key names, TTLs, JSON shapes and the atomic scripts.
 * Every tracked call is one script run; input is checked before anything is sent.
 */
export interface StoreOptions {
  /** The key names: the original's on a single server (default), hash-tagged on a cluster. */
  keys?: KeyScheme;
  /** Called for every call that failed because Redis was unusable. */
  onUnavailable?: (error: unknown) => void;
  /** Writes wait for replicas' acknowledgement (REDIS_WAIT_REPLICAS). */
  replicaAcks?: ReplicaAcks | undefined;
}

export class ActivityStore {
  readonly #redis: RedisClient;
  readonly #clock: Clock;
  readonly #scripts: ActivityScripts;
  readonly #keys: KeyScheme;
  readonly #onUnavailable: (error: unknown) => void;

  readonly #replicaAcks: ReplicaAcks | undefined;

  constructor(redis: RedisClient, clock: Clock, { keys = standaloneKeys, onUnavailable, replicaAcks }: StoreOptions = {}) {
    this.#redis = redis;
    this.#clock = clock;
    this.#replicaAcks = replicaAcks;
    this.#scripts = defineActivityScripts(redis, keys.cluster ? 3 : 5, replicaAcks);
    this.#keys = keys;
    this.#onUnavailable = onUnavailable ?? (() => {});
  }

  async trackLogin(playerId: string): Promise<PlayerSession> {
    const raw = await this.#runPlayerScript('login', playerId, []);
    const session = decodeSession(raw as string);
    if (!session) throw new Error('login script returned no session');
    await this.#changePresence('add', [playerId]);
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
    const now = this.#clock.now();
    const calls = checked.map(({ playerId, effect }) =>
      this.#playerScriptCall(playerId, now, [
        effect.eventType,
        effect.detailsJson,
        effect.tradeValue === null ? '' : String(effect.tradeValue),
        effect.isCombat ? '1' : '0',
        effect.sector ?? '',
      ]),
    );
    const replies =
      calls.length === 1
        ? [await this.#call(() => this.#scripts.activity.run(calls[0]!.keys, calls[0]!.args))]
        : await this.#pipelined(this.#scripts.activity, calls);
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
    const raw = await this.#runPlayerScript('logout', playerId, []);
    if (typeof raw !== 'string') return null;
    await this.#changePresence('remove', [playerId]);
    return decodeCompletedSession(raw);
  }

  /** Keeps an open session alive without counting an action; null (nothing written) without one. */
  async trackHeartbeat(playerId: string): Promise<PlayerSession | null> {
    const raw = await this.#runPlayerScript('heartbeat', playerId, []);
    if (typeof raw !== 'string') return null;
    // On a cluster a crash between a login and its set update could leave an
    // open session out of the online set; every heartbeat puts it back.
    await this.#changePresence('add', [playerId]);
    return decodeSession(raw);
  }

  /** One SSCAN step over the online set. */
  async scanOnlinePlayers(cursor: string, count: number): Promise<{ cursor: string; playerIds: string[] }> {
    const [next, playerIds] = await this.#call(() =>
      this.#redis.sscan(this.#keys.onlinePlayers, cursor, 'COUNT', count),
    );
    return { cursor: next, playerIds };
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
    const now = this.#clock.now();
    const valid = playerIds.filter((playerId) => PLAYER_ID_PATTERN.test(playerId));
    const strays = playerIds.filter((playerId) => !PLAYER_ID_PATTERN.test(playerId));
    const calls = valid.map((playerId) => this.#playerScriptCall(playerId, now, [idleTimeoutSeconds * 1_000_000]));
    const replies = calls.length ? await this.#pipelined(this.#scripts.reap, calls, { settle: true }) : [];
    const left = valid.filter((_, index) => replies[index] === 'reaped' || replies[index] === 'ghost');
    await this.#changePresence('remove', this.#keys.cluster ? left : []);
    const removedStrays = await this.#changePresence('remove', strays, { anyMode: true });
    return {
      reaped: replies.filter((reply) => reply === 'reaped').length,
      ghosts: replies.filter((reply) => reply === 'ghost').length + removedStrays,
      failed: replies.filter((reply) => reply instanceof Error).length,
    };
  }

  async getSession(playerId: string): Promise<PlayerSession | null> {
    const raw = await this.#call(() => this.#redis.get(this.#keys.player(checkPlayerId(playerId)).session));
    return decodeSession(raw);
  }

  async getSummary(playerId: string): Promise<PlayerSummary> {
    const raw = await this.#call(() => this.#redis.get(this.#keys.player(checkPlayerId(playerId)).summary));
    return decodeSummary(playerId, raw);
  }

  /** Newest first. */
  async getRecentEvents(playerId: string, limit: number): Promise<ActivityEvent[]> {
    const key = this.#keys.player(checkPlayerId(playerId)).events;
    const end = checkLimit(limit) - 1;
    const raws = await this.#call(() => this.#redis.lrange(key, 0, end));
    return raws.map(decodeEvent).filter((event): event is ActivityEvent => event !== null);
  }

  /** One UTC day's record; today's when no date is given. */
  async getDailyStats(playerId: string, date?: string | null): Promise<DailyStats> {
    checkPlayerId(playerId);
    const day = date == null ? utcDay(this.#clock.now()) : checkDate(date);
    const raw = await this.#call(() => this.#redis.get(`${this.#keys.player(playerId).dailyPrefix}${day}`));
    return decodeDaily(playerId, day, raw);
  }

  getOnlineCount(): Promise<number> {
    return this.#call(() => this.#redis.scard(this.#keys.onlinePlayers));
  }

  getOnlinePlayerIds(): Promise<string[]> {
    return this.#call(() => this.#redis.smembers(this.#keys.onlinePlayers));
  }

  /** The count with the version of the online set it belongs to, read together. */
  async getVersionedOnlineCount(): Promise<VersionedCount> {
    const raw = await this.#call(() => this.#scripts.onlineCount.run(this.#onlineKeys(), []));
    return decodeVersionedCount(raw) ?? { count: 0, version: 0 };
  }

  /** Publishes the current count and version again, for subscribers that may have missed a change. */
  async publishOnlineCount(): Promise<void> {
    await this.#call(() => this.#scripts.publishCount.run(this.#onlineKeys(), [ONLINE_COUNT_CHANNEL]));
  }

  #runPlayerScript(name: 'login' | 'logout' | 'heartbeat', playerId: string, ownArgs: readonly (string | number)[]): Promise<unknown> {
    const { keys, args } = this.#playerScriptCall(checkPlayerId(playerId), this.#clock.now(), ownArgs);
    return this.#call(() => this.#scripts[name].run(keys, args));
  }

  #onlineKeys(): string[] {
    return [this.#keys.onlinePlayers, this.#keys.onlineVersion];
  }

  /**
   * On a cluster the per-player scripts cannot reach the online set (another
   * slot): it is updated right after them, one script per player. A crash in
   * between is reconciled by the reaper (ghosts) and by heartbeats (missing
   * members). On a single server the scripts did it already.
   */
  async #changePresence(
    change: 'add' | 'remove',
    playerIds: readonly string[],
    { anyMode = false } = {},
  ): Promise<number> {
    if ((!this.#keys.cluster && !anyMode) || playerIds.length === 0) return 0;
    const keys = this.#onlineKeys();
    const replies = await this.#pipelined(
      this.#scripts.presenceChange,
      playerIds.map((playerId) => ({ keys, args: [change, playerId, ONLINE_COUNT_CHANNEL] })),
    );
    return replies.filter((changed) => changed === 1).length;
  }

  /**
   * Runs one script many times in one round trip; the replies in order. On a
   * cluster a pipeline may only hold one slot's keys, so the calls go out as
   * one pipeline per slot group (per player), in parallel, each in order.
   * With `settle`, a call whose script failed on its own keys answers its
   * error in place of a reply instead of failing the batch.
   */
  #pipelined(script: Script, calls: readonly ScriptCall[], { settle = false } = {}): Promise<unknown[]> {
    return this.#call(async () => {
      const groups = new Map<string, number[]>();
      calls.forEach((call, index) => {
        const group = this.#keys.cluster ? call.keys[0]! : '';
        groups.set(group, [...(groups.get(group) ?? []), index]);
      });
      const replies: unknown[] = new Array(calls.length);
      await Promise.all(
        [...groups.values()].map(async (indexes) => {
          const pipeline = this.#redis.pipeline();
          for (const index of indexes) script.queue(pipeline, calls[index]!.keys, calls[index]!.args);
          const checkAcks = this.#replicaAcks && queueReplicaWait(this.#redis, pipeline, this.#replicaAcks);
          const results = (await pipeline.exec()) ?? [];
          if (checkAcks) checkAcks(results);
          results.forEach(([error, reply], position) => {
            if (error && !(settle && isScriptFailure(error))) throw error;
            replies[indexes[position]!] = error ?? reply;
          });
        }),
      );
      return replies;
    });
  }

  /** KEYS and ARGV of a per-player script: the layout lib.lua reads. */
  #playerScriptCall(playerId: string, now: Date, ownArgs: readonly (string | number)[]): ScriptCall {
    const keys = this.#keys.player(playerId);
    return {
      keys: [keys.session, keys.events, keys.summary, ...(this.#keys.cluster ? [] : this.#onlineKeys())],
      args: [
        playerId,
        toStoredTimestamp(now),
        epochMicros(now),
        utcDay(now),
        keys.dailyPrefix,
        ONLINE_COUNT_CHANNEL,
        TTL_SECONDS.session,
        TTL_SECONDS.events,
        TTL_SECONDS.summary,
        TTL_SECONDS.daily,
        LIMITS.maxEvents,
        LIMITS.maxSessionSectors,
        LIMITS.maxSummarySectors,
        ...ownArgs,
      ],
    };
  }

  async #call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      if (error instanceof InvalidInputError) throw error;
      if (isScriptFailure(error)) throw error;
      this.#onUnavailable(error);
      throw new StoreUnavailableError(error);
    }
  }
}
