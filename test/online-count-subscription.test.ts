import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { OnlineCountChangesSubscription } from './gql/graphql.ts';
import { eventually } from './support/eventually.ts';
import { startTestService, type TestService } from './support/harness.ts';
import { OnlineCountChanges, TrackLogin, TrackLogout } from './support/operations.ts';

const ONLINE_SET = 'activity:online_players';
const COUNT_CHANNEL = 'activity:online_count';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.stop();
});
beforeEach(async () => {
  await service.reset();
});
afterEach(async () => {
  await Promise.all([...openFeeds].map((feed) => feed.close()));
  // Every test leaves the service as it found it: no feed, and only the
  // instance's own channel subscription (held for its whole life).
  await waitUntil(async () => {
    expect(await subscriberCount()).toBe(1);
    expect(service.app.onlineCount.openFeeds).toBe(0);
  });
});

// ---------------------------------------------------------------- helpers

/** One live dashboard: the values it has received so far, in order. */
interface CountFeed {
  readonly values: number[];
  readonly errors: unknown[];
  last(): number | undefined;
  close(): Promise<void>;
}

const openFeeds = new Set<CountFeed>();

/** Polls an assertion for at most a few seconds (never a fixed sleep). */
const waitUntil = (assertion: () => unknown) => eventually(assertion, { timeoutMs: 4_000, intervalMs: 10 });

/** One result of the subscription, as either client hands it over. */
interface CountResult {
  data?: OnlineCountChangesSubscription | null;
  errors?: readonly unknown[];
}

/** Reads an async iterator in the background into a CountFeed. */
function collect(
  iterator: AsyncIterator<CountResult>,
  dispose: () => Promise<unknown> | unknown = () => iterator.return?.(),
): CountFeed {
  const values: number[] = [];
  const errors: unknown[] = [];
  const reading = (async () => {
    try {
      for (;;) {
        const step = await iterator.next();
        if (step.done) return;
        if (step.value.errors?.length) errors.push(...step.value.errors);
        else if (step.value.data) values.push(step.value.data.onlinePlayerCount);
      }
    } catch (error) {
      errors.push(error);
    }
  })();
  const feed: CountFeed = {
    values,
    errors,
    last: () => values.at(-1),
    async close() {
      if (!openFeeds.delete(feed)) return;
      await dispose();
      await reading;
    },
  };
  openFeeds.add(feed);
  return feed;
}

/** Live dashboards run in the admin UI. */
const dashboardToken = () => service.token({ role: 'admin', subject: 'dashboard' });

/** A subscriber over GraphQL over SSE, through the real HTTP port. */
async function openSseFeed(): Promise<CountFeed> {
  const executor = buildHTTPExecutor({
    endpoint: service.url,
    headers: { authorization: `Bearer ${await dashboardToken()}`, 'x-graphql-yoga-csrf': '1' },
  });
  const result = await executor({ document: OnlineCountChanges });
  if (!(Symbol.asyncIterator in result)) throw new Error(`expected a stream, got ${JSON.stringify(result)}`);
  return collect(result[Symbol.asyncIterator]());
}

/** A subscriber over graphql-ws, with a WebSocket client of its own. */
function openWsFeed(): CountFeed {
  const client = createClient({
    url: service.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: async () => ({ authorization: `Bearer ${await dashboardToken()}` }),
  });
  const iterator = client.iterate<OnlineCountChangesSubscription>({ query: print(OnlineCountChanges) });
  return collect(iterator, async () => {
    await iterator.return?.();
    await client.dispose();
  });
}

/** `PUBSUB NUMSUB` of the count channel: how many Redis connections listen to it. */
async function subscriberCount(): Promise<number> {
  const reply = (await service.redis.pubsub('NUMSUB', COUNT_CHANNEL)) as unknown as
    | [string, number]
    | Record<string, number>;
  return Number(Array.isArray(reply) ? reply[1] : reply[COUNT_CHANNEL]);
}

const onlineCount = () => service.redis.scard(ONLINE_SET);

/** CLIENT KILL with a filter, e.g. ('TYPE', 'pubsub'); resolves with how many connections were closed. */
const killConnections = (...filter: string[]) => service.redis.call('CLIENT', 'KILL', ...filter);

const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

async function login(...playerIds: string[]) {
  const results = await Promise.all(playerIds.map((playerId) => service.run(TrackLogin, { playerId })));
  for (const result of results) expect(result.errors).toBeUndefined();
}

async function logout(...playerIds: string[]) {
  const results = await Promise.all(playerIds.map((playerId) => service.run(TrackLogout, { playerId })));
  for (const result of results) expect(result.errors).toBeUndefined();
}

/** Waits until every feed's values are exactly `expected`. */
const expectValues = (feeds: CountFeed[], expected: number[]) =>
  waitUntil(() => {
    for (const feed of feeds) expect(feed.values).toEqual(expected);
  });

// ------------------------------------------------------------------ tests

describe.each([
  ['SSE', openSseFeed],
  ['graphql-ws', openWsFeed],
] as const)('onlinePlayerCount subscription over %s', (_transport, openFeed) => {
  it('starts with the current count, then sends a value after every change', async () => {
    await login('p-1', 'p-2');

    const feed = await openFeed();
    await expectValues([feed], [2]);

    await login('p-3');
    await expectValues([feed], [2, 3]);
    await logout('p-1');
    await expectValues([feed], [2, 3, 2]);
    await logout('p-2', 'p-3');
    await expectValues([feed], [2, 3, 2, 1, 0]);
    expect(feed.errors).toEqual([]);
  });

  it('publishes nothing for a re-login of an online player or a logout of an offline one', async () => {
    await login('p-1', 'p-2');
    const feed = await openFeed();
    await expectValues([feed], [2]);

    await login('p-1'); // already online: completes the old session, count unchanged
    await logout('nobody'); // no open session: nothing changes
    await logout('p-3'); // never logged in
    // A real change afterwards: the channel is ordered, so had anything been
    // published for the calls above it would show up before this value.
    await login('p-3');

    await expectValues([feed], [2, 3]);
    expect(await onlineCount()).toBe(3);
  });
});

describe('a burst of logins and logouts', () => {
  it('leaves every subscriber, SSE and graphql-ws alike, holding the real count', async () => {
    // 80 players are online before the dashboards open. The burst takes the
    // count up to 180 and then down to 60, a value the channel has carried
    // only once: a feed that shows 60 has received the burst's last message.
    const before = ids('early', 80);
    const arrivals = ids('burst', 100);
    await login(...before);

    const feeds = [
      ...(await Promise.all([openSseFeed(), openSseFeed(), openSseFeed()])),
      openWsFeed(),
      openWsFeed(),
      openWsFeed(),
    ];
    await expectValues(feeds, [80]);

    await login(...arrivals);
    await logout(...before, ...arrivals.slice(0, 40));

    expect(await onlineCount()).toBe(60);
    await waitUntil(() => {
      for (const feed of feeds) expect(feed.last()).toBe(60);
    });
    for (const feed of feeds) {
      expect(feed.errors).toEqual([]);
      expect(feed.values[0]).toBe(80);
      // Values arrive in the order Redis applied the changes (the server may
      // skip stale ones for a slow reader, never reorder them): up, then down.
      const peak = feed.values.indexOf(Math.max(...feed.values));
      const rising = feed.values.slice(0, peak + 1);
      const falling = feed.values.slice(peak);
      expect(rising).toEqual([...rising].sort((a, b) => a - b));
      expect(falling).toEqual([...falling].sort((a, b) => b - a));
      expect(new Set(feed.values).size).toBe(feed.values.length);
    }
  });
});

describe('clean-up', () => {
  it('releases every feed once all clients are gone, with one Redis subscription throughout', async () => {
    expect(await subscriberCount()).toBe(1);
    expect(service.app.onlineCount.openFeeds).toBe(0);

    const feeds = [
      ...(await Promise.all([openSseFeed(), openSseFeed(), openSseFeed()])),
      openWsFeed(),
      openWsFeed(),
      openWsFeed(),
    ];
    await expectValues(feeds, [0]);
    expect(await subscriberCount()).toBe(1); // one Redis subscription per API instance, shared
    expect(service.app.onlineCount.openFeeds).toBe(6);

    await Promise.all(feeds.slice(0, 5).map((feed) => feed.close()));
    await waitUntil(() => expect(service.app.onlineCount.openFeeds).toBe(1));
    expect(await subscriberCount()).toBe(1);
    await login('p-1');
    await expectValues([feeds[5]!], [0, 1]);

    await feeds[5]!.close();
    await waitUntil(async () => {
      expect(await subscriberCount()).toBe(1);
      expect(service.app.onlineCount.openFeeds).toBe(0);
    });
  });

  it('returns to the baseline after 50 subscribe/unsubscribe cycles', async () => {
    await login('p-1');
    for (let cycle = 0; cycle < 50; cycle++) {
      const feed = cycle % 2 === 0 ? await openSseFeed() : openWsFeed();
      // Half of the clients leave before their first value has arrived.
      if (cycle % 4 < 2) await expectValues([feed], [1]);
      await feed.close();
    }
    // And 10 more at once, all leaving together.
    const crowd = [
      ...(await Promise.all(Array.from({ length: 5 }, openSseFeed))),
      ...Array.from({ length: 5 }, openWsFeed),
    ];
    await Promise.all(crowd.map((feed) => feed.close()));

    await waitUntil(async () => {
      expect(await subscriberCount()).toBe(1);
      expect(service.app.onlineCount.openFeeds).toBe(0);
    });
    // The feed still works afterwards.
    const feed = openWsFeed();
    await expectValues([feed], [1]);
  });
});

describe('after the subscriber connection to Redis drops', () => {
  it('republishes the count on reconnect, so feeds heal from a missed message', async () => {
    await login('p-1', 'p-2');
    const feeds = [await openSseFeed(), openWsFeed()];
    await expectValues(feeds, [2]);
    const subscriberId = await service.app.subscriber.client('ID');

    const killed = await killConnections('TYPE', 'pubsub');
    expect(killed).toBe(1);
    // A change whose message this instance never sees: written straight to
    // the set, as if its PUBLISH had been sent while the connection was down.
    await service.redis.sadd(ONLINE_SET, 'missed-1', 'missed-2');

    await waitUntil(() => {
      for (const feed of feeds) expect(feed.last()).toBe(4);
    });
    expect(await service.app.subscriber.client('ID')).not.toBe(subscriberId);
    expect(await subscriberCount()).toBe(1);
    expect(service.app.onlineCount.openFeeds).toBe(2);

    // The feeds keep following changes on the new connection.
    await login('p-3');
    await waitUntil(() => {
      for (const feed of feeds) expect(feed.last()).toBe(5);
    });
    for (const feed of feeds) expect(feed.errors).toEqual([]);
  });
});

describe('races and outages', () => {
  it('keeps subscriptions open across a Redis restart and delivers the right count after it', async () => {
    await login('p-1', 'p-2');
    const feeds = [await openSseFeed(), openWsFeed()];
    await expectValues(feeds, [2]);

    await service.redisServer.kill();
    await service.redisServer.restart(); // empty: it keeps nothing on disk
    await waitUntil(() => {
      for (const feed of feeds) expect(feed.last()).toBe(0);
    });
    await waitUntil(async () => expect((await service.run(TrackLogin, { playerId: 'p-3' })).errors).toBeUndefined());

    await waitUntil(() => {
      for (const feed of feeds) expect(feed.last()).toBe(1);
    });
    for (const feed of feeds) expect(feed.errors).toEqual([]);
    expect(service.app.onlineCount.openFeeds).toBe(2);
  });

  it('1,000 subscribe/disconnect cycles leave Redis subscriptions and memory at their baseline', async () => {
    await login('p-1');
    const { gc } = globalThis;
    if (!gc) throw new Error('run with --expose-gc (vitest.config.ts) to measure memory');
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const cycle = async (n: number) => {
      const feed = n % 2 === 0 ? await openSseFeed() : openWsFeed();
      if (n % 10 === 0) await expectValues([feed], [1]);
      await feed.close();
    };
    for (let n = 0; n < 100; n++) await cycle(n); // warm-up: caches, connection pools
    const before = heap();
    for (let n = 0; n < 1_000; n += 10) await Promise.all(Array.from({ length: 10 }, (_, i) => cycle(n + i)));
    await waitUntil(async () => {
      expect(service.app.onlineCount.openFeeds).toBe(0);
      expect(await subscriberCount()).toBe(1);
    });
    const grown = heap() - before;
    console.info(`1,000 subscription cycles: heap ${(grown / 1024 / 1024).toFixed(1)} MiB over baseline`);
    expect(grown).toBeLessThan(16 * 1024 * 1024);
  });

  it('a client leaving while the subscriber connection is down neither crashes the process nor leaks', async () => {
    const feeds = [await openSseFeed(), openWsFeed()];
    await expectValues(feeds, [0]);

    await killConnections('TYPE', 'pubsub');
    await waitUntil(() => expect(service.app.subscriber.status).not.toBe('ready'));
    await Promise.all(feeds.map((feed) => feed.close()));
    await waitUntil(() => expect(service.app.onlineCount.openFeeds).toBe(0));

    await waitUntil(async () => {
      expect(service.app.subscriber.status).toBe('ready');
      expect(await subscriberCount()).toBe(1);
    });
    const feed = openWsFeed();
    await expectValues([feed], [0]);
  });

  it('feeds heal when the command connection comes back after the subscriber connection', async () => {
    await login('p-1', 'p-2', 'p-3');
    const feeds = [await openSseFeed(), openWsFeed()];
    await expectValues(feeds, [3]);
    const commandConnection = String(await service.app.redis.client('ID'));

    await killConnections('TYPE', 'pubsub');
    await service.redis.sadd(ONLINE_SET, 'missed-1'); // a change whose message is lost
    // The command connection drops too, once the subscriber connection has
    // scheduled its reconnect (100 ms here), so it is still away when the
    // subscriber connection is back.
    await waitUntil(() => expect(service.app.subscriber.status).toBe('reconnecting'));
    await killConnections('ID', commandConnection);
    await waitUntil(() => expect(service.app.redis.status).toBe('ready'));

    await waitUntil(() => {
      for (const feed of feeds) expect(feed.last()).toBe(4);
    });
  });

  it('a change landing while a feed reads its initial count never leaves the feed on the older count', async () => {
    // The initial count is read on the command connection and changes arrive
    // on the subscriber connection, in no fixed order; a login sent right
    // behind the initial read makes the race as likely as it gets.
    const keeper = openWsFeed();
    await expectValues([keeper], [0]);
    const store = service.app.store;
    const read = store.getVersionedOnlineCount.bind(store);
    let racer = 0;
    const spy = vi.spyOn(store, 'getVersionedOnlineCount').mockImplementation(() => {
      const reply = read();
      if (racer > 0) {
        void store.trackLogin(`racer-${racer}`);
        racer = 0;
      }
      return reply;
    });
    let feed: AsyncIterableIterator<number> | undefined;
    try {
      for (let round = 1; round <= 100; round++) {
        const current = service.app.onlineCount.watch();
        feed = current;
        racer = round; // armed for the initial read, made when the feed is first pulled
        const values: number[] = [];
        void (async () => {
          for await (const value of current) values.push(value);
        })();
        await waitUntil(async () => expect(await onlineCount()).toBe(round));
        await waitUntil(() => expect(values.at(-1)).toBe(round));
        await service.redis.ping(); // let any late value in
        expect(values.at(-1)).toBe(round);
        await current.return?.();
      }
    } finally {
      spy.mockRestore();
      await feed?.return?.();
    }
  });
});
