/**
 * Timestamps are stored the way Python's datetime.isoformat() writes a naive
 * UTC datetime: 2026-11-23T22:51:06.984000 (the fraction left out when zero).
 */

export function toStoredTimestamp(date: Date): string {
  const iso = date.toISOString(); // 2026-11-23T22:51:06.984Z
  const ms = date.getUTCMilliseconds();
  return ms === 0 ? iso.slice(0, 19) : `${iso.slice(0, 23)}000`;
}

const STORED_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|\+00:00)?$/;

/** Accepts the stored form with or without a fraction, and with a trailing Z or +00:00. */
export function parseStoredTimestamp(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = STORED_TIMESTAMP.exec(value);
  if (!match) return null;
  const [, day, time, fraction = ''] = match;
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  const parsed = new Date(`${day}T${time}.${millis}Z`);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** The UTC calendar day of a moment, as YYYY-MM-DD. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Microseconds since the epoch, as the scripts compute durations with. */
export function epochMicros(date: Date): string {
  return `${date.getTime()}000`;
}
