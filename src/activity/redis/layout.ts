/** What both Redis modes share: TTLs, caps and the count channel. Key names live in the mode modules. */

const HOUR = 3600;
const DAY = 24 * HOUR;

export const TTL_SECONDS = {
  session: DAY,
  events: 7 * DAY,
  summary: 30 * DAY,
  daily: 14 * DAY,
} as const;

/** The defaults of EVENT_ID_TTL_SECONDS and EVENT_ID_MAX_PER_PLAYER. */
export const EVENT_ID_DEFAULTS = { ttlSeconds: DAY, maxPerPlayer: 10_000 } as const;

export const LIMITS = {
  maxEvents: 500,
  maxSessionSectors: 100,
  maxSummarySectors: 200,
} as const;

export const ONLINE_COUNT_CHANNEL = 'activity:online_count';

export interface PlayerKeys {
  session: string;
  events: string;
  summary: string;
  /** Followed by YYYY-MM-DD. */
  dailyPrefix: string;
  /** Remembered client event ids (hash: id → first call) and their order (list, oldest first). */
  eventIds: string;
  eventIdOrder: string;
}

/**
 * The keys of a batch call (scripts/activities.lua): player slot n's as
 * session_<n>, events_<n>, event_ids_<n>, event_id_order_<n>. A script's key
 * names are fixed, so every call names all `slots`; those past `playerIds`
 * repeat the first player's keys (never read, and in its slot on a cluster).
 */
export function batchSlotKeys(
  player: (playerId: string) => PlayerKeys,
  playerIds: readonly string[],
  slots: number,
): Record<string, string> {
  const names = slotKeyNames(slots);
  const keys: Record<string, string> = {};
  let first: PlayerKeys | undefined;
  for (let slot = 0; slot < slots; slot++) {
    const own = slot < playerIds.length ? player(playerIds[slot]!) : undefined;
    const { session, events, eventIds, eventIdOrder } = own ?? first!;
    first ??= own;
    const [sessionName, eventsName, idsName, orderName] = names[slot]!;
    keys[sessionName] = session;
    keys[eventsName] = events;
    keys[idsName] = eventIds;
    keys[orderName] = eventIdOrder;
  }
  return keys;
}

const slotNames: (readonly [string, string, string, string])[] = [];
function slotKeyNames(slots: number) {
  for (let slot = slotNames.length + 1; slot <= slots; slot++) {
    slotNames.push([`session_${slot}`, `events_${slot}`, `event_ids_${slot}`, `event_id_order_${slot}`]);
  }
  return slotNames;
}

/** The online set and its version, bumped by every change of it (the version is not in the original). */
export type OnlineKeys = {
  online: string;
  online_version: string;
};

/**
 * Game-wide numbers (not in the original: new keys only), beside the online
 * set under the mode's global prefix (scripts/lib/global.lua writes them).
 */
export const GLOBAL_TTL_SECONDS = {
  /** A year of daily numbers and a margin: one small hash and one HyperLogLog (at most 12 KiB) a day. */
  daily: 400 * DAY,
  /** The per-minute online counts: a day's hash outlives its last change by 72 h, so at least 48 h are kept. */
  online: 3 * DAY,
} as const;

export const globalKeys = (prefix: string) => ({
  daily: (date: string) => `${prefix}daily:${date}`,
  players: (date: string) => `${prefix}players:${date}`,
  onlineMinutes: (date: string) => `${prefix}online:${date}`,
});

/** The constants scripts/lib/global.lua reads (written into each script that uses it). */
export const globalScriptConstants = (prefix: string) => ({
  global_prefix: prefix,
  global_daily_ttl: GLOBAL_TTL_SECONDS.daily,
  global_online_ttl: GLOBAL_TTL_SECONDS.online,
});
