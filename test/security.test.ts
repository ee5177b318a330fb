import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse, print, type ExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { Redis } from 'ioredis';
import { mintToken } from '../src/auth.ts';
import { DOCUMENT_LIMITS } from '../src/protections.ts';
import { freePort, LocalRedisServer } from '../src/redis-server.ts';
import { schema } from '../src/schema/index.ts';
import { errorCodes, startTestService, TEST_JWT_SECRET, type TestService, type TestServiceOptions, useTestService } from './support/harness.ts';
import { startMain } from './support/main-process.ts';
import { dumpRedis } from './support/redis-dump.ts';
import {
  DailyStats,
  OnlineCountChanges,
  PlayerSession,
  PlayerSummary,
  RecentEvents,
  TrackActivities,
  TrackActivity,
  TrackHeartbeat,
  TrackLogin,
  TrackLogout,
} from './support/operations.ts';

/**
 * Issue 3, end to end: who may call what (the matrix), bad tokens, JWKS
 * keys, subscriptions over SSE and graphql-ws, production defaults, and the
 * abuse limits. Every refused call is shown to have written nothing.
 */

const NOW = '2026-11-23T22:00:00.000Z';
const service = useTestService({}, NOW);

// ---------------------------------------------------------------- helpers

/** Seeded keys get a TTL of 10,000 s (see `seed`); TTLs in minutes, so the clock ticking is no change. */
const dump = (redis = service.redis) => dumpRedis(redis, { ttlIn: 'minutes' });

const OWN = 'p-1';
const OTHER = 'p-2';
const ANOTHER_SECRET = 'a-different-secret-that-is-also-32-chars-long';

type AnyDocument = TypedDocumentNode<Record<string, unknown>, Record<string, unknown>>;
const anyDocument = (document: unknown) => document as AnyDocument;
const gql = (source: string) => parse(source) as AnyDocument;
const NO_VARIABLES: Record<string, unknown> = {};

const bytes = (secret: string) => new TextEncoder().encode(secret);
const bearer = (token: string) => `Bearer ${token}`;

/** An HS256 token with exactly these claims (none added), for claims mintToken would never write. */
function hs256(claims: JWTPayload, { secret = TEST_JWT_SECRET, expiresIn = '1h' as string | null, alg = 'HS256' } = {}) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).setIssuedAt();
  if (expiresIn !== null) jwt.setExpirationTime(expiresIn);
  return jwt.sign(bytes(secret));
}


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

async function expectOk<T extends ExecutionResult<unknown>>(pending: Promise<T>): Promise<T> {
  const result = await pending;
  expect(result.errors).toBeUndefined();
  return result;
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
          else if (typeof error === 'object' && error !== null && 'code' in error) resolve({ closeCode: Number(error.code) });
          else reject(error);
        },
      });
    });
  } finally {
    await client.dispose();
  }
}

/** `count` aliases of one selection. */
const aliases = (count: number, selection: string) => Array.from({ length: count }, (_, i) => `a${i}: ${selection}`).join('\n');

/**
 * A valid document `depth` fields deep: `{ __type(name: "Query") { fields { type { ofType { … { name } } } } } }`
 * (only `__schema` is exempt from the depth limit, not `__type`).
 */
const nested = (depth: number) => {
  const inner = Array.from({ length: depth - 4 }, () => 'ofType').reduceRight((body, field) => `${field} { ${body} }`, 'name');
  return `{ __type(name: "Query") { fields { type { ${inner} } } } }`;
};

/** A trackActivity whose details literal has `entries` keys: 3 tokens each. */
const bigDetails = (entries: number) =>
  `mutation { trackActivity(playerId: "${OWN}", eventType: DOCK, details: { ${Array.from({ length: entries }, (_, i) => `k${i}: ${i}`).join(' ')} }) { event { eventType } } }`;


// ------------------------------------------------- the authorization matrix

type Outcome = 'ok' | 'FORBIDDEN' | 'UNAUTHENTICATED';
type Kind = 'tracking' | 'read' | 'online count' | 'online ids';
type CallerName = 'player on own id' | 'player on another id' | 'player' | 'service' | 'admin' | 'no token';

interface Operation {
  field: string;
  kind: Kind;
  document: AnyDocument;
  variables(playerId: string): Record<string, unknown>;
}

const schemaHas = (type: 'query' | 'mutation', field: string) =>
  (type === 'query' ? schema.getQueryType() : schema.getMutationType())?.getFields()[field] !== undefined;

const OPERATIONS: Operation[] = [
  { field: 'trackLogin', kind: 'tracking', document: anyDocument(TrackLogin), variables: (playerId) => ({ playerId }) },
  {
    field: 'trackActivity',
    kind: 'tracking',
    document: anyDocument(TrackActivity),
    variables: (playerId) => ({ playerId, eventType: 'TRADE_BUY', details: { total_value: 5 } }),
  },
  {
    field: 'trackActivities',
    kind: 'tracking',
    document: anyDocument(TrackActivities),
    variables: (playerId) => ({ events: [{ playerId, eventType: 'WARP' }] }),
  },
  { field: 'trackLogout', kind: 'tracking', document: anyDocument(TrackLogout), variables: (playerId) => ({ playerId }) },
  ...(schemaHas('mutation', 'trackHeartbeat')
    ? [{ field: 'trackHeartbeat', kind: 'tracking' as const, document: anyDocument(TrackHeartbeat), variables: (playerId: string) => ({ playerId }) }]
    : []),
  { field: 'playerSession', kind: 'read', document: anyDocument(PlayerSession), variables: (playerId) => ({ playerId }) },
  { field: 'playerSummary', kind: 'read', document: anyDocument(PlayerSummary), variables: (playerId) => ({ playerId }) },
  { field: 'recentEvents', kind: 'read', document: anyDocument(RecentEvents), variables: (playerId) => ({ playerId, limit: 10 }) },
  {
    field: 'dailyStats',
    kind: 'read',
    document: anyDocument(DailyStats),
    variables: (playerId) => ({ playerId, date: '2026-11-23' }),
  },
  { field: 'onlinePlayerCount', kind: 'online count', document: gql('query Count { onlinePlayerCount }'), variables: () => ({}) },
  { field: 'onlinePlayerIds', kind: 'online ids', document: gql('query Ids { onlinePlayerIds { playerIds } }'), variables: () => ({}) },
];

/** The issue's table. Operations without a player argument have one "player" column. */
const EXPECTED: Record<Kind, Partial<Record<CallerName, Outcome>>> = {
  tracking: {
    'player on own id': 'ok',
    'player on another id': 'FORBIDDEN',
    service: 'ok',
    admin: 'FORBIDDEN',
    'no token': 'UNAUTHENTICATED',
  },
  read: {
    'player on own id': 'ok',
    'player on another id': 'FORBIDDEN',
    service: 'ok',
    admin: 'ok',
    'no token': 'UNAUTHENTICATED',
  },
  'online count': { player: 'ok', service: 'ok', admin: 'ok', 'no token': 'UNAUTHENTICATED' },
  'online ids': { player: 'FORBIDDEN', service: 'ok', admin: 'ok', 'no token': 'UNAUTHENTICATED' },
};

/** Each caller's token (player p-1 throughout) and the player id it acts on. */
const CALLERS: Record<CallerName, { token: () => Promise<string | null>; target: string }> = {
  'player on own id': { token: () => playerToken(OWN), target: OWN },
  'player on another id': { token: () => playerToken(OWN), target: OTHER },
  player: { token: () => playerToken(OWN), target: OWN },
  service: { token: serviceToken, target: OTHER },
  admin: { token: adminToken, target: OTHER },
  'no token': { token: async () => null, target: OWN },
};

const MATRIX = OPERATIONS.flatMap((operation) =>
  Object.entries(EXPECTED[operation.kind]).map(([caller, outcome]) => ({
    field: operation.field,
    caller: caller as CallerName,
    outcome,
    operation,
  })),
);

describe(`authorization matrix (${MATRIX.length} cases)`, () => {
  beforeEach(seed);

  it('covers every query and mutation of the schema', () => {
    const rootFields = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
    ];
    expect(OPERATIONS.map((operation) => operation.field).sort()).toEqual(rootFields.sort());
  });

  it.each(MATRIX)('$field as $caller → $outcome', async ({ field, caller, outcome, operation }) => {
    const { token, target } = CALLERS[caller];
    const before = await dump();

    const result = await service.as(await token()).run(operation.document, operation.variables(target));

    const after = await dump();
    if (outcome === 'ok') {
      expect(result.errors).toBeUndefined();
      expect(result.data).toHaveProperty(field);
      // The positive control of "wrote nothing": allowed tracking calls do write, reads never do.
      if (operation.kind === 'tracking') expect(after).not.toEqual(before);
      else expect(after).toEqual(before);
    } else {
      expect(errorCodes(result)).toEqual([outcome]);
      expect(result.data?.[field] ?? null).toBeNull(); // nothing read leaks out either
      expect(after).toEqual(before);
    }
  });
});

// ------------------------------------------------------------ bad tokens

describe('a bad token is UNAUTHENTICATED and writes nothing', () => {
  const BAD_TOKENS: [string, () => Promise<string>, RegExp][] = [
    ['expired', async () => bearer(await mintToken(TEST_JWT_SECRET, { role: 'admin', expiresIn: '-1m' })), /expired/i],
    ['forged (signed with another secret)', async () => bearer(await mintToken(ANOTHER_SECRET, { role: 'service' })), /not valid/],
    ['without a role claim', async () => bearer(await hs256({ sub: 'someone' })), /role/],
    ["with an unknown role ('superuser')", async () => bearer(await hs256({ sub: 'someone', role: 'superuser' })), /role/],
    ['a player token without player_id', async () => bearer(await hs256({ sub: OWN, role: 'player' })), /player_id/],
    ['a player token whose player_id is not a string', async () => bearer(await hs256({ sub: OWN, role: 'player', player_id: 1 })), /player_id/],
    ['without an exp claim', async () => bearer(await hs256({ sub: 'someone', role: 'admin' }, { expiresIn: null })), /exp/],
    ['not yet valid (nbf in an hour)', async () => bearer(await new SignJWT({ sub: 'someone', role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setNotBefore('1h').setExpirationTime('2h').sign(bytes(TEST_JWT_SECRET))), /nbf/],
    ['not a JWT (Bearer abc)', async () => 'Bearer abc', /not valid/],
    ['an empty bearer (Bearer )', async () => 'Bearer ', /Bearer/],
    ['in the wrong scheme (Basic …)', async () => `Basic ${Buffer.from('admin:hunter2').toString('base64')}`, /Bearer/],
    ['a raw token without "Bearer"', async () => mintToken(TEST_JWT_SECRET, { role: 'admin' }), /Bearer/],
    ['unsecured (alg: none)', async () => bearer(new UnsecuredJWT({ role: 'admin' }).setSubject('someone').setIssuedAt().setExpirationTime('1h').encode()), /not valid/],
    ['HS512 with the right secret (only HS256 accepted)', async () => bearer(await hs256({ sub: 'someone', role: 'admin' }, { alg: 'HS512' })), /not valid/],
    ['RS256 while only a secret is configured', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      return bearer(await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'RS256' }).setSubject('someone').setExpirationTime('1h').sign(privateKey));
    }, /not valid/],
  ];

  beforeEach(seed);

  it.each(BAD_TOKENS)('%s', async (_name, authorization, message) => {
    const header = await authorization();
    const before = await dump();

    const mutation = await post({ query: `mutation { trackLogin(playerId: "${OWN}") { playerId } }` }, header);
    const query = await post({ query: '{ onlinePlayerCount }' }, header); // open to every role, not to anyone

    for (const { body } of [mutation, query]) {
      expect(errorCodes(body)).toEqual(['UNAUTHENTICATED']);
      expect(body.errors?.[0]?.message).toMatch(message);
      expect(body.data ?? null).toBeNull();
    }
    expect(await dump()).toEqual(before);
  });

  it('no token at all asks for one', async () => {
    const { body } = await post({ query: '{ onlinePlayerCount }' });
    expect(errorCodes(body)).toEqual(['UNAUTHENTICATED']);
    expect(body.errors?.[0]?.message).toMatch(/bearer token is required/i);
  });
});

// ----------------------------------------------------------------- JWKS

describe('tokens from a JWKS (JWT_JWKS_URL, RS256 and ES256, with JWT_ISSUER and JWT_AUDIENCE)', () => {
  const ISSUER = 'https://auth.example';
  const AUDIENCE = 'player-activity';
  type Pair = Awaited<ReturnType<typeof generateKeyPair>>;
  let rsa: Pair;
  let ec: Pair;
  let stranger: Pair;
  let jwksServer: ReturnType<typeof createServer>;
  let jwksService: TestService;

  beforeAll(async () => {
    [rsa, ec, stranger] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('ES256'), generateKeyPair('RS256')]);
    const jwks = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      ],
    };
    jwksServer = createServer((req, res) => {
      if (req.url === '/jwks.json') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    jwksService = await startVariant({
      JWT_SECRET: undefined, // a JWKS only: no shared secret at all
      JWT_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    });
  });
  afterAll(async () => {
    await jwksService?.stop();
    jwksServer?.closeAllConnections();
    await new Promise((resolve) => jwksServer?.close(resolve));
  });

  interface Signing {
    key: Pair['privateKey'] | Uint8Array;
    alg: string;
    kid?: string;
  }
  const RSA = (): Signing => ({ key: rsa.privateKey, alg: 'RS256', kid: 'rsa-1' });
  const EC = (): Signing => ({ key: ec.privateKey, alg: 'ES256', kid: 'ec-1' });

  function sign(
    { key, alg, kid }: Signing,
    claims: JWTPayload,
    { issuer = ISSUER as string | null, audience = AUDIENCE as string | null, expiresIn = '1h' } = {},
  ) {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
      .setSubject(String(claims['player_id'] ?? 'auth-user'))
      .setIssuedAt()
      .setExpirationTime(expiresIn);
    if (issuer !== null) jwt.setIssuer(issuer);
    if (audience !== null) jwt.setAudience(audience);
    return jwt.sign(key);
  }

  const run = async (token: string, query: string) => {
    const response = await jwksService.app.yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: bearer(token) },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as ExecutionResult<Record<string, unknown>>;
  };

  it.each([
    ['RS256', RSA],
    ['ES256', EC],
  ])('accepts %s tokens with the right iss and aud, for every role', async (_alg, signing) => {
    const admin = await run(await sign(signing(), { role: 'admin' }), '{ onlinePlayerIds { playerIds } }');
    expect(admin).toEqual({ data: { onlinePlayerIds: { playerIds: [] } } });
    const player = await run(await sign(signing(), { role: 'player', player_id: OWN }), `mutation { trackLogin(playerId: "${OWN}") { playerId } }`);
    expect(player).toEqual({ data: { trackLogin: { playerId: OWN } } });
    const stranger = await run(await sign(signing(), { role: 'player', player_id: OWN }), `mutation { trackLogin(playerId: "${OTHER}") { playerId } }`);
    expect(errorCodes(stranger)).toEqual(['FORBIDDEN']);
    const gameServer = await run(await sign(signing(), { role: 'service' }), `mutation { trackLogout(playerId: "${OWN}") { playerId } }`);
    expect(gameServer).toEqual({ data: { trackLogout: { playerId: OWN } } });
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['RS256 with the wrong iss', () => sign(RSA(), { role: 'admin' }, { issuer: 'https://evil.example' }), /iss/],
    ['ES256 with the wrong aud', () => sign(EC(), { role: 'admin' }, { audience: 'another-api' }), /aud/],
    ['RS256 without iss', () => sign(RSA(), { role: 'admin' }, { issuer: null }), /iss/],
    ['ES256 without aud', () => sign(EC(), { role: 'admin' }, { audience: null }), /aud/],
    ['RS256, expired', () => sign(RSA(), { role: 'admin' }, { expiresIn: '-1m' }), /expired/],
    ['RS256 signed by a key not in the JWKS (same kid)', () => sign({ key: stranger.privateKey, alg: 'RS256', kid: 'rsa-1' }, { role: 'admin' }), /not valid/],
    ['RS256 with a kid the JWKS does not have', () => sign({ key: rsa.privateKey, alg: 'RS256', kid: 'unknown' }, { role: 'admin' }), /not valid/],
    ['HS256 (no secret is configured)', () => sign({ key: bytes(TEST_JWT_SECRET), alg: 'HS256' }, { role: 'admin' }), /not valid/],
    ['HS256 keyed with the RSA public key (algorithm confusion)', async () => sign({ key: bytes(await exportSPKI(rsa.publicKey)), alg: 'HS256', kid: 'rsa-1' }, { role: 'admin' }), /not valid/],
    ['unsecured (alg: none)', async () => new UnsecuredJWT({ role: 'admin' }).setSubject('x').setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('1h').encode(), /not valid/],
    ['RS256, right iss and aud, but without a role', () => sign(RSA(), {}), /role/],
  ])('refuses %s with UNAUTHENTICATED', async (_name, token, message) => {
    const before = await dump(jwksService.redis);
    const read = await run(await token(), '{ onlinePlayerCount }');
    const write = await run(await token(), `mutation { trackLogin(playerId: "${OWN}") { playerId } }`);
    for (const result of [read, write]) {
      expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
      expect(result.errors?.[0]?.message).toMatch(message);
    }
    expect(await dump(jwksService.redis)).toEqual(before);
  });
});

// ------------------------------------------------------------ subscriptions

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
    expect(errorCodes(await overWs(await mintToken(ANOTHER_SECRET, { role: 'service' }), { query: login(OTHER) }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await overWs(await playerToken(OWN), { query: login(OTHER) }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await overWs(await adminToken(), { query: login(OTHER) }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await overWs(await playerToken(OWN), { query: '{ onlinePlayerIds { playerIds } }' }))).toEqual(['FORBIDDEN']);
    expect(await dump()).toEqual({});
    expect(await overWs(await playerToken(OWN), { query: '{ onlinePlayerCount }' })).toEqual({ data: { onlinePlayerCount: 0 } });
    expect(await overWs(await playerToken(OWN), { query: login(OWN) })).toEqual({ data: { trackLogin: { playerId: OWN } } });
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

// --------------------------------------------------------------- production

describe('secure by default', () => {
  let redisServer: LocalRedisServer;
  beforeAll(async () => {
    redisServer = await LocalRedisServer.start();
  });
  afterAll(async () => {
    await redisServer?.stop();
  });

  it('refuses to start in production without JWT_SECRET or JWT_JWKS_URL, naming them', async () => {
    const main = startMain({ NODE_ENV: 'production', PORT: '0', REDIS_URL: redisServer.url });
    const [code] = await main.exited;
    expect(code).toBe(1);
    expect(main.output()).toContain('JWT_SECRET');
    expect(main.output()).toContain('JWT_JWKS_URL');
    expect(main.output()).not.toContain('listening');
  });

  it('outside production without any JWT setting, prints admin, service and player tokens that work', async () => {
    const port = await freePort();
    const main = startMain({ PORT: String(port), REDIS_URL: redisServer.url });
    try {
      await expect.poll(main.output, { timeout: 10_000 }).toContain(`listening on http://127.0.0.1:${port}/graphql`);
      const printed = (label: string) => {
        const jwt = new RegExp(`${label}:\\s+([\\w-]+\\.[\\w-]+\\.[\\w-]+)`).exec(main.output())?.[1];
        expect(jwt, `a token after "${label}:"`).toBeDefined();
        return jwt!;
      };
      const tokens = { admin: printed('admin'), service: printed('service'), player: printed('player \\(demo-player\\)') };
      const call = async (token: string, query: string) => {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: bearer(token) },
          body: JSON.stringify({ query }),
        });
        return (await response.json()) as ExecutionResult;
      };
      const before = (await call(tokens.admin, '{ onlinePlayerCount }')).data?.['onlinePlayerCount'] as number;
      expect(before).toEqual(expect.any(Number));
      expect(await call(tokens.player, 'mutation { trackLogin(playerId: "demo-player") { playerId } }')).toEqual({
        data: { trackLogin: { playerId: 'demo-player' } },
      });
      expect(errorCodes(await call(tokens.player, 'mutation { trackLogin(playerId: "someone-else") { playerId } }'))).toEqual(['FORBIDDEN']);
      expect(((await call(tokens.service, '{ onlinePlayerIds { playerIds } }')).data?.['onlinePlayerIds'] as { playerIds: string[] }).playerIds).toContain('demo-player');
      expect(await call(tokens.admin, '{ onlinePlayerCount }')).toEqual({ data: { onlinePlayerCount: before + 1 } });
      // The printed tokens are for this run's random secret only.
      expect(errorCodes(await call(await mintToken(TEST_JWT_SECRET, { role: 'admin' }), '{ onlinePlayerCount }'))).toEqual(['UNAUTHENTICATED']);
    } finally {
      main.child.kill('SIGTERM');
      await main.exited;
    }
  });

  const INTROSPECTION = '{ __schema { types { name } } }';
  const TYPE_LOOKUP = '{ __type(name: "Query") { name } }';

  it.each<[string, Record<string, string>, { introspection: boolean; graphiql: boolean }]>([
    ['NODE_ENV=production', { NODE_ENV: 'production' }, { introspection: false, graphiql: false }],
    ['NODE_ENV=production, GRAPHQL_INTROSPECTION=true', { NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' }, { introspection: true, graphiql: false }],
    ['NODE_ENV=production, GRAPHIQL=true', { NODE_ENV: 'production', GRAPHIQL: 'true' }, { introspection: false, graphiql: true }],
    ['outside production', {}, { introspection: true, graphiql: true }],
    ['outside production, GRAPHQL_INTROSPECTION=false, GRAPHIQL=false', { GRAPHQL_INTROSPECTION: 'false', GRAPHIQL: 'false' }, { introspection: false, graphiql: false }],
  ])('%s: introspection and GraphiQL as configured', async (_name, env, expected) => {
    const variant = await startVariant(env);
    try {
      const token = await variant.token({ role: 'admin' });
      for (const query of [INTROSPECTION, TYPE_LOOKUP]) {
        const result = await variant.as(token).run(gql(query), NO_VARIABLES);
        if (expected.introspection) {
          expect(result.errors).toBeUndefined();
          expect(result.data).toBeDefined();
        } else {
          expect(result.errors?.length).toBeGreaterThan(0);
          expect(result.data ?? undefined).toBeUndefined();
        }
      }
      // A browser opening the endpoint (no CSRF header: browsers do not send one).
      const page = await variant.app.yoga.fetch('http://yoga/graphql', { headers: { accept: 'text/html' } });
      const html = await page.text();
      const isGraphiQL = page.status === 200 && (page.headers.get('content-type') ?? '').includes('text/html') && /graphiql/i.test(html);
      expect(isGraphiQL).toBe(expected.graphiql);
    } finally {
      await variant.stop();
    }
  });

  it('hides field suggestions in production', async () => {
    const typo = '{ onlinePlayerCont }';
    const development = await post({ query: typo }, bearer(await adminToken()));
    expect(development.body.errors?.[0]?.message).toMatch(/Did you mean/);
    const production = await startVariant({ NODE_ENV: 'production' });
    try {
      const result = await production.as(await production.token({ role: 'admin' })).run(gql(typo), NO_VARIABLES);
      expect(result.errors?.length).toBeGreaterThan(0);
      expect(result.errors?.map((error) => error.message).join('\n')).not.toMatch(/Did you mean|onlinePlayerCount/);
    } finally {
      await production.stop();
    }
  });

  describe('a spawned process with NODE_ENV=development and LOG_LEVEL=trace', () => {
    let main: ReturnType<typeof startMain>;
    let url: string;
    let redis: Redis;
    beforeAll(async () => {
      const port = await freePort();
      url = `http://127.0.0.1:${port}/graphql`;
      main = startMain({
        NODE_ENV: 'development',
        LOG_LEVEL: 'trace',
        PORT: String(port),
        REDIS_URL: redisServer.url,
        JWT_SECRET: TEST_JWT_SECRET,
      });
      await vi.waitFor(() => expect(main.output()).toContain(`listening on ${url}`), { timeout: 10_000, interval: 50 });
      redis = new Redis(redisServer.url);
    });
    afterAll(async () => {
      redis?.disconnect();
      main?.child.kill('SIGTERM');
      await main?.exited;
    });

    const call = async (authorization: string | null, query: string, headers: Record<string, string> = {}) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization === null ? {} : { authorization }), ...headers },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as ExecutionResult;
    };

    // Yoga's maskError would add `extensions.originalError` under
    // NODE_ENV=development; the service turns that off.
    it('masks an unexpected error completely (no originalError, no Redis reply, no stack)', async () => {
      await redis.lpush('activity:summary:leak-probe', 'not a summary'); // a key of the wrong type: Redis answers WRONGTYPE
      const body = await call(bearer(await mintToken(TEST_JWT_SECRET, { role: 'admin' })), '{ playerSummary(playerId: "leak-probe") { totalSessions } }');
      expect(body.errors?.[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(body)).not.toMatch(/originalError|WRONGTYPE|stack|    at /);
    });

    it('never logs a token or an authorization header, whatever the caller sends', async () => {
      const tokens = [
        await mintToken(TEST_JWT_SECRET, { role: 'admin', subject: 'log-admin' }),
        await mintToken(TEST_JWT_SECRET, { role: 'player', playerId: 'log-player' }),
        await mintToken(TEST_JWT_SECRET, { role: 'service', subject: 'log-service' }),
        await mintToken(TEST_JWT_SECRET, { role: 'admin', expiresIn: '-1m' }),
        await mintToken(ANOTHER_SECRET, { role: 'admin' }),
      ];
      const [admin, player, gameServer] = tokens as [string, string, string];
      for (const token of tokens) {
        await call(bearer(token), '{ onlinePlayerCount }');
        await call(bearer(token), 'mutation { trackLogin(playerId: "log-player") { playerId } }');
      }
      await call(`Basic ${Buffer.from('admin:hunter2').toString('base64')}`, '{ onlinePlayerCount }');
      await call(bearer(admin), '{ playerSummary(playerId: "leak-probe") { totalSessions } }'); // a masked error, logged with its cause
      expect(await firstOverSse(player, url)).toEqual({ data: { onlinePlayerCount: expect.any(Number) } });
      expect(await firstOverWs(gameServer, url)).toEqual({ data: { onlinePlayerCount: expect.any(Number) } });
      expect(errorCodes(await overWs(tokens[4]!, { query: '{ onlinePlayerCount }' }, url))).toEqual(['UNAUTHENTICATED']);
      // The last request's log line shows everything before it has been written.
      await call(bearer(admin), '{ onlinePlayerCount }', { 'x-request-id': 'security-log-probe' });
      await vi.waitFor(() => expect(main.output()).toContain('security-log-probe'), { timeout: 5_000, interval: 20 });

      const logs = main.output();
      expect(logs).toContain('"level":20'); // debug lines were written
      for (const token of tokens) {
        expect(logs).not.toContain(token);
        expect(logs).not.toContain(token.split('.')[2]); // not even the signature
      }
      expect(logs).not.toMatch(/Bearer|Basic |hunter2|YWRtaW46aHVudGVyMg/);
    });
  });
});

// ------------------------------------------------------------ abuse limits

describe('document limits refuse a document before it runs', () => {
  const PARSE = 'GRAPHQL_PARSE_FAILED';
  const VALIDATION = 'GRAPHQL_VALIDATION_FAILED';
  const logins = (count: number) => `mutation { ${aliases(count, `trackLogin(playerId: "${OWN}") { playerId }`)} }`;
  /** A valid query 10 deep with `leaves` leaf fields at the bottom: each costs 1.5^9 ≈ 38 (graphql-armor's cost). */
  const costly = (leaves: number) => nested(DOCUMENT_LIMITS.maxDepth).replace('{ name }', `{ ${'name '.repeat(leaves)}}`);

  interface LimitCase {
    name: string;
    query: string;
    message: RegExp;
    /** The extensions.code the refusal should carry (README: "breaks a document limit"). */
    code: typeof PARSE | typeof VALIDATION;
  }
  const REFUSED: LimitCase[] = [
    { name: '2,000 aliased trackLogin calls', query: logins(2000), message: /Token limit of 5000 exceeded/, code: PARSE },
    { name: `${DOCUMENT_LIMITS.maxAliases + 1} aliased trackLogin calls`, query: logins(DOCUMENT_LIMITS.maxAliases + 1), message: /Aliases limit of 30 exceeded/, code: VALIDATION },
    { name: 'a trackActivity of over 5,000 tokens', query: bigDetails(1700), message: /Token limit of 5000 exceeded/, code: PARSE },
    { name: `a query nested ${DOCUMENT_LIMITS.maxDepth + 1} deep`, query: nested(DOCUMENT_LIMITS.maxDepth + 1), message: /depth limit of 10 exceeded/, code: VALIDATION },
    { name: 'a query nested 30 deep', query: nested(30), message: /(depth|Cost) limit of \d+ exceeded/, code: VALIDATION }, // cost trips first
    { name: 'a query costing over 5,000', query: costly(150), message: /Cost limit of 5000 exceeded/, code: VALIDATION },
  ];
  const WITHIN: [string, string][] = [
    [`${DOCUMENT_LIMITS.maxAliases} aliases`, `{ ${aliases(DOCUMENT_LIMITS.maxAliases, 'onlinePlayerCount')} }`],
    [`a query nested ${DOCUMENT_LIMITS.maxDepth} deep`, nested(DOCUMENT_LIMITS.maxDepth)],
    ['a query costing about 3,800', costly(100)],
    ['a trackActivity of about 3,600 tokens', bigDetails(1200)],
  ];

  describe('over HTTP', () => {
    it.each(REFUSED)('$name: refused, nothing runs', async ({ query, message }) => {
      const { body } = await post({ query }, bearer(await serviceToken()));
      expect(body.errors?.length).toBeGreaterThan(0);
      expect(body.errors?.map((error) => error.message).join('\n')).toMatch(message);
      expect(body.data ?? null).toBeNull();
      expect(await dump()).toEqual({});
    });

    it.each(REFUSED.filter(({ code }) => code === PARSE))('$name: the error carries $code', async ({ query, code }) => {
      const { body } = await post({ query }, bearer(await serviceToken()));
      expect(body.errors?.length).toBeGreaterThan(0);
      expect(errorCodes(body)).toEqual(body.errors?.map(() => code));
    });

    // graphql-armor's rules would throw out of validate() by default; the
    // service has them report ordinary validation errors instead.
    it.each(REFUSED.filter(({ code }) => code === VALIDATION))('$name: the error carries $code', async ({ query, code }) => {
      const { body } = await post({ query }, bearer(await serviceToken()));
      expect(body.errors?.length).toBeGreaterThan(0);
      expect(errorCodes(body)).toEqual(body.errors?.map(() => code));
    });

    it.each(WITHIN)('%s: within the limits', async (_name, query) => {
      const { body } = await post({ query }, bearer(await serviceToken()));
      expect(body.errors).toBeUndefined();
    });
  });

  describe('over graphql-ws', () => {
    it.each(REFUSED)('$name: refused, nothing runs', async ({ query }) => {
      const outcome = await overWs(await serviceToken(), { query });
      expect(outcome.data ?? null).toBeNull();
      expect(await dump()).toEqual({});
    });

    it.each(REFUSED.filter(({ code }) => code === PARSE))('$name: answered with the error, connection kept', async ({ query, message }) => {
      const outcome = await overWs(await serviceToken(), { query });
      expect(outcome.closeCode).toBeUndefined();
      expect(outcome.errors?.map((error) => (error as { message: string }).message).join('\n')).toMatch(message);
    });

    // Over graphql-ws the same refusal answers the operation and keeps the socket.
    it.each(REFUSED.filter(({ code }) => code === VALIDATION))('$name: answered with the error, connection kept', async ({ query, message }) => {
      const outcome = await overWs(await serviceToken(), { query });
      expect(outcome.closeCode).toBeUndefined();
      expect(outcome.errors?.map((error) => (error as { message: string }).message).join('\n')).toMatch(message);
    });

    it.each(WITHIN)('%s: within the limits', async (_name, query) => {
      const outcome = await overWs(await serviceToken(), { query });
      expect(outcome.errors).toBeUndefined();
      expect(outcome.data).toBeDefined();
    });
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
        for (let offset = 0; offset < chunk.length; offset += 64 * 1024) controller.enqueue(chunk.subarray(offset, offset + 64 * 1024));
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

    const served = await request({ path: GET_COUNT, headers: { authorization, accept: 'application/json', 'x-graphql-yoga-csrf': '1' } });
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

describe('error masking', () => {
  const SECRETS = ['hunter2', '10.1.2.3', 'ECONNRESET', 'store.ts', '    at '];

  it('an unexpected error answers "Unexpected error." with nothing of its cause', async () => {
    const spy = vi
      .spyOn(service.app.store, 'getSummary')
      .mockRejectedValueOnce(new Error('ECONNRESET redis://:hunter2@10.1.2.3:6379 (store.ts:42)'));
    try {
      const response = await post({ query: `{ playerSummary(playerId: "${OWN}") { totalSessions } }` }, bearer(await adminToken()));
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors?.[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      for (const secret of SECRETS) expect(JSON.stringify(response.body)).not.toContain(secret);
    } finally {
      spy.mockRestore();
    }
  });

  it('a Redis error (a key of the wrong type) does not reach the caller', async () => {
    await service.redis.lpush(`activity:session:${OWN}`, 'not a session');
    await service.redis.lpush(`activity:summary:${OWN}`, 'not a summary');
    const authorization = bearer(await serviceToken());
    for (const query of [
      `{ playerSession(playerId: "${OWN}") { playerId } }`,
      `{ playerSummary(playerId: "${OWN}") { totalSessions } }`,
      `mutation { trackLogin(playerId: "${OWN}") { playerId } }`,
      `mutation { trackLogout(playerId: "${OWN}") { playerId } }`,
    ]) {
      const { body } = await post({ query }, authorization);
      expect(body.errors?.[0], query).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      const text = JSON.stringify(body);
      expect(text, query).not.toMatch(/WRONGTYPE|ERR |ReplyError|script|\.lua|user_script|    at /i);
    }
  });
});

describe('mutation rate limit (RATE_LIMIT_MUTATIONS_PER_MINUTE=3)', () => {
  let limited: TestService;
  beforeAll(async () => {
    limited = await startVariant({ RATE_LIMIT_MUTATIONS_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await limited?.stop();
  });
  // Budgets live in one-minute windows: every test starts in a fresh one.
  let window = 0;
  beforeEach(() => {
    limited.clock.set(new Date(Date.parse(NOW) + ++window * 10 * 60_000));
  });

  const dock = (playerId: string, n: number) => ({ playerId, eventType: 'DOCK' as const, details: { n } });
  const eventCount = (playerId: string) => service.redis.llen(`activity:events:${playerId}`);

  it('is off by default', async () => {
    expect(service.config.limits.mutationsPerMinute).toBe(0);
    const player = service.as(await playerToken(OWN));
    for (let n = 0; n < 20; n++) await expectOk(player.run(TrackActivity, dock(OWN, n)));
  });

  it('refuses the 4th mutation of a caller within a minute with RATE_LIMITED (HTTP 429), without applying it', async () => {
    const token = await limited.token({ role: 'player', playerId: OWN });
    const player = limited.as(token);
    for (let n = 0; n < 3; n++) await expectOk(player.run(TrackActivity, dock(OWN, n)));
    expect(await eventCount(OWN)).toBe(3);
    const before = await dump();

    const fourth = await player.run(TrackActivity, dock(OWN, 3));
    expect(errorCodes(fourth)).toEqual(['RATE_LIMITED']);
    expect(fourth.data ?? null).toBeNull();
    const raw = await limited.app.yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: bearer(token) },
      body: JSON.stringify({ query: `mutation { trackLogin(playerId: "${OWN}") { playerId } }` }),
    });
    expect(raw.status).toBe(429);
    expect(errorCodes((await raw.json()) as ExecutionResult)).toEqual(['RATE_LIMITED']);

    expect(await dump()).toEqual(before);
  });

  it('does not limit queries', async () => {
    const player = limited.as(await limited.token({ role: 'player', playerId: OWN }));
    for (let n = 0; n < 3; n++) await expectOk(player.run(TrackActivity, dock(OWN, n)));
    expect(errorCodes(await player.run(TrackActivity, dock(OWN, 3)))).toEqual(['RATE_LIMITED']);
    for (let n = 0; n < 10; n++) {
      const result = await expectOk(player.run(RecentEvents, { playerId: OWN, limit: 50 }));
      expect(result.data?.recentEvents).toHaveLength(3);
    }
  });

  it('gives every caller its own budget', async () => {
    const p1 = limited.as(await limited.token({ role: 'player', playerId: OWN }));
    const p2 = limited.as(await limited.token({ role: 'player', playerId: OTHER }));
    const gameServer = limited.as(await limited.token({ role: 'service', subject: 'game-server-eu' }));
    for (let n = 0; n < 3; n++) await expectOk(p1.run(TrackActivity, dock(OWN, n)));
    expect(errorCodes(await p1.run(TrackActivity, dock(OWN, 3)))).toEqual(['RATE_LIMITED']);

    for (let n = 0; n < 3; n++) await expectOk(p2.run(TrackActivity, dock(OTHER, n)));
    for (let n = 0; n < 3; n++) await expectOk(gameServer.run(TrackActivity, dock(OWN, 10 + n)));
    expect(errorCodes(await p2.run(TrackActivity, dock(OTHER, 3)))).toEqual(['RATE_LIMITED']);
    expect(errorCodes(await gameServer.run(TrackActivity, dock(OWN, 13)))).toEqual(['RATE_LIMITED']);
    expect(await eventCount(OWN)).toBe(6);
    expect(await eventCount(OTHER)).toBe(3);
  });

  it('gives the budget back after a minute', async () => {
    const player = limited.as(await limited.token({ role: 'player', playerId: OWN }));
    for (let n = 0; n < 3; n++) await expectOk(player.run(TrackActivity, dock(OWN, n)));
    expect(errorCodes(await player.run(TrackActivity, dock(OWN, 3)))).toEqual(['RATE_LIMITED']);

    limited.clock.advance(60_000);
    for (let n = 4; n < 7; n++) await expectOk(player.run(TrackActivity, dock(OWN, n)));
    expect(errorCodes(await player.run(TrackActivity, dock(OWN, 7)))).toEqual(['RATE_LIMITED']);
    expect(await eventCount(OWN)).toBe(6);
  });
});
