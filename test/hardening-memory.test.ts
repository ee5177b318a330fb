import { execFileSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { getHeapStatistics } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintToken } from '../src/auth.ts';
import { loadConfig, subscriptionsTheHeapHolds } from '../src/config.ts';
import { untilExpiry } from '../src/protections/subscriptions.ts';
import { freePort, LocalRedisServer } from '../src/redis-server.ts';
import { eventually } from './support/eventually.ts';
import { errorCodes, startTestService, TEST_JWT_SECRET, type TestService } from './support/harness.ts';
import { startMain } from './support/main-process.ts';

/**
 * Limits that keep one instance's memory bounded whatever callers open:
 * the default subscription cap follows the heap the process was given (an
 * SSE subscriber keeps ~34 KiB alive; with the image's 256 MiB heap the old
 * fixed 10,000 let ~6,500 subscribers kill the process), and MAX_CONNECTIONS
 * bounds sockets on the public listener.
 */

const SMALL_HEAP = '--max-old-space-size=96 --max-semi-space-size=4';
const SUBSCRIPTION = JSON.stringify({ query: 'subscription { onlinePlayerCount }' });

/** Opens an SSE subscription; resolves with the first event's data (a count or an error), keeps the stream open. */
function openSse(url: URL, agent: Agent, token: string): Promise<{ data: string; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer ${token}`,
          'content-length': Buffer.byteLength(SUBSCRIPTION),
        },
      },
      (res) => {
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          const data = /^data: ?(.*)$/m.exec(buffered);
          if (data) resolve({ data: data[1]!, close: () => req.destroy() });
        });
        res.on('error', () => {});
      },
    );
    req.on('error', reject);
    req.end(SUBSCRIPTION);
  });
}

describe('subscriptions fit in the heap', () => {
  it('by default MAX_SUBSCRIPTIONS is what half the heap holds, at most 10,000; an explicit value is kept', () => {
    expect(subscriptionsTheHeapHolds(280 * 2 ** 20)).toBe(3584); // the heap limit with the image's flags
    expect(subscriptionsTheHeapHolds(4 * 2 ** 30)).toBe(10_000);
    expect(loadConfig({}).limits.maxSubscriptions).toBe(subscriptionsTheHeapHolds(getHeapStatistics().heap_size_limit));
    expect(loadConfig({ MAX_SUBSCRIPTIONS: '250' }).limits.maxSubscriptions).toBe(250);
  });

  describe('a service process with a 96 MiB heap', () => {
    let redisServer: LocalRedisServer;
    beforeAll(async () => {
      redisServer = await LocalRedisServer.start();
    });
    afterAll(async () => {
      await redisServer?.stop();
    });
    /** The service as `npm start` runs it in production, with SMALL_HEAP. */
    const startSmallHeapService = async (env: Record<string, string>) => {
      const port = await freePort();
      const main = startMain({
        NODE_ENV: 'production',
        NODE_OPTIONS: SMALL_HEAP,
        PORT: String(port),
        REDIS_URL: redisServer.url,
        JWT_SECRET: TEST_JWT_SECRET,
        ...env,
      });
      return { port, main };
    };

    it('holds its default number of subscribers, refuses the next ones, and keeps answering', {
      timeout: 90_000,
    }, async () => {
      const heapLimit = Number(
        execFileSync(process.execPath, [...SMALL_HEAP.split(' '), '-p', 'v8.getHeapStatistics().heap_size_limit']),
      );
      const cap = subscriptionsTheHeapHolds(heapLimit);
      expect(cap).toBeGreaterThan(500);
      const { port, main } = await startSmallHeapService({ LOG_LEVEL: 'warn' });
      const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
      const open: { close: () => void }[] = [];
      try {
        const url = new URL(`http://127.0.0.1:${port}/graphql`);
        await eventually(async () => expect((await fetch(`http://127.0.0.1:${port}/health`)).ok).toBe(true), {
          timeoutMs: 30_000,
        });
        const token = await mintToken(TEST_JWT_SECRET, { role: 'admin', subject: 'dashboard', expiresIn: '1h' });
        for (let opened = 0; opened < cap; opened += 100) {
          const wave = await Promise.all(
            Array.from({ length: Math.min(100, cap - opened) }, () => openSse(url, agent, token)),
          );
          expect(wave.filter((subscriber) => subscriber.data !== '{"data":{"onlinePlayerCount":0}}')).toEqual([]);
          open.push(...wave);
        }
        const refused = await Promise.all(Array.from({ length: 10 }, () => openSse(url, agent, token)));
        open.push(...refused);
        for (const { data } of refused) expect(data).toContain('TOO_MANY_SUBSCRIPTIONS');
        const answer = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ onlinePlayerCount }' }),
        });
        expect(await answer.json()).toEqual({ data: { onlinePlayerCount: 0 } });
        expect(main.child.exitCode).toBeNull();
      } finally {
        for (const subscriber of open) subscriber.close();
        agent.destroy();
        main.child.kill('SIGKILL');
        await main.exited;
      }
    });

    it('warns at start-up when an explicit MAX_SUBSCRIPTIONS is more than its heap holds', async () => {
      const { main } = await startSmallHeapService({ MAX_SUBSCRIPTIONS: '10000' });
      try {
        await eventually(() => expect(main.output()).toContain('listening on'), { timeoutMs: 30_000 });
        expect(main.output()).toMatch(
          /MAX_SUBSCRIPTIONS=10000 needs about 782 MiB of heap and this process has \d+ MiB: raise --max-old-space-size/,
        );
      } finally {
        main.child.kill('SIGKILL');
        await main.exited;
      }
    });
  });
});

describe('a long-lived subscription', () => {
  it('keeps no memory per value delivered (a dashboard stays open for days)', async () => {
    let produced = 0;
    async function* counts() {
      for (;;) yield { data: { onlinePlayerCount: ++produced } };
    }
    const iterator = untilExpiry(counts(), Date.now() + 3_600_000, () => {});
    const take = async (values: number) => {
      for (let i = 0; i < values; i++) await iterator.next();
    };
    await take(1_000);
    globalThis.gc!();
    const before = process.memoryUsage().heapUsed;
    await take(100_000);
    globalThis.gc!();
    const grownMiB = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    await iterator.return?.();
    // Holding something per value would be ~10 MiB here (a promise reaction is ~100 B).
    expect(grownMiB).toBeLessThan(2);
  });
});

describe('the token-expiry wrapper of a subscription', () => {
  it('answers an expiry that came while nobody pulled on the next pull, then ends and releases its place once', async () => {
    vi.useFakeTimers({ now: 0 });
    try {
      let released = 0;
      async function* counts() {
        for (let count = 1; ; count++) yield { data: { onlinePlayerCount: count } };
      }
      const stream = untilExpiry(counts(), 1_000, () => released++);
      expect((await stream.next()).value).toEqual({ data: { onlinePlayerCount: 1 } });
      vi.advanceTimersByTime(1_000);
      const expired = await stream.next();
      expect(errorCodes(expired.value!)).toEqual(['UNAUTHENTICATED']);
      expect(await stream.next()).toEqual({ value: undefined, done: true });
      await stream.return?.();
      expect(released).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('MAX_CONNECTIONS', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ env: { MAX_CONNECTIONS: '3' } });
  });
  afterAll(async () => {
    await service?.stop();
  });

  const openSocket = async (): Promise<{ socket: Socket; closed: Promise<void> }> => {
    const { hostname, port } = new URL(service.url);
    const socket = connect(Number(port), hostname);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    return { socket, closed };
  };
  const healthOver = (socket: Socket) =>
    new Promise<string>((resolve) => {
      let reply = '';
      socket.on('data', (chunk) => {
        reply += chunk.toString();
        if (reply.includes('\r\n\r\n')) resolve(reply.split('\r\n')[0]!);
      });
      socket.write('GET /health HTTP/1.1\r\nhost: localhost\r\n\r\n');
    });

  it('closes connections past the limit at once; a freed place is served again', async () => {
    const held = await Promise.all([openSocket(), openSocket(), openSocket()]);
    try {
      const extra = await openSocket();
      await extra.closed; // dropped by the server without a byte
      expect(extra.socket.bytesRead).toBe(0);
      expect(await healthOver(held[0]!.socket)).toBe('HTTP/1.1 200 OK');

      held[2]!.socket.destroy();
      await held[2]!.closed;
      const next = await eventually(async () => {
        const attempt = await openSocket();
        const answered = await Promise.race([healthOver(attempt.socket), attempt.closed.then(() => null)]);
        if (answered === null) throw new Error('dropped: the freed place is not seen yet');
        return { attempt, answered };
      });
      expect(next.answered).toBe('HTTP/1.1 200 OK');
      next.attempt.socket.destroy();
    } finally {
      for (const { socket } of held) socket.destroy();
    }
  });
});
