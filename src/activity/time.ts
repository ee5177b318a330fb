/**
 * Timestamps are stored the way Python's datetime.isoformat() writes a naive
 * UTC datetime: 2026-11-23T22:51:06.984000 (the fraction left out when zero).
 */

export function toStoredTimestamp(date: Date): string {
  const iso = date.toISOString(); // 2026-11-23T22:51:06.984Z
  const ms = date.getUTCMilliseconds();
  return ms === 0 ? iso.slice(0, 19) : `${iso.slice(0, 23)}000`;
}

const STORED_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|\+00:00)?$/;

/**
 * Accepts the stored form with or without a fraction (1 to 9 digits, read
 * to the millisecond), and with a trailing Z or +00:00; only real instants
 * that Python's datetime can hold (year 1 to 9999, no 2026-02-30, no 24:00).
 * scripts/lib/format.lua (parse_ts) accepts exactly the same.
 */
export function parseStoredTimestamp(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = STORED_TIMESTAMP.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date;
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 ? (leap ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** The UTC calendar day of a moment, as YYYY-MM-DD. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Microseconds since the epoch, as the scripts compute durations with. */
export function epochMicros(date: Date): string {
  return `${date.getTime()}000`;
}
