import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionResult } from 'graphql';
import { exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mintToken } from '../src/auth.ts';
import { errorCodes, TEST_JWT_SECRET, type TestService, useTestService } from './support/harness.ts';
import { ANOTHER_SECRET, bearer, bytes, hs256, NOW, OTHER, OWN, securityKit } from './support/security.ts';

/** Issue 3: bad tokens (HS256 secret) and tokens from a JWKS (RS256, ES256, issuer and audience); refused calls write nothing. */

const service = useTestService({}, NOW);
const { dump, seed, post, startVariant } = securityKit(service);

describe('a bad token is UNAUTHENTICATED and writes nothing', () => {
  const BAD_TOKENS: [string, () => Promise<string>, RegExp][] = [
    ['expired', async () => bearer(await mintToken(TEST_JWT_SECRET, { role: 'admin', expiresIn: '-1m' })), /expired/i],
    [
      'forged (signed with another secret)',
      async () => bearer(await mintToken(ANOTHER_SECRET, { role: 'service' })),
      /not valid/,
    ],
    ['without a role claim', async () => bearer(await hs256({ sub: 'someone' })), /role/],
    [
      "with an unknown role ('superuser')",
      async () => bearer(await hs256({ sub: 'someone', role: 'superuser' })),
      /role/,
    ],
    ['a player token without player_id', async () => bearer(await hs256({ sub: OWN, role: 'player' })), /player_id/],
    [
      'a player token whose player_id is not a string',
      async () => bearer(await hs256({ sub: OWN, role: 'player', player_id: 1 })),
      /player_id/,
    ],
    [
      'without an exp claim',
      async () => bearer(await hs256({ sub: 'someone', role: 'admin' }, { expiresIn: null })),
      /exp/,
    ],
    [
      'not yet valid (nbf in an hour)',
      async () =>
        bearer(
          await new SignJWT({ sub: 'someone', role: 'admin' })
            .setProtectedHeader({ alg: 'HS256' })
            .setNotBefore('1h')
            .setExpirationTime('2h')
            .sign(bytes(TEST_JWT_SECRET)),
        ),
      /nbf/,
    ],
    ['not a JWT (Bearer abc)', async () => 'Bearer abc', /not valid/],
    ['an empty bearer (Bearer )', async () => 'Bearer ', /Bearer/],
    ['in the wrong scheme (Basic …)', async () => `Basic ${Buffer.from('admin:hunter2').toString('base64')}`, /Bearer/],
    ['a raw token without "Bearer"', async () => mintToken(TEST_JWT_SECRET, { role: 'admin' }), /Bearer/],
    [
      'unsecured (alg: none)',
      async () =>
        bearer(
          new UnsecuredJWT({ role: 'admin' }).setSubject('someone').setIssuedAt().setExpirationTime('1h').encode(),
        ),
      /not valid/,
    ],
    [
      'HS512 with the right secret (only HS256 accepted)',
      async () => bearer(await hs256({ sub: 'someone', role: 'admin' }, { alg: 'HS512' })),
      /not valid/,
    ],
    [
      'RS256 while only a secret is configured',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return bearer(
          await new SignJWT({ role: 'admin' })
            .setProtectedHeader({ alg: 'RS256' })
            .setSubject('someone')
            .setExpirationTime('1h')
            .sign(privateKey),
        );
      },
      /not valid/,
    ],
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
    [rsa, ec, stranger] = await Promise.all([
      generateKeyPair('RS256'),
      generateKeyPair('ES256'),
      generateKeyPair('RS256'),
    ]);
    const jwks = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      ],
    };
    jwksServer = createServer((req, res) => {
      if (req.url === '/jwks.json')
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
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
    const player = await run(
      await sign(signing(), { role: 'player', player_id: OWN }),
      `mutation { trackLogin(playerId: "${OWN}") { playerId } }`,
    );
    expect(player).toEqual({ data: { trackLogin: { playerId: OWN } } });
    const stranger = await run(
      await sign(signing(), { role: 'player', player_id: OWN }),
      `mutation { trackLogin(playerId: "${OTHER}") { playerId } }`,
    );
    expect(errorCodes(stranger)).toEqual(['FORBIDDEN']);
    const gameServer = await run(
      await sign(signing(), { role: 'service' }),
      `mutation { trackLogout(playerId: "${OWN}") { playerId } }`,
    );
    expect(gameServer).toEqual({ data: { trackLogout: { playerId: OWN } } });
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['RS256 with the wrong iss', () => sign(RSA(), { role: 'admin' }, { issuer: 'https://evil.example' }), /iss/],
    ['ES256 with the wrong aud', () => sign(EC(), { role: 'admin' }, { audience: 'another-api' }), /aud/],
    ['RS256 without iss', () => sign(RSA(), { role: 'admin' }, { issuer: null }), /iss/],
    ['ES256 without aud', () => sign(EC(), { role: 'admin' }, { audience: null }), /aud/],
    ['RS256, expired', () => sign(RSA(), { role: 'admin' }, { expiresIn: '-1m' }), /expired/],
    [
      'RS256 signed by a key not in the JWKS (same kid)',
      () => sign({ key: stranger.privateKey, alg: 'RS256', kid: 'rsa-1' }, { role: 'admin' }),
      /not valid/,
    ],
    [
      'RS256 with a kid the JWKS does not have',
      () => sign({ key: rsa.privateKey, alg: 'RS256', kid: 'unknown' }, { role: 'admin' }),
      /not valid/,
    ],
    [
      'HS256 (no secret is configured)',
      () => sign({ key: bytes(TEST_JWT_SECRET), alg: 'HS256' }, { role: 'admin' }),
      /not valid/,
    ],
    [
      'HS256 keyed with the RSA public key (algorithm confusion)',
      async () => sign({ key: bytes(await exportSPKI(rsa.publicKey)), alg: 'HS256', kid: 'rsa-1' }, { role: 'admin' }),
      /not valid/,
    ],
    [
      'unsecured (alg: none)',
      async () =>
        new UnsecuredJWT({ role: 'admin' })
          .setSubject('x')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('1h')
          .encode(),
      /not valid/,
    ],
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
