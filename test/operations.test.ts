import { Writable } from 'node:stream';
import { createClient } from 'graphql-ws';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { mintToken } from '../src/auth.ts';
import { freePort, LocalRedisServer } from '../src/redis-server.ts';
import { eventually } from './support/eventually.ts';
import { startTestService, TEST_JWT_SECRET, type TestService } from './support/harness.ts';
import { startMain } from './support/main-process.ts';
import { TrackActivity, TrackLogin } from './support/operations.ts';

const logLines: Record<string, unknown>[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
    done();
  },
});

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ logger: pino({ level: 'info' }, logSink) });
});
afterAll(async () => {
  await service?.stop();
});

const base = () => service.url.replace(/\/graphql$/, '');
const getJson = async (path: string) => {
  const response = await fetch(`${base()}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('health and readiness', () => {
  it('reports alive and ready while Redis is there, not ready while it is gone', async () => {
    expect(await getJson('/health')).toMatchObject({ status: 200, body: { status: 'alive' } });
    expect(await getJson('/ready')).toEqual({
      status: 200,
      body: { status: 'ready', redis: 'ok', subscriber: 'ok', accepting: true },
    });

    await service.redisServer.kill();
    try {
      await eventually(
        async () => expect(await getJson('/ready')).toMatchObject({ status: 503, body: { status: 'unavailable' } }),
        { timeoutMs: 5_000 },
      );
      expect(await getJson('/health')).toMatchObject({ status: 200 });
    } finally {
      await service.redisServer.restart();
    }
    await eventually(async () => expect((await getJson('/ready')).status).toBe(200), { timeoutMs: 5_000 });
  });
});

describe('metrics', () => {
  it('counts operations, errors by code, Redis failures, online players and subscriptions', async () => {
    await service.redisServer.kill();
    expect((await service.run(TrackLogin, { playerId: 'm-0' })).errors).toBeDefined();
    await service.redisServer.restart();
    await eventually(async () => expect((await service.run(TrackLogin, { playerId: 'm-0' })).errors).toBeUndefined(), {
      timeoutMs: 5_000,
    });
    await service.reset();
    // One session left idle past the timeout and one ghost member, for the reaper to count.
    await service.run(TrackLogin, { playerId: 'm-idle' });
    await service.redis.sadd('activity:online_players', 'm-ghost');
    service.clock.advance(31 * 60_000);
    expect(await service.app.reaper.runOnce()).toEqual({ reaped: 1, ghosts: 1, failed: 0 });
    await service.run(TrackLogin, { playerId: 'm-1' });
    await service.run(TrackActivity, { playerId: 'm-1', eventType: 'DOCK' });
    await service.run(TrackActivity, { playerId: 'bad id', eventType: 'DOCK' });
    const feed = service.app.onlineCount.watch();
    await feed.next();

    const text = await (await fetch(`${base()}/metrics`)).text();
    await feed.return?.();

    expect(text).toMatch(/graphql_operations_total\{operation="trackLogin",type="mutation"\} [1-9]/);
    expect(text).toMatch(/graphql_operation_duration_seconds_count\{operation="trackActivity",type="mutation"\} [2-9]/);
    expect(text).toMatch(/graphql_errors_total\{code="BAD_USER_INPUT"\} [1-9]/);
    expect(text).toMatch(/^activity_online_players 1$/m);
    expect(text).toMatch(/^graphql_open_subscriptions 1$/m);
    expect(text).toMatch(/redis_command_failures_total\{connection="commands"\} [1-9]/);
    // Always registered, so their values are what is checked: the reaper pass above, and Node's default metrics being collected.
    expect(text).toMatch(/^activity_reaped_sessions_total 1$/m);
    expect(text).toMatch(/^activity_removed_ghosts_total 1$/m);
    const cpuSeconds = Number(/^process_cpu_seconds_total (\S+)$/m.exec(text)?.[1]);
    expect(cpuSeconds).toBeGreaterThan(0);
  });
});

describe('logs', () => {
  it('writes one JSON line per request with a request id, and never the token', async () => {
    const token = await service.token({ role: 'service', subject: 'log-test' });
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'req-42' },
      body: JSON.stringify({ query: 'query Count { onlinePlayerCount }', operationName: 'Count' }),
    });
    expect(response.headers.get('x-request-id')).toBe('req-42');
    const generated = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ onlinePlayerCount }' }),
    });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const line = logLines.find((entry) => entry['requestId'] === 'req-42');
    expect(line).toMatchObject({ msg: 'request', method: 'POST', path: '/graphql', operation: 'Count', status: 200 });
    expect(typeof line?.['durationMs']).toBe('number');
    expect(JSON.stringify(logLines)).not.toContain(token);
  });
});

describe('graceful shutdown of the process', () => {
  let redisServer: LocalRedisServer;
  beforeAll(async () => {
    redisServer = await LocalRedisServer.start();
  });
  afterAll(async () => {
    await redisServer?.stop();
  });

  it('ends SSE and WebSocket subscriptions cleanly, lets a request in flight finish, exits 0', async () => {
    const port = await freePort();
    const { child, exited, output } = startMain({
      PORT: String(port),
      REDIS_URL: redisServer.url,
      JWT_SECRET: TEST_JWT_SECRET,
      NODE_ENV: 'production',
      REDIS_COMMAND_TIMEOUT_MS: '3000',
    });
    await eventually(() => expect(output()).toContain('listening on'), { timeoutMs: 10_000 });
    const url = `http://127.0.0.1:${port}/graphql`;
    const authorization = `Bearer ${await mintToken(TEST_JWT_SECRET, { role: 'admin' })}`;

    // An SSE subscriber…
    const sse = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization },
      body: JSON.stringify({ query: 'subscription { onlinePlayerCount }' }),
    });
    const sseText = sse.text();
    // …a WebSocket subscriber…
    const ws = createClient({
      url: url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization },
    });
    const wsClosed = new Promise<number>((resolve) =>
      ws.on('closed', (event) => resolve((event as { code: number }).code)),
    );
    const wsValues: unknown[] = [];
    const wsDone = new Promise<void>((resolve, reject) =>
      ws.subscribe(
        { query: 'subscription { onlinePlayerCount }' },
        {
          next: (value) => wsValues.push(value),
          error: reject,
          complete: resolve,
        },
      ),
    );
    await eventually(() => expect(wsValues.length).toBeGreaterThan(0), { timeoutMs: 5_000 });
    // …and a request held in flight by a paused Redis.
    const pauser = await import('ioredis').then(({ Redis }) => new Redis(redisServer.url));
    await pauser.call('CLIENT', 'PAUSE', '1500', 'WRITE');
    const inFlight = fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await mintToken(TEST_JWT_SECRET, { role: 'service' })}`,
      },
      body: JSON.stringify({ query: 'mutation { trackLogin(playerId: "late") { playerId } }' }),
    });
    // The mutation has reached Redis and waits there (a paused client shows as blocked).
    await eventually(async () => expect(String(await pauser.info('clients'))).toMatch(/blocked_clients:[1-9]/), {
      timeoutMs: 5_000,
    });

    const signalled = performance.now();
    child.kill('SIGTERM');

    const late = await inFlight;
    expect(late.status).toBe(200);
    expect(await late.json()).toEqual({ data: { trackLogin: { playerId: 'late' } } });
    expect(await sseText).toContain('event: complete');
    await wsDone; // the subscription completed rather than erroring
    // A clean close: the client's own (1000, nothing left to listen to) or the server's (1001, going away).
    expect([1000, 1001]).toContain(await wsClosed);
    const [code] = await exited;
    expect(code).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(10_000);
    expect(output()).toContain('SIGTERM received');
    pauser.disconnect();
  });
});
