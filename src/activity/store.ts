import { ReplyError, type Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import { InvalidInputError, StoreUnavailableError } from './errors.ts';
import {
  dailyKey,
  LIMITS,
  ONLINE_COUNT_CHANNEL,
  ONLINE_PLAYERS_KEY,
  ONLINE_VERSION_KEY,
  playerKeys,
  TTL_SECONDS,
} from './keys.ts';
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
import { defineActivityScripts, type ActivityScripts } from './scripts.ts';
import { epochMicros, toStoredTimestamp, utcDay } from './time.ts';
import { checkActivity, checkDate, checkLimit, checkPlayerId } from './validation.ts';

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

export interface TrackedActivity {
  event: ActivityEvent;
  /** The session after the update; null when the player had no open session. */
  session: PlayerSession | null;
}

// Replies that mean "Redis cannot serve right now" rather than "this call is wrong".
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY|NOSCRIPT|OOM|MISCONF|NOREPLICAS)\b/;

/**
 * The Redis layer: key names, TTLs, JSON shapes and the atomic scripts.
 * Every tracked call is one script run; input is checked before anything is sent.
 */
export class ActivityStore {
  readonly #redis: Redis;
  readonly #clock: Clock;
  readonly #scripts: ActivityScripts;

  constructor(redis: Redis, clock: Clock) {
    this.#redis = redis;
    this.#clock = clock;
    this.#scripts = defineActivityScripts(redis);
  }

  async trackLogin(playerId: string): Promise<PlayerSession> {
    const raw = await this.#runPlayerScript('login', playerId, []);
    const session = decodeSession(raw as string);
    if (!session) throw new Error('login script returned no session');
    return session;
  }

  async trackActivity(playerId: string, eventType: string, details?: unknown): Promise<TrackedActivity> {
    checkPlayerId(playerId);
    const effect = checkActivity(eventType, details);
    const now = this.#clock.now();
    const raw = await this.#runPlayerScript('activity', playerId, [
      effect.eventType,
      effect.detailsJson,
      effect.tradeValue === null ? '' : String(effect.tradeValue),
      effect.isCombat ? '1' : '0',
      effect.sector ?? '',
    ], now);
    return {
      event: { eventType: effect.eventType, timestamp: now, details: JSON.parse(effect.detailsJson) },
      session: typeof raw === 'string' ? decodeSession(raw) : null,
    };
  }

  /** Completes the open session; null (and nothing written) when there is none. */
  async trackLogout(playerId: string): Promise<CompletedSession | null> {
    const raw = await this.#runPlayerScript('logout', playerId, []);
    return typeof raw === 'string' ? decodeCompletedSession(raw) : null;
  }

  async getSession(playerId: string): Promise<PlayerSession | null> {
    const raw = await this.#call(() => this.#redis.get(playerKeys(checkPlayerId(playerId)).session));
    return decodeSession(raw);
  }

  async getSummary(playerId: string): Promise<PlayerSummary> {
    const raw = await this.#call(() => this.#redis.get(playerKeys(checkPlayerId(playerId)).summary));
    return decodeSummary(playerId, raw);
  }

  /** Newest first. */
  async getRecentEvents(playerId: string, limit: number): Promise<ActivityEvent[]> {
    const key = playerKeys(checkPlayerId(playerId)).events;
    const end = checkLimit(limit) - 1;
    const raws = await this.#call(() => this.#redis.lrange(key, 0, end));
    return raws.map(decodeEvent).filter((event): event is ActivityEvent => event !== null);
  }

  /** One UTC day's record; today's when no date is given. */
  async getDailyStats(playerId: string, date?: string | null): Promise<DailyStats> {
    checkPlayerId(playerId);
    const day = date == null ? utcDay(this.#clock.now()) : checkDate(date);
    const raw = await this.#call(() => this.#redis.get(dailyKey(playerId, day)));
    return decodeDaily(playerId, day, raw);
  }

  getOnlineCount(): Promise<number> {
    return this.#call(() => this.#redis.scard(ONLINE_PLAYERS_KEY));
  }

  getOnlinePlayerIds(): Promise<string[]> {
    return this.#call(() => this.#redis.smembers(ONLINE_PLAYERS_KEY));
  }

  /** The count with the version of the online set it belongs to, read together. */
  async getVersionedOnlineCount(): Promise<VersionedCount> {
    const raw = await this.#call(() => this.#scripts.onlineCount([ONLINE_PLAYERS_KEY, ONLINE_VERSION_KEY], []));
    return decodeVersionedCount(raw) ?? { count: 0, version: 0 };
  }

  /** Publishes the current count and version again, for subscribers that may have missed a change. */
  async publishOnlineCount(): Promise<void> {
    await this.#call(() => this.#scripts.publishCount([ONLINE_PLAYERS_KEY, ONLINE_VERSION_KEY], [ONLINE_COUNT_CHANNEL]));
  }

  #runPlayerScript(
    name: 'login' | 'activity' | 'logout',
    playerId: string,
    ownArgs: readonly (string | number)[],
    now: Date = this.#clock.now(),
  ): Promise<unknown> {
    const keys = playerKeys(checkPlayerId(playerId));
    return this.#call(() =>
      this.#scripts[name](
        [keys.session, keys.events, keys.summary, ONLINE_PLAYERS_KEY, ONLINE_VERSION_KEY],
        [
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
      ),
    );
  }

  async #call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      if (error instanceof InvalidInputError) throw error;
      if (error instanceof ReplyError && !TRANSIENT_REPLY.test((error as Error).message)) throw error;
      throw new StoreUnavailableError(error);
    }
  }
}
