import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.ts';
import { errorCodes, useTestService } from './support/harness.ts';
import { TrackLogin } from './support/operations.ts';
import { type Outcome, openSocket, subscribeOverSse } from './support/transports.ts';

/**
 * Issue 9.9: subscriptions end when their token expires; caps on
 * subscriptions per socket and per instance; a request body must arrive
 * within REQUEST_TIMEOUT_MS.
 */

const service = useTestService({
  env: { MAX_SUBSCRIPTIONS_PER_SOCKET: '3', MAX_SUBSCRIPTIONS: '5', REQUEST_TIMEOUT_MS: '1000' },
});

const SUBSCRIPTION = { query: 'subscription { onlinePlayerCount }' };

const sseSubscription = (token: string) => subscribeOverSse(service.url, token, SUBSCRIPTION);

describe('a subscription ends with UNAUTHENTICATED when its token expires', () => {
  it('over graphql-ws, the socket staying open', async () => {
    const token = await service.token({ role: 'admin', subject: 'short-lived', expiresIn: '2s' });
    const socket = openSocket(service.url, token);
    try {
      const feed = socket.subscribe(SUBSCRIPTION);
      await eventually(() => expect(feed.results.length).toBe(1));
      await eventually(() => expect(feed.results.length).toBe(2), { timeoutMs: 5000 });
      expect(errorCodes(feed.results[1]!)).toEqual(['UNAUTHENTICATED']);
      expect(await feed.ended).toBe('complete');
      expect(socket.closeCode()).toBeUndefined();
    } finally {
      await socket.client.dispose();
    }
  });

  it('over SSE, the stream completing', async () => {
    const token = await service.token({ role: 'admin', subject: 'short-lived', expiresIn: '2s' });
    const feed = sseSubscription(token);
    await eventually(() => expect(feed.results.length).toBe(1));
    let ended: unknown = 'still open';
    void feed.ended.then((how) => {
      ended = how;
    });
    await eventually(() => expect(ended).toBe('complete'));
    expect(feed.results.map((result) => (result.errors ? errorCodes(result)[0] : 'count'))).toEqual([
      'count',
      'UNAUTHENTICATED',
    ]);
    await eventually(() => expect(service.app.onlineCount.openFeeds).toBe(0));
  });

  it('a token valid for an hour keeps its subscription (the positive control)', async () => {
    const token = await service.token({ role: 'admin', subject: 'long-lived' });
    const socket = openSocket(service.url, token);
    try {
      const feed = socket.subscribe(SUBSCRIPTION);
      await eventually(() => expect(feed.results.length).toBe(1));
      await service.run(TrackLogin, { playerId: 'p1' });
      await eventually(() => expect(feed.results.at(-1)).toEqual({ data: { onlinePlayerCount: 1 } }));
      expect(feed.results.every((result) => !result.errors)).toBe(true);
    } finally {
      await socket.client.dispose();
    }
  });
});

describe('subscription caps', () => {
  it('MAX_SUBSCRIPTIONS_PER_SOCKET=3: the 4th on one socket gets TOO_MANY_SUBSCRIPTIONS; the others and the socket carry on', async () => {
    const socket = openSocket(service.url, await service.token({ role: 'admin', subject: 'dashboard' }));
    try {
      const feeds = [socket.subscribe(SUBSCRIPTION), socket.subscribe(SUBSCRIPTION), socket.subscribe(SUBSCRIPTION)];
      await eventually(() => expect(feeds.every((feed) => feed.results.length === 1)).toBe(true));
      const refused = socket.subscribe(SUBSCRIPTION);
      expect(errorCodes((await refused.ended) as Outcome)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
      expect(socket.closeCode()).toBeUndefined();
      await service.run(TrackLogin, { playerId: 'p1' });
      await eventually(() =>
        expect(feeds.every((feed) => feed.results.at(-1)?.data?.['onlinePlayerCount'] === 1)).toBe(true),
      );
      // Completing one makes room for another.
      feeds[0]!.stop();
      await eventually(async () => expect((await socket.first(SUBSCRIPTION)).data).toEqual({ onlinePlayerCount: 1 }));
    } finally {
      await socket.client.dispose();
    }
  });

  it('MAX_SUBSCRIPTIONS=5 on the instance, SSE and graphql-ws together', async () => {
    const token = await service.token({ role: 'admin', subject: 'wall' });
    const sockets = [openSocket(service.url, token), openSocket(service.url, token)];
    const sse = [sseSubscription(token), sseSubscription(token)];
    try {
      const ws = [
        sockets[0]!.subscribe(SUBSCRIPTION),
        sockets[0]!.subscribe(SUBSCRIPTION),
        sockets[1]!.subscribe(SUBSCRIPTION),
      ];
      await eventually(() => expect([...ws, ...sse].every((feed) => feed.results.length === 1)).toBe(true));
      expect(service.app.onlineCount.openFeeds).toBe(5);
      // Refused by the instance-wide cap: one result with the error, then complete.
      const refused = sockets[1]!.subscribe(SUBSCRIPTION);
      expect(await refused.ended).toBe('complete');
      expect(refused.results.map(errorCodes)).toEqual([['TOO_MANY_SUBSCRIPTIONS']]);
      const overSse = sseSubscription(token);
      await eventually(() => expect(overSse.results.length).toBe(1));
      expect(errorCodes(overSse.results[0]!)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
      overSse.stop();
      // One ends; a new one is let in.
      ws[0]!.stop();
      await eventually(() => expect(service.app.onlineCount.openFeeds).toBe(4));
      await eventually(async () =>
        expect((await sockets[1]!.first(SUBSCRIPTION)).data).toEqual({ onlinePlayerCount: 0 }),
      );
    } finally {
      for (const feed of sse) feed.stop();
      await Promise.all(sockets.map((socket) => socket.client.dispose()));
    }
  });
});

describe('Content-Length', () => {
  it('anything but one plain integer is refused with 400 and never reaches GraphQL (request smuggling)', async () => {
    const { port } = new URL(service.url);
    const body = '{"query":"{ __typename }"}';
    const statusFor = (contentLength: string) =>
      new Promise<string>((resolve) => {
        let received = '';
        const socket = connect(Number(port), '127.0.0.1', () =>
          socket.write(
            `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\nConnection: close\r\n\r\n${body}`,
          ),
        );
        socket.on('data', (chunk) => (received += chunk.toString()));
        socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
        socket.on('error', () => {});
      });
    expect(await statusFor(String(body.length))).toBe('HTTP/1.1 200 OK');
    for (const invalid of [
      `+${body.length}`,
      `${body.length}, ${body.length}`,
      `0x${body.length.toString(16)}`,
      '-1',
    ]) {
      expect(await statusFor(invalid), invalid).toBe('HTTP/1.1 400 Bad Request');
    }
  });
});

describe('REQUEST_TIMEOUT_MS=1000', () => {
  it('a body that stops arriving gets 408 and the connection is closed', async () => {
    const { port } = new URL(service.url);
    const outcome = await new Promise<{ status: string; closed: boolean }>((resolve) => {
      let received = '';
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":',
        );
      });
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('close', () => resolve({ status: received.split('\r\n')[0] ?? '', closed: true }));
      socket.on('error', () => {});
    });
    expect(outcome).toEqual({ status: 'HTTP/1.1 408 Request Timeout', closed: true });
  });

  it('a whole request is served as usual', async () => {
    const response = await fetch(service.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await service.token({ role: 'admin', subject: 'a' })}`,
      },
      body: JSON.stringify({ query: '{ onlinePlayerCount }' }),
    });
    expect(await response.json()).toEqual({ data: { onlinePlayerCount: 0 } });
  });
});
