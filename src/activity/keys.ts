/**
 * Redis key names, TTLs and caps. On a single Redis server the names are
 * the original Python service's, so both can share one Redis. On a Redis
 * Cluster every per-player key carries the player id as a hash tag ({id}),
 * so one player's keys share a slot and its scripts stay atomic; the online
 * set and its version share the {activity:online} slot.
 */

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

export const ONLINE_COUNT_CHANNEL = 'activity:online_count';

export interface PlayerKeys {
  session: string;
  events: string;
  summary: string;
  /** Followed by YYYY-MM-DD. */
  dailyPrefix: string;
}

export interface KeyScheme {
  /** True when the online set lives in another slot than the players' keys. */
  readonly cluster: boolean;
  readonly onlinePlayers: string;
  /** Bumped by every change of the online set; published with the count (not in the original). */
  readonly onlineVersion: string;
  player(playerId: string): PlayerKeys;
}

export const standaloneKeys: KeyScheme = {
  cluster: false,
  onlinePlayers: 'activity:online_players',
  onlineVersion: 'activity:online_count_version',
  player: (id) => ({
    session: `activity:session:${id}`,
    events: `activity:events:${id}`,
    summary: `activity:summary:${id}`,
    dailyPrefix: `activity:daily:${id}:`,
  }),
};

export const clusterKeys: KeyScheme = {
  cluster: true,
  onlinePlayers: 'activity:{activity:online}:players',
  onlineVersion: 'activity:{activity:online}:version',
  player: (id) => ({
    session: `activity:session:{${id}}`,
    events: `activity:events:{${id}}`,
    summary: `activity:summary:{${id}}`,
    dailyPrefix: `activity:daily:{${id}}:`,
  }),
};
