import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ActivityStore } from '../src/activity/store.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { LocalRedisServer } from '../src/redis-server.ts';
import { eventually } from './support/eventually.ts';
import { loadedLibraries } from './support/functions.ts';
import { TEST_JWT_SECRET, TEST_REDIS_ARGS, useTestService } from './support/harness.ts';
import { PlayerSession, RecentEvents, TrackActivities, TrackLogin } from './support/operations.ts';

/**
 * The scripts run as Redis Functions: one library per configuration,
 * loaded at start-up and again whenever Redis has lost it, each call one
 * FCALL that runs exactly once.
 */

const service = useTestService();

const VERSIONED = /^activity_([0-9a-f]{16})$/;

async function withStore<T>(
  options: ConstructorParameters<typeof ActivityStore>[2],
  use: (store: ActivityStore) => Promise<T>,
): Promise<T> {
  const client = new Redis(service.redisServer.url);
  try {
    return await use(new ActivityStore(client, service.clock, options));
  } finally {
    client.disconnect();
  }
}

describe('Redis Functions', () => {
  it('loads one library at start-up, its name and every function name versioned by its text', async () => {
    const [library, ...others] = await loadedLibraries(service.redis);
    expect(others).toEqual([]);
    const version = VERSIONED.exec(library!.name)?.[1];
    expect(version).toBeDefined();
    const names = library!.functions.map((fn) => fn.name);
    for (const script of ['login', 'activity', 'logout', 'heartbeat', 'reap', 'online_change', 'global_apply']) {
      expect(names).toContain(`activity_${script}_${version}`);
    }
    for (const fn of library!.functions) expect(fn.name.endsWith(`_${version}`), fn.name).toBe(true);
    // The one read-only script is called with FCALL_RO.
    expect(library!.functions.find((fn) => fn.name === `activity_online_count_${version}`)?.flags).toEqual([
      'no-writes',
    ]);
  });

  it('loads the library again after FUNCTION FLUSH; every call, single or batched, runs exactly once', async () => {
    await service.redis.call('FUNCTION', 'FLUSH');
    expect(await loadedLibraries(service.redis)).toEqual([]);
    expect((await service.run(TrackLogin, { playerId: 'p-1' })).errors).toBeUndefined();
    expect(await loadedLibraries(service.redis)).toHaveLength(1);

    await service.redis.call('FUNCTION', 'FLUSH');
    const batch = await service.run(TrackActivities, {
      events: [
        { playerId: 'p-1', eventType: 'DOCK' },
        { playerId: 'p-2', eventType: 'DOCK' },
        { playerId: 'p-1', eventType: 'TRADE_BUY', details: { total_value: 10 } },
      ],
    });
    expect(batch.errors).toBeUndefined();
    expect(batch.data?.trackActivities.map((outcome) => outcome?.session?.actionsCount ?? null)).toEqual([1, null, 2]);
    const session = await service.run(PlayerSession, { playerId: 'p-1' });
    expect(session.data?.playerSession).toMatchObject({ actionsCount: 2, tradesCount: 1, tradeVolume: 10 });
    const events = await service.run(RecentEvents, { playerId: 'p-1' });
    expect(events.data?.recentEvents.map((event) => event.eventType)).toEqual(['TRADE_BUY', 'DOCK', 'LOGIN']);
    expect(await loadedLibraries(service.redis)).toHaveLength(1);
  });

  it('reloads and retries once on the REDIS_WAIT_REPLICAS path too, single calls and pipelines', async () => {
    await withStore({ replicaAcks: { replicas: 0, timeoutMs: 100 } }, async (store) => {
      await service.redis.call('FUNCTION', 'FLUSH');
      await store.trackLogin('w-1');
      await service.redis.call('FUNCTION', 'FLUSH');
      const outcomes = await store.trackActivities([
        { playerId: 'w-1', eventType: 'dock' },
        { playerId: 'w-1', eventType: 'dock' },
      ]);
      expect(outcomes.map((outcome) => !(outcome instanceof Error) && outcome.session?.actionsCount)).toEqual([1, 2]);
      expect(await service.redis.llen('activity:events:w-1')).toBe(3);
    });
  });

  it('lets nothing of one call show in the next: arguments, keys and game-wide notes are set afresh', async () => {
    await withStore({}, async (store) => {
      await store.trackLogin('a');
      await store.trackLogin('b');
      // An event id, then none: a stale id would make the next calls repeats of the first.
      expect((await store.trackActivity('a', 'trade_buy', { total_value: 5 }, 'e-1')).duplicate).toBe(false);
      expect((await store.trackActivity('a', 'dock')).duplicate).toBe(false);
      expect((await store.trackActivity('b', 'dock')).duplicate).toBe(false);
      expect((await store.getSession('a'))?.actionsCount).toBe(2);
      expect((await store.getSession('b'))?.actionsCount).toBe(1);
      expect(await service.redis.llen('activity:events:a')).toBe(3);
      expect(await service.redis.llen('activity:events:b')).toBe(2);
      // Each call's game-wide notes are written once: 3 activities, 1 trade.
      const daily = await service.redis.hgetall(
        `activity:global:daily:${service.clock.now().toISOString().slice(0, 10)}`,
      );
      expect(daily).toMatchObject({ sessions: '2', actions: '3', trades: '1', trade_volume: '5' });
    });
  });

  it('keeps two differently configured stores on one Redis apart: each loads and calls its own version', async () => {
    await withStore({ eventIds: { ttlSeconds: 3600, maxPerPlayer: 1 } }, (small) =>
      withStore({ eventIds: { ttlSeconds: 3600, maxPerPlayer: 100 } }, async (large) => {
        await small.trackLogin('s');
        await large.trackLogin('l');
        const names = (await loadedLibraries(service.redis)).map((library) => library.name);
        expect(names.filter((name) => VERSIONED.test(name)).length).toBe(3); // the app's, small's, large's

        // Alternating, so each store calls its functions after the other has loaded its own.
        const repeats: boolean[][] = [[], []];
        for (const id of ['e-1', 'e-2', 'e-1']) {
          repeats[0]!.push((await small.trackActivity('s', 'dock', undefined, id)).duplicate);
          repeats[1]!.push((await large.trackActivity('l', 'dock', undefined, id)).duplicate);
        }
        // One id remembered: e-1 was forgotten and counts again. A hundred: e-1 is a repeat.
        expect(repeats).toEqual([
          [false, false, false],
          [false, false, true],
        ]);
        expect((await small.getSession('s'))?.actionsCount).toBe(3);
        expect((await large.getSession('l'))?.actionsCount).toBe(2);
        expect((await loadedLibraries(service.redis)).map((library) => library.name)).toEqual(names);
      }),
    );
  });

  it('refuses to start, with one clear error, on a Redis whose user may not load functions', async () => {
    const server = await LocalRedisServer.start('redis-server', [
      ...TEST_REDIS_ARGS,
      '--user',
      'default',
      'off',
      '--user',
      'nofunctions',
      'on',
      '>secret-password',
      '~*',
      '&*',
      '+@all',
      '-function',
    ]);
    try {
      const config = loadConfig({
        NODE_ENV: 'test',
        JWT_SECRET: TEST_JWT_SECRET,
        REDIS_URL: `redis://nofunctions:secret-password@127.0.0.1:${server.port}`,
        ACTIVITY_REAPER_INTERVAL_SECONDS: '3600',
      });
      const app = createApp(config);
      await expect(app.start(0, '127.0.0.1')).rejects.toThrow(
        /Redis refused FUNCTION LOAD \(NOPERM.*needs Redis 7\.0 or later and, for an ACL user, the commands FUNCTION LOAD, FCALL and FCALL_RO/,
      );
      // Both connections are closed again: nothing keeps the process alive.
      await eventually(() => expect([app.redis.status, app.subscriber.status]).toEqual(['end', 'end']));
    } finally {
      await server.stop();
    }
  });
});
