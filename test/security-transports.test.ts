import { beforeEach, describe, expect, it } from 'vitest';
import { mintToken } from '../src/auth.ts';
import { errorCodes, TEST_JWT_SECRET, useTestService } from './support/harness.ts';
import { TrackLogin } from './support/operations.ts';
import { ANOTHER_SECRET, bearer, expectOk, hs256, NOW, OTHER, OWN, securityKit } from './support/security.ts';

/**
 * Issue 3 on every transport: subscriptions over SSE and graphql-ws,
 * queries and mutations over graphql-ws, request size limits and CSRF
 * prevention over HTTP.
 */

const service = useTestService({}, NOW);
const { dump, request, serviceToken, adminToken, playerToken, firstOverSse, firstOverWs, overWs } =
  securityKit(service);

describe.each([
  ['SSE', firstOverSse],
  ['graphql-ws', firstOverWs],
] as const)('the onlinePlayerCount subscription over %s is authorized when it starts', (_transport, first) => {
  beforeEach(async () => {
    await expectOk(service.run(TrackLogin, { playerId: OWN }));
    await expectOk(service.run(TrackLogin, { playerId: OTHER }));
  });

  it.each<[string, () => Promise<string | null>]>([
    ['no token', async () => null],
    ['a forged token', () => mintToken(ANOTHER_SECRET, { role: 'admin' })],
    ['an expired token', () => mintToken(TEST_JWT_SECRET, { role: 'admin', expiresIn: '-1m' })],
    ['a token without a role', () => hs256({ sub: 'someone' })],
  ])('refuses %s with UNAUTHENTICATED', async (_name, token) => {
    const result = await first(await token());
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.data ?? null).toBeNull();
  });

  it.each<[string, () => Promise<string>]>([
    ['player', () => playerToken(OWN)],
    ['service', serviceToken],
    ['admin', adminToken],
  ])('sends the current count to a %s token', async (_role, token) => {
    expect(await first(await token())).toEqual({ data: { onlinePlayerCount: 2 } });
  });
});

describe('graphql-ws queries and mutations', () => {
  const login = (playerId: string) => `mutation { trackLogin(playerId: "${playerId}") { playerId } }`;

  it('are authorized like HTTP ones (the token from connection_init)', async () => {
    expect(errorCodes(await overWs(null, { query: login(OTHER) }))).toEqual(['UNAUTHENTICATED']);
    expect(
      errorCodes(await overWs(await mintToken(ANOTHER_SECRET, { role: 'service' }), { query: login(OTHER) })),
    ).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await overWs(await playerToken(OWN), { query: login(OTHER) }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await overWs(await adminToken(), { query: login(OTHER) }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await overWs(await playerToken(OWN), { query: '{ onlinePlayerIds { playerIds } }' }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(await dump()).toEqual({});
    expect(await overWs(await playerToken(OWN), { query: '{ onlinePlayerCount }' })).toEqual({
      data: { onlinePlayerCount: 0 },
    });
    expect(await overWs(await playerToken(OWN), { query: login(OWN) })).toEqual({
      data: { trackLogin: { playerId: OWN } },
    });
  });

  // ws' own limit is 100 MiB; the service sets it to MAX_REQUEST_BYTES.
  it('refuse a message over MAX_REQUEST_BYTES (the connection is closed with 1009)', async () => {
    const outcome = await overWs(await adminToken(), {
      query: '{ onlinePlayerCount }',
      variables: { padding: 'x'.repeat(2 * service.config.limits.maxRequestBytes) },
    });
    expect(outcome.data ?? null).toBeNull();
    expect(outcome.closeCode).toBe(1009);
  });
});

describe('request limits', () => {
  const MAX = 1024 * 1024;
  const oversized = JSON.stringify({ query: '{ onlinePlayerCount }', variables: { padding: 'x'.repeat(MAX) } });

  it('MAX_REQUEST_BYTES defaults to 1 MiB', () => {
    expect(service.config.limits.maxRequestBytes).toBe(MAX);
  });

  it('a body over 1 MiB gets 413 on the real port', async () => {
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: bearer(await adminToken()) },
      body: oversized,
    });
    expect(response.status).toBe(413);
    await response.arrayBuffer();
  });

  it('a body over 1 MiB without a content-length (chunked) gets 413 too', async () => {
    const chunk = new TextEncoder().encode(oversized);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < chunk.length; offset += 64 * 1024)
          controller.enqueue(chunk.subarray(offset, offset + 64 * 1024));
        controller.close();
      },
    });
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: bearer(await adminToken()) },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    await response.arrayBuffer();
  });

  it('takes no batched (array) requests, which would multiply every per-document limit', async () => {
    const response = await request({
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: bearer(await serviceToken()) },
      body: JSON.stringify([
        { query: `mutation { trackLogin(playerId: "${OWN}") { playerId } }` },
        { query: `mutation { trackLogin(playerId: "${OTHER}") { playerId } }` },
      ]),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await dump()).toEqual({});
  });

  it('a body just under the limit is served', async () => {
    const padding = 'x'.repeat(MAX - 200);
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: bearer(await adminToken()) },
      body: JSON.stringify({ query: '{ onlinePlayerCount }', variables: { padding } }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { onlinePlayerCount: 0 } });
  });
});

describe('CSRF prevention', () => {
  const GET_COUNT = `/graphql?query=${encodeURIComponent('{ onlinePlayerCount }')}`;

  it('refuses a GET without the x-graphql-yoga-csrf header (403), serves it with the header', async () => {
    const authorization = bearer(await adminToken());
    const refused = await request({ path: GET_COUNT, headers: { authorization, accept: 'application/json' } });
    expect(refused.status).toBe(403);
    expect(refused.text).toMatch(/CSRF/);
    expect(refused.text).not.toContain('onlinePlayerCount":');

    const served = await request({
      path: GET_COUNT,
      headers: { authorization, accept: 'application/json', 'x-graphql-yoga-csrf': '1' },
    });
    expect(served.status).toBe(200);
    expect(JSON.parse(served.text)).toEqual({ data: { onlinePlayerCount: 0 } });
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'refuses a POST with content-type %s (403) and writes nothing',
    async (contentType) => {
      const response = await request({
        method: 'POST',
        headers: { 'content-type': contentType, authorization: bearer(await serviceToken()) },
        body: JSON.stringify({ query: `mutation { trackLogin(playerId: "${OWN}") { playerId } }` }),
      });
      expect(response.status).toBe(403);
      expect(response.text).toMatch(/CSRF/);
      expect(await dump()).toEqual({});
    },
  );

  it('never runs a mutation sent as GET, even with the CSRF header', async () => {
    const response = await request({
      path: `/graphql?query=${encodeURIComponent(`mutation { trackLogin(playerId: "${OWN}") { playerId } }`)}`,
      headers: { authorization: bearer(await serviceToken()), accept: 'application/json', 'x-graphql-yoga-csrf': '1' },
    });
    expect(response.status).toBe(405);
    expect(await dump()).toEqual({});
  });
});
