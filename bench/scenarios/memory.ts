import type { Redis } from 'ioredis';
import { ActivityStore } from '../../src/activity/store.ts';
import type { Clock } from '../../src/clock.ts';
import { closeRedis, connectRedis, createRedisClient } from '../../src/redis.ts';
import { eventGenerator } from '../events.ts';
import { round } from '../stats.ts';
import type { BenchContext, ScenarioResult } from '../types.ts';

const DAYS = 14;
const EVENTS_PER_DAY = 40; // 14 × (40 + login + logout) = 588 > 500: the list is full
const MAX_EVENTS = 500;

/** A clock the scenario moves by hand, as the tests do. */
class SteppedClock implements Clock {
  #now: number;
  constructor(start: Date) {
    this.#now = start.getTime();
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(at: Date): void {
    this.#now = at.getTime();
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

/**
 * 6. Redis memory of one player: 14 days of play (a login, 40 events and a
 * logout each day, so 14 daily records, a summary and a full 500-event
 * list), written through the store with a stepped clock; then the sum of
 * MEMORY USAGE (every element counted: SAMPLES 0) over the player's keys.
 */
export async function memory(ctx: BenchContext): Promise<ScenarioResult> {
  const redis = createRedisClient(
    { url: ctx.redisUrl, commandTimeoutMs: 5000, connectTimeoutMs: 2000, maxReconnectDelayMs: 1000 },
    'bench-memory',
  );
  await connectRedis(redis, { url: ctx.redisUrl });
  try {
    const playerId = `bench-memory-${Date.now().toString(36)}`;
    const firstDay = new Date(Date.now() - DAYS * 86_400_000);
    firstDay.setUTCHours(18, 0, 0, 0);
    const clock = new SteppedClock(firstDay);
    const store = new ActivityStore(redis, clock);
    const nextEvent = eventGenerator(6);
    for (let day = 0; day < DAYS; day++) {
      clock.set(new Date(firstDay.getTime() + day * 86_400_000));
      await store.trackLogin(playerId);
      for (let i = 0; i < EVENTS_PER_DAY; i++) {
        clock.advance(20_000 + (i % 7) * 5_000);
        const event = nextEvent(playerId);
        await store.trackActivity(playerId, event.eventType, event.details);
      }
      clock.advance(60_000);
      await store.trackLogout(playerId);
    }

    const keys = await scanKeys(ctx.redis, `activity:*:${playerId}*`);
    const usage = new Map<string, number>();
    for (const key of keys) usage.set(key, Number(await ctx.redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')));
    const sum = (filter: (key: string) => boolean) =>
      [...usage].filter(([key]) => filter(key)).reduce((total, [, bytes]) => total + bytes, 0);
    const eventsKey = `activity:events:${playerId}`;
    const dailyKeys = keys.filter((key) => key.startsWith(`activity:daily:${playerId}:`));
    const listLength = await ctx.redis.llen(eventsKey);
    const summaryPresent = keys.includes(`activity:summary:${playerId}`);

    const problems: string[] = [];
    if (listLength !== MAX_EVENTS) problems.push(`event list holds ${listLength}, not ${MAX_EVENTS}`);
    if (dailyKeys.length !== DAYS) problems.push(`${dailyKeys.length} daily records, not ${DAYS}`);
    if (!summaryPresent) problems.push('no summary');

    const kib = (bytes: number) => round(bytes / 1024, 1);
    return {
      scenario: 'Redis memory per player',
      metrics: [
        { metric: 'total (all keys of the player)', value: kib(sum(() => true)), unit: 'KiB' },
        { metric: `event list (${listLength} events)`, value: kib(usage.get(eventsKey) ?? 0), unit: 'KiB' },
        { metric: 'summary', value: kib(sum((key) => key.startsWith('activity:summary:'))), unit: 'KiB' },
        {
          metric: `daily records (${dailyKeys.length})`,
          value: kib(sum((key) => dailyKeys.includes(key))),
          unit: 'KiB',
        },
      ],
      errors: problems.length,
      firstError: problems[0],
      details: { playerId, bytesByKey: Object.fromEntries(usage) },
    };
  } finally {
    await closeRedis(redis);
  }
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys.sort();
}
