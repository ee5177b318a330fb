import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ExecutionResult, parse, print } from 'graphql';
import { createClient } from 'graphql-ws';
import type { Redis } from 'ioredis';
import { type JWTPayload, SignJWT } from 'jose';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { startTestService, TEST_JWT_SECRET, type TestService, type TestServiceOptions } from './harness.ts';
import { OnlineCountChanges, TrackActivity, TrackLogin, TrackLogout } from './operations.ts';
import { dumpRedis } from './redis-dump.ts';

/**
 * Shared by the security-*.test.ts files (issue 3, end to end): callers and
 * their tokens, raw requests, one call per transport, and documents built to
 * a size. Service-bound helpers come from `securityKit(service)`.
 */

export const NOW = '2026-11-23T22:00:00.000Z';
export const OWN = 'p-1';
export const OTHER = 'p-2';
export const ANOTHER_SECRET = 'a-different-secret-that-is-also-32-chars-long';

export type AnyDocument = TypedDocumentNode<Record<string, unknown>, Record<string, unknown>>;
export const anyDocument = (document: unknown) => document as AnyDocument;
export const gql = (source: string) => parse(source) as AnyDocument;
export const NO_VARIABLES: Record<string, unknown> = {};

export const bytes = (secret: string) => new TextEncoder().encode(secret);
export const bearer = (token: string) => `Bearer ${token}`;

/** An HS256 token with exactly these claims (none added), for claims mintToken would never write. */
export function hs256(
  claims: JWTPayload,
  { secret = TEST_JWT_SECRET, expiresIn = '1h' as string | null, alg = 'HS256' } = {},
) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).setIssuedAt();
  if (expiresIn !== null) jwt.setExpirationTime(expiresIn);
  return jwt.sign(bytes(secret));
}

export async function expectOk<T extends ExecutionResult<unknown>>(pending: Promise<T>): Promise<T> {
  const result = await pending;
  expect(result.errors).toBeUndefined();
  return result;
}

/** `count` aliases of one selection. */
export const aliases = (count: number, selection: string) =>
  Array.from({ length: count }, (_, i) => `a${i}: ${selection}`).join('\n');

/**
 * A valid document `depth` fields deep: `{ __type(name: "Query") { fields { type { ofType { … { name } } } } } }`
 * (only `__schema` is exempt from the depth limit, not `__type`).
 */
export const nested = (depth: number) => {
  const inner = Array.from({ length: depth - 4 }, () => 'ofType').reduceRight(
    (body, field) => `${field} { ${body} }`,
    'name',
  );
  return `{ __type(name: "Query") { fields { type { ${inner} } } } }`;
};

/** A trackActivity whose details literal has `entries` keys: 3 tokens each. */
export const bigDetails = (entries: number) =>
  `mutation { trackActivity(playerId: "${OWN}", eventType: DOCK, details: { ${Array.from({ length: entries }, (_, i) => `k${i}: ${i}`).join(' ')} }) { event { eventType } } }`;

/** The helpers that act on one test service (the one of `useTestService`). */
export function securityKit(service: TestService) {
  /** Seeded keys get a TTL of 10,000 s (see `seed`); TTLs in minutes, so the clock ticking is no change. */
  const dump = (redis: Redis = service.redis) => dumpRedis(redis, { ttlIn: 'minutes' });

  /** Two players with everything the service stores: sessions, events, summaries, daily records, the online set. */
  async function seed() {
    for (const playerId of [OWN, OTHER]) {
      await expectOk(service.run(TrackLogin, { playerId }));
      await expectOk(service.run(TrackActivity, { playerId, eventType: 'SECTOR_MOVE', details: { sector_id: 7 } }));
      await expectOk(service.run(TrackActivity, { playerId, eventType: 'TRADE_BUY', details: { total_value: 10 } }));
      await expectOk(service.run(TrackLogout, { playerId }));
      await expectOk(service.run(TrackLogin, { playerId }));
      await expectOk(service.run(TrackActivity, { playerId, eventType: 'DOCK' }));
    }
    for (const key of await service.redis.keys('*')) {
      if ((await service.redis.ttl(key)) > 0) await service.redis.expire(key, 10_000);
    }
  }

  /** A raw request through yoga.fetch (in-process). */
  async function request(init: RequestInit & { path?: string } = {}) {
    const response = await service.app.yoga.fetch(`http://yoga${init.path ?? '/graphql'}`, init);
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
  }

  /** A JSON POST through yoga.fetch; `authorization` is sent as given (not prefixed). */
  async function post(payload: { query: string; variables?: Record<string, unknown> }, authorization?: string) {
    const response = await request({
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
      body: JSON.stringify(payload),
    });
    return { status: response.status, body: JSON.parse(response.text) as ExecutionResult<Record<string, unknown>> };
  }

  const serviceToken = () => service.token({ role: 'service', subject: 'game-server' });
  const adminToken = () => service.token({ role: 'admin', subject: 'admin-ui' });
  const playerToken = (playerId = OWN) => service.token({ role: 'player', playerId });

  /** A second API instance on this file's Redis, with other settings; stopped by the caller. */
  const startVariant = (env: TestServiceOptions['env']) =>
    startTestService({ redisServer: service.redisServer, env: { LOG_LEVEL: 'silent', ...env } });

  /** The first thing a subscription delivers (a value or the errors), over SSE on the real port. */
  async function firstOverSse(token: string | null, url = service.url): Promise<ExecutionResult> {
    const executor = buildHTTPExecutor({
      endpoint: url,
      headers: { 'x-graphql-yoga-csrf': '1', ...(token === null ? {} : { authorization: bearer(token) }) },
    });
    const result = await executor({ document: OnlineCountChanges });
    if (!(Symbol.asyncIterator in result)) return result;
    const iterator = result[Symbol.asyncIterator]();
    try {
      return (await iterator.next()).value as ExecutionResult;
    } finally {
      await iterator.return?.();
    }
  }

  /** The same over graphql-ws, the token in the connection_init payload. */
  async function firstOverWs(token: string | null, url = service.url): Promise<ExecutionResult> {
    const client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: token === null ? {} : { authorization: bearer(token) },
    });
    const iterator = client.iterate({ query: print(OnlineCountChanges) });
    try {
      return (await iterator.next()).value as ExecutionResult;
    } catch (error) {
      // graphql-ws hands errors sent before any value over as a rejection.
      if (Array.isArray(error)) return { errors: error } as ExecutionResult;
      throw error;
    } finally {
      await iterator.return?.();
      await client.dispose();
    }
  }

  /**
   * One query or mutation over graphql-ws: its result, the errors it was
   * refused with, or the close code when the server dropped the connection.
   */
  async function overWs(
    token: string | null,
    payload: { query: string; variables?: Record<string, unknown> },
    url = service.url,
  ): Promise<ExecutionResult & { closeCode?: number }> {
    const client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: token === null ? {} : { authorization: bearer(token) },
    });
    try {
      return await new Promise((resolve, reject) => {
        let result: ExecutionResult = {};
        client.subscribe(payload, {
          next: (value) => (result = value as ExecutionResult),
          complete: () => resolve(result),
          error: (error) => {
            if (Array.isArray(error)) resolve({ errors: error });
            else if (typeof error === 'object' && error !== null && 'code' in error)
              resolve({ closeCode: Number(error.code) });
            else reject(error);
          },
        });
      });
    } finally {
      await client.dispose();
    }
  }

  return {
    dump,
    seed,
    request,
    post,
    serviceToken,
    adminToken,
    playerToken,
    startVariant,
    firstOverSse,
    firstOverWs,
    overWs,
  };
}
