import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { type ActivityInput, ActivityStore } from '../src/activity/store.ts';
import type { Clock } from '../src/clock.ts';
import { LocalRedisServer } from '../src/redis-server.ts';

/**
 * What remembering client event ids costs in Redis memory (issue 10).
 * The same workload (players logged in, gameplay events in batches of 500)
 * runs twice on a throwaway redis-server, without ids and with a UUID on
 * every event; the difference in used_memory, divided by the ids
 * remembered, is the cost per id. MEMORY USAGE of the id keys themselves
 * is printed too.
 *
 *   node bench/event-id-memory.ts                       # 1,000 players × 1,000 ids = 1 M ids
 *   node bench/event-id-memory.ts --players 100 --ids 100
 */

const { values } = parseArgs({
  options: {
    players: { type: 'string', default: '1000' },
    ids: { type: 'string', default: '1000' },
  },
});
const PLAYERS = Number(values.players);
const IDS = Number(values.ids);
const TYPES = ['trade_buy', 'sector_move', 'combat_attack', 'dock', 'warp'] as const;

const server = await LocalRedisServer.start('redis-server', ['--save', '', '--appendonly', 'no']);
const redis = new Redis(server.url);
// A clock the bench moves itself, one second per round of ids.
let nowMs = Date.parse('2026-11-23T22:00:00.000Z');
const clock: Clock = { now: () => new Date(nowMs) };
const store = new ActivityStore(redis, clock, { callDeadlineMs: 60_000 });
const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
const playerId = (n: number) => `4f1c2d3e-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function workload(withIds: boolean): Promise<number> {
  await redis.flushall();
  await redis.call('MEMORY', 'PURGE');
  const before = await usedMemory();
  for (let p = 0; p < PLAYERS; p++) await store.trackLogin(playerId(p));
  let batch: ActivityInput[] = [];
  for (let n = 0; n < IDS; n++) {
    for (let p = 0; p < PLAYERS; p++) {
      const eventType = TYPES[(n + p) % TYPES.length]!;
      const details =
        eventType === 'trade_buy'
          ? { total_value: 125.5 }
          : eventType === 'sector_move'
            ? { sector_id: (n * 7) % 12 }
            : {};
      batch.push({ playerId: playerId(p), eventType, details, ...(withIds ? { eventId: crypto.randomUUID() } : {}) });
      if (batch.length === 500) {
        await store.trackActivities(batch);
        batch = [];
      }
    }
    nowMs += 1000;
  }
  if (batch.length) await store.trackActivities(batch);
  return (await usedMemory()) - before;
}

async function idKeysUsage(): Promise<number> {
  let total = 0;
  for (let p = 0; p < PLAYERS; p++) {
    for (const key of [`activity:event_ids:${playerId(p)}`, `activity:event_id_order:${playerId(p)}`]) {
      total += Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
    }
  }
  return total;
}

try {
  const ids = PLAYERS * IDS;
  console.log(
    `event-id memory: ${PLAYERS} players × ${IDS} ids = ${ids.toLocaleString('en')} ids, redis-server ${(/redis_version:(\S+)/.exec(await redis.info('server')) ?? [])[1]}`,
  );
  const without = await workload(false);
  const withIds = await workload(true);
  const keys = await idKeysUsage();
  const sample = await redis.hget(
    `activity:event_ids:${playerId(0)}`,
    (await redis.lindex(`activity:event_id_order:${playerId(0)}`, -1))!,
  );
  const perId = (withIds - without) / ids;
  console.log(
    `used_memory without ids: ${(without / 2 ** 20).toFixed(1)} MiB, with ids: ${(withIds / 2 ** 20).toFixed(1)} MiB`,
  );
  console.log(
    `per remembered id: ${perId.toFixed(0)} bytes (used_memory difference); MEMORY USAGE of the id keys: ${(keys / ids).toFixed(0)} bytes`,
  );
  console.log(`for 1 M ids: ${((perId * 1e6) / 2 ** 20).toFixed(0)} MiB`);
  console.log(`a record (${sample?.length} bytes): ${sample?.slice(0, 120)}…`);
} finally {
  redis.disconnect();
  await server.stop();
}
