import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { RedisClient } from '../redis.ts';

/**
 * Per-caller write budgets shared by every instance on one Redis: one key
 * per caller and one-minute window counts what the instances have taken.
 * An instance takes budget in leases (one Redis round trip each, one at a
 * time per caller) and spends them in memory, so most writes cost no round
 * trip of their own:
 * - a lease is at most LEASE_FRACTION of the budget and a quarter of what
 *   is left of it, never less than the write that asked for it;
 * - every lease comes out of the shared count atomically, so the writes let
 *   through in a window never pass the budget, whatever the instances;
 * - an unspent lease lapses with its window, and is not available to the
 *   other instances meanwhile: with N instances, a caller may be refused
 *   while up to (N − 1) × (⌊budget × LEASE_FRACTION⌋ − 1) units of its
 *   budget sit leased elsewhere (with one instance, never early);
 * - a write that its instance's lease and the shared count cannot cover is
 *   refused and takes nothing.
 * Budgets under 1 ÷ LEASE_FRACTION lease exactly what each write needs:
 * one round trip per write, as without leases.
 */

const WINDOW_MS = 60_000;

/** Largest lease, as a fraction of the per-minute budget. */
export const LEASE_FRACTION = 1 / 20;

// KEYS[1] the caller's window; ARGV: units needed, budget, key lifetime (ms), largest lease.
// Answers {1, units leased} (at least those needed), or {0, ms the window's key has left} when they do not fit.
const LEASE = `
local need = tonumber(ARGV[1])
local left = tonumber(ARGV[2]) - tonumber(redis.call('GET', KEYS[1]) or '0')
if left < need then return {0, redis.call('PTTL', KEYS[1])} end
local lease = math.max(need, math.min(tonumber(ARGV[4]), math.floor(left / 4)))
if redis.call('INCRBY', KEYS[1], lease) == lease then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1, lease}
`;

type LeaseCommand = (
  key: string,
  need: number,
  budget: number,
  lifetimeMs: number,
  largest: number,
) => Promise<[number, number]>;

export interface CostCharge {
  allowed: boolean;
  /** When refused: seconds until the caller's window starts afresh. */
  retryAfterSeconds: number;
}

export class CostWindowLimiter {
  readonly #lease: LeaseCommand;
  readonly #budget: number;
  readonly #largestLease: number;
  readonly #clock: Clock;
  /** Units leased and not yet spent, per caller, in window #window (older leases have lapsed). */
  readonly #leased = new Map<string, number>();
  #window = Number.NaN;
  /** The lease being asked for, per caller. */
  readonly #pending = new Map<string, Promise<void>>();

  constructor(redis: RedisClient, budgetPerMinute: number, clock: Clock) {
    redis.defineCommand('rateLimitLease', { numberOfKeys: 1, lua: LEASE });
    this.#lease = (redis as unknown as { rateLimitLease: LeaseCommand }).rateLimitLease.bind(redis);
    this.#budget = budgetPerMinute;
    this.#largestLease = Math.max(1, Math.floor(budgetPerMinute * LEASE_FRACTION));
    this.#clock = clock;
  }

  get budgetPerMinute(): number {
    return this.#budget;
  }

  /** Charges `cost` to the caller's current window; refused (and not charged) when over the budget. */
  async charge(caller: string, cost: number): Promise<CostCharge> {
    let window: number;
    for (;;) {
      window = Math.floor(this.#clock.now().getTime() / WINDOW_MS);
      this.#enter(window);
      const held = this.#leased.get(caller) ?? 0;
      if (held >= cost) {
        if (held > cost) this.#leased.set(caller, held - cost);
        else this.#leased.delete(caller);
        return { allowed: true, retryAfterSeconds: 0 };
      }
      // One lease at a time per caller: concurrent writes wait for it instead of each leasing (and stranding) more.
      const pending = this.#pending.get(caller);
      if (pending === undefined) break;
      await pending;
    }
    const asked = this.#leaseFor(caller, window, cost);
    const settled = asked.then(
      () => undefined,
      () => undefined,
    );
    this.#pending.set(caller, settled);
    try {
      return await asked;
    } finally {
      if (this.#pending.get(caller) === settled) this.#pending.delete(caller);
    }
  }

  async #leaseFor(caller: string, window: number, cost: number): Promise<CostCharge> {
    // What is held is set aside for this write while the rest is asked for.
    const held = this.#leased.get(caller) ?? 0;
    this.#leased.delete(caller);
    const key = `ratelimit:${boundedName(caller)}:${window}`;
    let answer: [number, number];
    try {
      // The key outlives its window a little, so clocks a few seconds apart across instances agree.
      answer = await this.#lease(key, cost - held, this.#budget, 2 * WINDOW_MS, this.#largestLease);
    } catch (error) {
      this.#keep(caller, window, held);
      throw error;
    }
    const [allowed, detail] = answer;
    if (allowed === 1) {
      this.#keep(caller, window, held + detail - cost);
      return { allowed: true, retryAfterSeconds: 0 };
    }
    this.#keep(caller, window, held);
    const windowLeftMs = (window + 1) * WINDOW_MS - this.#clock.now().getTime();
    return { allowed: false, retryAfterSeconds: Math.ceil(Math.max(0, Math.min(detail, windowLeftMs)) / 1000) };
  }

  /** Puts unspent units back with the caller, unless their window has turned meanwhile (they have lapsed then). */
  #keep(caller: string, window: number, units: number): void {
    if (units > 0 && window === this.#window) this.#leased.set(caller, (this.#leased.get(caller) ?? 0) + units);
  }

  /** Leases lapse with their window: a new window starts with none (a clock set back starts afresh too). */
  #enter(window: number): void {
    if (window === this.#window) return;
    this.#window = window;
    this.#leased.clear();
  }
}

/** A token's subject can be any length: long ones are hashed so the key stays small. */
const boundedName = (caller: string) =>
  caller.length <= 96 ? caller : createHash('sha256').update(caller).digest('base64url');
