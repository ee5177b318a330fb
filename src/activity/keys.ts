/** Redis key names, TTLs and caps: the layout shared with the original Python service. */

export const ONLINE_PLAYERS_KEY = 'activity:online_players';
/** Bumped by every change of the online set; published with the count (not in the original). */
export const ONLINE_VERSION_KEY = 'activity:online_count_version';
export const ONLINE_COUNT_CHANNEL = 'activity:online_count';

const HOUR = 3600;
const DAY = 24 * HOUR;

export const TTL_SECONDS = {
  session: DAY,
  events: 7 * DAY,
  summary: 30 * DAY,
  daily: 14 * DAY,
} as const;

export const LIMITS = {
  maxEvents: 500,
  maxSessionSectors: 100,
  maxSummarySectors: 200,
} as const;

export const playerKeys = (playerId: string) => ({
  session: `activity:session:${playerId}`,
  events: `activity:events:${playerId}`,
  summary: `activity:summary:${playerId}`,
  dailyPrefix: `activity:daily:${playerId}:`,
});

export const dailyKey = (playerId: string, date: string) => `${playerKeys(playerId).dailyPrefix}${date}`;
