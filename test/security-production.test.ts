import type { ExecutionResult } from 'graphql';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintToken } from '../src/auth.ts';
import { freePort, LocalRedisServer } from '../src/redis-server.ts';
import { eventually } from './support/eventually.ts';
import { errorCodes, TEST_JWT_SECRET, useTestService } from './support/harness.ts';
import { startMain } from './support/main-process.ts';
import { ANOTHER_SECRET, bearer, gql, NO_VARIABLES, NOW, OWN, securityKit } from './support/security.ts';

/** Issue 3: secure by default (production switches, spawned processes) and error masking. */

const service = useTestService({}, NOW);
const { post, adminToken, serviceToken, startVariant, firstOverSse, firstOverWs, overWs } = securityKit(service);

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
      await eventually(() => expect(main.output()).toContain(`listening on http://127.0.0.1:${port}/graphql`), {
        timeoutMs: 10_000,
      });
      const printed = (label: string) => {
        const jwt = new RegExp(`${label}:\\s+([\\w-]+\\.[\\w-]+\\.[\\w-]+)`).exec(main.output())?.[1];
        expect(jwt, `a token after "${label}:"`).toBeDefined();
        return jwt!;
      };
      const tokens = {
        admin: printed('admin'),
        service: printed('service'),
        player: printed('player \\(demo-player\\)'),
      };
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
      expect(
        errorCodes(await call(tokens.player, 'mutation { trackLogin(playerId: "someone-else") { playerId } }')),
      ).toEqual(['FORBIDDEN']);
      const online = (await call(tokens.service, '{ onlinePlayerIds { playerIds } }')).data?.['onlinePlayerIds'] as
        | { playerIds: string[] }
        | undefined;
      expect(online?.playerIds).toContain('demo-player');
      expect(await call(tokens.admin, '{ onlinePlayerCount }')).toEqual({ data: { onlinePlayerCount: before + 1 } });
      // The printed tokens are for this run's random secret only.
      expect(
        errorCodes(await call(await mintToken(TEST_JWT_SECRET, { role: 'admin' }), '{ onlinePlayerCount }')),
      ).toEqual(['UNAUTHENTICATED']);
    } finally {
      main.child.kill('SIGTERM');
      await main.exited;
    }
  });

  const INTROSPECTION = '{ __schema { types { name } } }';
  const TYPE_LOOKUP = '{ __type(name: "Query") { name } }';

  it.each<[string, Record<string, string>, { introspection: boolean; graphiql: boolean }]>([
    ['NODE_ENV=production', { NODE_ENV: 'production' }, { introspection: false, graphiql: false }],
    [
      'NODE_ENV=production, GRAPHQL_INTROSPECTION=true',
      { NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' },
      { introspection: true, graphiql: false },
    ],
    [
      'NODE_ENV=production, GRAPHIQL=true',
      { NODE_ENV: 'production', GRAPHIQL: 'true' },
      { introspection: false, graphiql: true },
    ],
    ['outside production', {}, { introspection: true, graphiql: true }],
    [
      'outside production, GRAPHQL_INTROSPECTION=false, GRAPHIQL=false',
      { GRAPHQL_INTROSPECTION: 'false', GRAPHIQL: 'false' },
      { introspection: false, graphiql: false },
    ],
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
      const isGraphiQL =
        page.status === 200 && (page.headers.get('content-type') ?? '').includes('text/html') && /graphiql/i.test(html);
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
      await eventually(() => expect(main.output()).toContain(`listening on ${url}`), {
        timeoutMs: 10_000,
        intervalMs: 50,
      });
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
        headers: {
          'content-type': 'application/json',
          ...(authorization === null ? {} : { authorization }),
          ...headers,
        },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as ExecutionResult;
    };

    // Yoga's maskError would add `extensions.originalError` under
    // NODE_ENV=development; the service turns that off.
    it('masks an unexpected error completely (no originalError, no Redis reply, no stack)', async () => {
      await redis.lpush('activity:summary:leak-probe', 'not a summary'); // a key of the wrong type: Redis answers WRONGTYPE
      const body = await call(
        bearer(await mintToken(TEST_JWT_SECRET, { role: 'admin' })),
        '{ playerSummary(playerId: "leak-probe") { totalSessions } }',
      );
      expect(body.errors?.[0]).toMatchObject({
        message: 'Unexpected error.',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      expect(JSON.stringify(body)).not.toMatch(/originalError|WRONGTYPE|stack| {4}at /);
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
      expect(errorCodes(await overWs(tokens[4]!, { query: '{ onlinePlayerCount }' }, url))).toEqual([
        'UNAUTHENTICATED',
      ]);
      // The last request's log line shows everything before it has been written.
      await call(bearer(admin), '{ onlinePlayerCount }', { 'x-request-id': 'security-log-probe' });
      await eventually(() => expect(main.output()).toContain('security-log-probe'), { timeoutMs: 5_000 });

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

describe('error masking', () => {
  const SECRETS = ['hunter2', '10.1.2.3', 'ECONNRESET', 'store.ts', '    at '];

  it('an unexpected error answers "Unexpected error." with nothing of its cause', async () => {
    const spy = vi
      .spyOn(service.app.store, 'getSummary')
      .mockRejectedValueOnce(new Error('ECONNRESET redis://:hunter2@10.1.2.3:6379 (store.ts:42)'));
    try {
      const response = await post(
        { query: `{ playerSummary(playerId: "${OWN}") { totalSessions } }` },
        bearer(await adminToken()),
      );
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors?.[0]).toMatchObject({
        message: 'Unexpected error.',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
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
      expect(body.errors?.[0], query).toMatchObject({
        message: 'Unexpected error.',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      const text = JSON.stringify(body);
      expect(text, query).not.toMatch(/WRONGTYPE|ERR |ReplyError|script|\.lua|user_script| {4}at /i);
    }
  });
});
