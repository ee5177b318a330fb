import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { RedisClient } from '../redis.ts';

/**
 * Per-caller write budgets shared by every instance on one Redis: one key
 * per caller and one-minute window, charged atomically by a script in a
 * single round trip. A charge that would pass the budget is taken back, so
 * refused operations cost nothing.
 */

const WINDOW_MS = 60_000;

// KEYS[1] the caller's window; ARGV: cost, budget, key lifetime (ms).
// Answers {1, used} when allowed, {0, ms until the window ends} when not.
const TAKE = `
local used = redis.call('INCRBY', KEYS[1], ARGV[1])
if used == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
if used > tonumber(ARGV[2]) then
  redis.call('DECRBY', KEYS[1], ARGV[1])
  return {0, redis.call('PTTL', KEYS[1])}
end
return {1, used}
`;

type TakeCommand = (key: string, cost: number, budget: number, lifetimeMs: number) => Promise<[number, number]>;

export interface CostCharge {
  allowed: boolean;
  /** When refused: seconds until the caller's window starts afresh. */
  retryAfterSeconds: number;
}

export class CostWindowLimiter {
  readonly #take: TakeCommand;
  readonly #budget: number;
  readonly #clock: Clock;

  constructor(redis: RedisClient, budgetPerMinute: number, clock: Clock) {
    redis.defineCommand('rateLimitTakeCost', { numberOfKeys: 1, lua: TAKE });
    this.#take = (redis as unknown as { rateLimitTakeCost: TakeCommand }).rateLimitTakeCost.bind(redis);
    this.#budget = budgetPerMinute;
    this.#clock = clock;
  }

  get budgetPerMinute(): number {
    return this.#budget;
  }

  /** Charges `cost` to the caller's current window; refused (and not charged) when over the budget. */
  async charge(caller: string, cost: number): Promise<CostCharge> {
    const now = this.#clock.now().getTime();
    const window = Math.floor(now / WINDOW_MS);
    const key = `ratelimit:${boundedName(caller)}:${window}`;
    // The key outlives its window a little, so clocks a few seconds apart across instances agree.
    const [allowed, detail] = await this.#take(key, cost, this.#budget, 2 * WINDOW_MS);
    const windowLeftMs = (window + 1) * WINDOW_MS - now;
    return {
      allowed: allowed === 1,
      retryAfterSeconds: allowed === 1 ? 0 : Math.ceil(Math.max(0, Math.min(detail, windowLeftMs)) / 1000),
    };
  }
}

/** A token's subject can be any length: long ones are hashed so the key stays small. */
const boundedName = (caller: string) =>
  caller.length <= 96 ? caller : createHash('sha256').update(caller).digest('base64url');
