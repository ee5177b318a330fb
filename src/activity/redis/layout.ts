/** What both Redis modes share: TTLs, caps and the count channel. Key names live in the mode modules. */

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

/** The online set and its version, bumped by every change of it (the version is not in the original). */
export type OnlineKeys = {
  online: string;
  online_version: string;
};
