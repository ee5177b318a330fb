import { InvalidInputError } from './errors.ts';
import { EVENT_TYPES, type EventDetails, type GameplayEventType } from './records.ts';
import { LIMITS } from './redis/layout.ts';

/** The input rules of the contract, checked before anything is written. */

export const PLAYER_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
export const MAX_DETAILS_BYTES = 16 * 1024;
export const MAX_EVENTS_LIMIT = 500;
/** The most sectors a session and a summary keep (the Redis layer trims to these): list sizes for the cost. */
export const MAX_SESSION_SECTORS = LIMITS.maxSessionSectors;
export const MAX_SUMMARY_SECTORS = LIMITS.maxSummarySectors;
/** Deep enough for any real payload; keeps every reader (Python's json.loads, Redis' cjson) able to read it back. */
export const MAX_DETAILS_DEPTH = 32;
/** Largest total_value of one trade: sums of many stay finite and far from where doubles lose whole units. */
export const MAX_TRADE_VALUE = 1e15;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const TRADE_TYPES: ReadonlySet<string> = new Set(['trade_buy', 'trade_sell']);
const COMBAT_TYPES: ReadonlySet<string> = new Set(['combat_attack', 'combat_defend']);
const GAMEPLAY_TYPES: ReadonlySet<string> = new Set(
  EVENT_TYPES.filter((type) => type !== 'login' && type !== 'logout'),
);

export function checkPlayerId(playerId: string): string {
  if (!PLAYER_ID_PATTERN.test(playerId)) {
    throw new InvalidInputError('playerId', `playerId must match ${PLAYER_ID_PATTERN.source}`);
  }
  return playerId;
}

export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS_LIMIT) {
    throw new InvalidInputError('limit', `limit must be an integer from 1 to ${MAX_EVENTS_LIMIT}`);
  }
  return limit;
}

/** A real calendar day as YYYY-MM-DD (2026-02-30 is refused). */
export function checkDate(date: string): string {
  const match = DATE_PATTERN.exec(date);
  const parsed = match ? new Date(`${date}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw new InvalidInputError('date', 'date must be a calendar day written YYYY-MM-DD');
  }
  return date;
}

/** What an activity adds to a session, worked out from its details before the script runs. */
export interface ActivityEffect {
  eventType: GameplayEventType;
  details: EventDetails;
  detailsJson: string;
  /** Value added to trade_volume; null unless the event is a trade. */
  tradeValue: number | null;
  isCombat: boolean;
  /** Sector to add to sectors_visited; null when none. */
  sector: string | null;
}

export function checkActivity(eventType: string, details: unknown): ActivityEffect {
  if (!GAMEPLAY_TYPES.has(eventType)) {
    throw new InvalidInputError(
      'eventType',
      `eventType ${eventType} is not a gameplay event; use trackLogin / trackLogout for sessions`,
    );
  }
  const checkedDetails = checkDetails(details ?? {});
  checkDepth(checkedDetails);
  const detailsJson = JSON.stringify(checkedDetails);
  if (Buffer.byteLength(detailsJson, 'utf8') > MAX_DETAILS_BYTES) {
    throw new InvalidInputError('details', `details must serialize to at most ${MAX_DETAILS_BYTES} bytes`);
  }
  return {
    eventType: eventType as GameplayEventType,
    details: checkedDetails,
    detailsJson,
    tradeValue: TRADE_TYPES.has(eventType) ? tradeValueOf(checkedDetails) : null,
    isCombat: COMBAT_TYPES.has(eventType),
    sector: eventType === 'sector_move' ? sectorOf(checkedDetails) : null,
  };
}

function checkDetails(details: unknown): EventDetails {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    throw new InvalidInputError('details', 'details must be a JSON object');
  }
  return details as EventDetails;
}

/** Walks the value without recursion, so no nesting can overflow the stack before it is refused. */
function checkDepth(details: EventDetails): void {
  const pending: [unknown, number][] = [[details, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DETAILS_DEPTH) {
      throw new InvalidInputError(
        'details',
        `details may nest at most ${MAX_DETAILS_DEPTH} levels of objects and arrays`,
      );
    }
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
}

function tradeValueOf(details: EventDetails): number {
  if (!('total_value' in details)) return 0;
  const value = details.total_value;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TRADE_VALUE) {
    throw new InvalidInputError(
      'details.total_value',
      `details.total_value must be a finite number from 0 to ${MAX_TRADE_VALUE.toExponential()}`,
    );
  }
  return value;
}

function sectorOf(details: EventDetails): string | null {
  const value = details.sector_id;
  if (value === undefined || value === null || value === '' || value === 0) return null;
  if (typeof value === 'string' && value.length <= 64) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new InvalidInputError(
    'details.sector_id',
    'details.sector_id must be a number or a string of at most 64 characters',
  );
}
