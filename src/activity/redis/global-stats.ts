import { InvalidInputError } from '../errors.ts';
import type { DailyStats } from '../records.ts';
import { utcDay } from '../time.ts';
import { globalKeys } from './layout.ts';
import type { RedisMode } from './mode.ts';
import type { Deadline, ScriptRunner } from './runner.ts';

/** One UTC day, game-wide: a player's daily counters summed over every player, and two figures of its own. */
export interface GlobalDailyStats extends Omit<DailyStats, 'playerId'> {
  /** Distinct players seen that day (a HyperLogLog estimate: exact for small numbers, about ±1 % beyond). */
  activePlayers: number;
  /** The highest online count of the day. */
  peakOnline: number;
}

/** The online count within one UTC minute: its peak. */
export interface OnlineCountPoint {
  minute: Date;
  count: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** The longest span a history answers (and how long the per-minute counts are surely kept). */
export const MAX_HISTORY_MS = 48 * 3_600_000;
export const DEFAULT_HISTORY_MS = 24 * 3_600_000;

/**
 * Reads the game-wide numbers that the tracking scripts keep at the moment
 * of each change (scripts/lib/global.lua). Never scans: a day is one hash and
 * one HyperLogLog, a history a few per-day hashes, each read in one round trip.
 */
export class GlobalStats {
  readonly #runner: ScriptRunner;
  readonly #keys: ReturnType<typeof globalKeys>;
  readonly #onlineKey: string;

  constructor(runner: ScriptRunner, mode: RedisMode) {
    this.#runner = runner;
    this.#keys = globalKeys(mode.globalPrefix);
    this.#onlineKey = mode.online.online;
  }

  /** One UTC day (YYYY-MM-DD, checked); zeroed when nothing was recorded. */
  async daily(day: string, today: string, deadline: Deadline): Promise<GlobalDailyStats> {
    const [fields, activePlayers, online] = await this.#read(deadline, [
      ['hgetall', this.#keys.daily(day)],
      // PFCOUNT of one key stores its cached estimate in the key, a write; counting
      // the key with itself takes the multi-key path, which writes nothing.
      ['pfcount', this.#keys.players(day), this.#keys.players(day)],
      ['scard', this.#onlineKey],
    ]);
    const hash = fields as Record<string, string>;
    const int = (name: string) => Number.parseInt(hash[name] ?? '0', 10) || 0;
    // Before today's first login or logout there is no recorded peak, but whoever is online now was online today.
    const peakOnline = day === today ? Math.max(int('peak_online'), online as number) : int('peak_online');
    return {
      date: day,
      activePlayers: activePlayers as number,
      sessions: int('sessions'),
      playtimeSeconds: int('playtime_us') / 1_000_000,
      actions: int('actions'),
      trades: int('trades'),
      tradeVolume: Number.parseFloat(hash['trade_volume'] ?? '0') || 0,
      combatEvents: int('combat_events'),
      peakOnline,
    };
  }

  /**
   * The online count per minute from `from` to `to` (the last 24 h by
   * default, at most 48 h, never past now): the peak within each minute. A
   * minute without a change carries the count its previous change left;
   * minutes whose count cannot be known (before anything was recorded) are left out.
   */
  async onlineHistory(
    from: Date | null | undefined,
    to: Date | null | undefined,
    at: Date,
    deadline: Deadline,
  ): Promise<OnlineCountPoint[]> {
    const now = at.getTime();
    const end = to?.getTime() ?? now;
    const start = from?.getTime() ?? end - DEFAULT_HISTORY_MS;
    if (!(start < end)) throw new InvalidInputError('from', 'from must be before to');
    if (end - start > MAX_HISTORY_MS) throw new InvalidInputError('to', 'from and to may be at most 48 hours apart');
    const firstMinute = Math.floor(start / MINUTE_MS) * MINUTE_MS;
    const lastMinute = Math.floor(Math.min(end, now) / MINUTE_MS) * MINUTE_MS;
    if (lastMinute < firstMinute) return [];

    // The day before the range may hold the count carried into it; for a
    // recent range, the changes up to now tell whether the count has stayed
    // as it is since a minute.
    const recent = now - firstMinute <= MAX_HISTORY_MS + DAY_MS;
    const days: string[] = [];
    for (let day = startOfDay(firstMinute) - DAY_MS; day <= startOfDay(recent ? now : lastMinute); day += DAY_MS) {
      days.push(utcDay(new Date(day)));
    }
    const [current, ...hashes] = await this.#read(deadline, [
      ['scard', this.#onlineKey],
      ...days.map((day) => ['hgetall', this.#keys.onlineMinutes(day)] as const),
    ]);
    const changes = new Map<number, { peak: number; last: number }>();
    days.forEach((day, index) => {
      for (const [field, value] of Object.entries(hashes[index] as Record<string, string>)) {
        const match = /^([pl]):(\d{2}):(\d{2})$/.exec(field);
        if (!match) continue;
        const minute = Date.parse(`${day}T${match[2]}:${match[3]}:00Z`);
        const entry = changes.get(minute) ?? { peak: 0, last: 0 };
        entry[match[1] === 'p' ? 'peak' : 'last'] = Number.parseInt(value, 10) || 0;
        changes.set(minute, entry);
      }
    });
    const changed = [...changes.keys()].sort((a, b) => a - b);
    const lastChange = changed.at(-1) ?? -Infinity;

    let carried: number | undefined;
    let next = 0;
    const points: OnlineCountPoint[] = [];
    for (let minute = firstMinute; minute <= lastMinute; minute += MINUTE_MS) {
      while (next < changed.length && changed[next]! < minute) carried = changes.get(changed[next++]!)!.last;
      const here = changes.get(minute);
      let count: number | undefined;
      if (here) count = here.peak;
      else if (carried !== undefined) count = carried;
      // No change since this minute (within the kept window): it is the count now.
      else if (minute > lastChange && now - minute <= MAX_HISTORY_MS) count = current as number;
      if (count !== undefined) points.push({ minute: new Date(minute), count });
    }
    return points;
  }

  /** Several reads in one round trip (the keys share the online set's slot on a cluster). */
  #read(deadline: Deadline, commands: readonly (readonly string[])[]): Promise<unknown[]> {
    return this.#runner.command(deadline, async (redis) => {
      const results = (await redis.pipeline(commands.map((command) => [...command])).exec()) ?? [];
      return results.map(([error, reply]) => {
        if (error) throw error;
        return reply;
      });
    });
  }
}

const startOfDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
