import { z } from 'zod';
import { parseStoredTimestamp } from './time.ts';

/** Event types of the original service; the first two are session lifecycle events. */
export const EVENT_TYPES = [
  'login',
  'logout',
  'trade_buy',
  'trade_sell',
  'combat_attack',
  'combat_defend',
  'sector_move',
  'dock',
  'undock',
  'planet_land',
  'warp',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export type GameplayEventType = Exclude<EventType, 'login' | 'logout'>;

export type EventDetails = Record<string, unknown>;

export interface PlayerSession {
  playerId: string;
  loginAt: Date;
  lastActivityAt: Date;
  actionsCount: number;
  tradesCount: number;
  tradeVolume: number;
  combatEvents: number;
  sectorsVisited: string[];
  /** The last heartbeat; null when none came. */
  lastSeenAt: Date | null;
}

export interface CompletedSession extends PlayerSession {
  logoutAt: Date;
  durationSeconds: number;
}

export interface PlayerSummary {
  playerId: string;
  totalSessions: number;
  totalPlaytimeSeconds: number;
  totalActions: number;
  totalTrades: number;
  totalTradeVolume: number;
  totalCombatEvents: number;
  uniqueSectorsVisited: number;
  allSectors: string[];
  lastUpdated: Date | null;
}

export interface ActivityEvent {
  eventType: EventType;
  timestamp: Date;
  details: EventDetails;
  /** The caller's event id, when it gave one (stored as "event_id"). */
  eventId?: string;
}

export interface DailyStats {
  playerId: string;
  date: string;
  sessions: number;
  playtimeSeconds: number;
  actions: number;
  trades: number;
  tradeVolume: number;
  combatEvents: number;
}

// Decoders for what Redis holds: the stored format, TS side. The Lua side
// (scripts/lib/format.lua) accepts and rejects exactly the same records,
// which test/stored-format.test.ts checks on random ones:
// - a counter is absent (read as 0, as the original wrote fewer fields) or a
//   finite number; null, a string or a non-finite number rejects the record;
// - a timestamp is a real instant (see parseStoredTimestamp); an optional one
//   may also be absent or null;
// - a list is absent, [] (or {} from a cjson writer), or an array of strings
//   and safe integers (read as their decimal strings).
// A rejected session reads as no session; a rejected summary or daily
// record reads as zeroed (the scripts treat them alike).
const count = z
  .number()
  .refine(Number.isFinite)
  .optional()
  .transform((value) => value ?? 0);
const listItem = z.union([z.string(), z.number().refine(Number.isSafeInteger).transform(String)]);
const stringList = z
  .union([z.array(listItem), z.strictObject({}).transform((): string[] => [])])
  .optional()
  .transform((value) => value ?? []);
const timestamp = z.unknown().transform((value, ctx) => {
  const parsed = parseStoredTimestamp(value);
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: `not a stored timestamp: ${String(value)}` });
    return z.NEVER;
  }
  return parsed;
});
const optionalTimestamp = z
  .union([z.null(), timestamp])
  .optional()
  .transform((value) => value ?? null);

const sessionFields = {
  player_id: z.string(),
  login_at: timestamp,
  last_activity_at: timestamp,
  actions_count: count,
  trades_count: count,
  trade_volume: count,
  combat_events: count,
  sectors_visited: stringList,
  last_seen_at: optionalTimestamp,
};

const toSession = (s: z.output<z.ZodObject<typeof sessionFields>>): PlayerSession => ({
  playerId: s.player_id,
  loginAt: s.login_at,
  lastActivityAt: s.last_activity_at,
  actionsCount: s.actions_count,
  tradesCount: s.trades_count,
  tradeVolume: s.trade_volume,
  combatEvents: s.combat_events,
  sectorsVisited: s.sectors_visited,
  lastSeenAt: s.last_seen_at,
});

const storedSession = z.object(sessionFields).transform(toSession);

const storedCompletedSession = z
  .object({ ...sessionFields, logout_at: timestamp, duration_seconds: count })
  .transform(
    (s): CompletedSession => ({ ...toSession(s), logoutAt: s.logout_at, durationSeconds: s.duration_seconds }),
  );

const storedSummary = z
  .object({
    total_sessions: count,
    total_playtime_seconds: count,
    total_actions: count,
    total_trades: count,
    total_trade_volume: count,
    total_combat_events: count,
    unique_sectors_visited: count,
    all_sectors: stringList,
    last_updated: optionalTimestamp,
  })
  .partial();

const storedDaily = z
  .object({
    sessions: count,
    playtime_seconds: count,
    actions: count,
    trades: count,
    trade_volume: count,
    combat_events: count,
  })
  .partial();

const storedEvent = z
  .object({
    event_type: z.enum(EVENT_TYPES),
    timestamp,
    details: z.record(z.string(), z.unknown()).catch({}),
    event_id: z.string().optional().catch(undefined),
  })
  .transform(
    (e): ActivityEvent => ({
      eventType: e.event_type,
      timestamp: e.timestamp,
      details: e.details,
      ...(e.event_id === undefined ? {} : { eventId: e.event_id }),
    }),
  );

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** A session value as stored; null when absent or unreadable. */
export function decodeSession(raw: string | null): PlayerSession | null {
  if (raw === null) return null;
  const result = storedSession.safeParse(parseJson(raw));
  return result.success ? result.data : null;
}

export function decodeCompletedSession(raw: string): CompletedSession {
  return storedCompletedSession.parse(parseJson(raw));
}

/** A record of optional fields; empty when absent or unreadable (the caller zeroes it). */
function parseOrEmpty<T extends object>(schema: z.ZodType<T>, raw: string | null): Partial<T> {
  const parsed = schema.safeParse(raw === null ? {} : parseJson(raw));
  return parsed.success ? parsed.data : {};
}

/** The rolling summary, zeroed when absent. */
export function decodeSummary(playerId: string, raw: string | null): PlayerSummary {
  const s = parseOrEmpty(storedSummary, raw);
  const allSectors = s.all_sectors ?? [];
  return {
    playerId,
    totalSessions: s.total_sessions ?? 0,
    totalPlaytimeSeconds: s.total_playtime_seconds ?? 0,
    totalActions: s.total_actions ?? 0,
    totalTrades: s.total_trades ?? 0,
    totalTradeVolume: s.total_trade_volume ?? 0,
    totalCombatEvents: s.total_combat_events ?? 0,
    uniqueSectorsVisited: s.unique_sectors_visited ?? allSectors.length,
    allSectors,
    lastUpdated: s.last_updated ?? null,
  };
}

/** One day's record, zeroed when absent. */
export function decodeDaily(playerId: string, date: string, raw: string | null): DailyStats {
  const d = parseOrEmpty(storedDaily, raw);
  return {
    playerId,
    date,
    sessions: d.sessions ?? 0,
    playtimeSeconds: d.playtime_seconds ?? 0,
    actions: d.actions ?? 0,
    trades: d.trades ?? 0,
    tradeVolume: d.trade_volume ?? 0,
    combatEvents: d.combat_events ?? 0,
  };
}

/** An event list entry; null when unreadable, so one bad entry cannot break a listing. */
export function decodeEvent(raw: string): ActivityEvent | null {
  const result = storedEvent.safeParse(parseJson(raw));
  return result.success ? result.data : null;
}

/** What the count channel carries: the count and the version of the set it was read at. */
export interface VersionedCount {
  count: number;
  version: number;
}

/** A channel message or script reply; null when it is not one. */
export function decodeVersionedCount(message: unknown): VersionedCount | null {
  const value = typeof message === 'string' ? parseJson(message) : message;
  if (typeof value !== 'object' || value === null) return null;
  const { count, version } = value as Record<string, unknown>;
  return Number.isInteger(count) && Number.isInteger(version)
    ? { count: count as number, version: version as number }
    : null;
}
