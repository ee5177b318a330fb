import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DOCUMENT_LIMITS } from '../src/protections.ts';
import { errorCodes, type TestService, useTestService } from './support/harness.ts';
import { RecentEvents, TrackActivity } from './support/operations.ts';
import { aliases, bearer, bigDetails, expectOk, NOW, nested, OTHER, OWN, securityKit } from './support/security.ts';

/** Issue 3: abuse limits — document limits on HTTP and graphql-ws, and the per-caller mutation rate limit. */

const service = useTestService({}, NOW);
const { dump, post, serviceToken, playerToken, startVariant, overWs } = securityKit(service);

describe('document limits refuse a document before it runs', () => {
  const PARSE = 'GRAPHQL_PARSE_FAILED';
  const VALIDATION = 'GRAPHQL_VALIDATION_FAILED';
  const logins = (count: number) => `mutation { ${aliases(count, `trackLogin(playerId: "${OWN}") { playerId }`)} }`;
  /** A valid query 10 deep with `leaves` leaf fields at the bottom: each costs 1.5^9 ≈ 38 (graphql-armor's cost). */
  const costly = (leaves: number) =>
    nested(DOCUMENT_LIMITS.maxDepth).replace('{ name }', `{ ${'name '.repeat(leaves)}}`);

  interface LimitCase {
    name: string;
    query: string;
    message: RegExp;
    /** The extensions.code the refusal should carry (README: "breaks a document limit"). */
    code: typeof PARSE | typeof VALIDATION;
  }
  const REFUSED: LimitCase[] = [
    {
      name: '2,000 aliased trackLogin calls',
      query: logins(2000),
      message: /Token limit of 5000 exceeded/,
      code: PARSE,
    },
    {
      name: `${DOCUMENT_LIMITS.maxAliases + 1} aliased trackLogin calls`,
      query: logins(DOCUMENT_LIMITS.maxAliases + 1),
      message: /Aliases limit of 30 exceeded/,
      code: VALIDATION,
    },
    {
      name: 'a trackActivity of over 5,000 tokens',
      query: bigDetails(1700),
      message: /Token limit of 5000 exceeded/,
      code: PARSE,
    },
    {
      name: `a query nested ${DOCUMENT_LIMITS.maxDepth + 1} deep`,
      query: nested(DOCUMENT_LIMITS.maxDepth + 1),
      message: /depth limit of 10 exceeded/,
      code: VALIDATION,
    },
    {
      name: 'a query nested 30 deep',
      query: nested(30),
      message: /(depth|Cost) limit of \d+ exceeded/,
      code: VALIDATION,
    }, // cost trips first
    {
      name: 'a query costing over 5,000',
      query: costly(150),
      message: /Cost limit of 5000 exceeded/,
      code: VALIDATION,
    },
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
    it.each(REFUSED.filter(({ code }) => code === VALIDATION))(
      '$name: the error carries $code',
      async ({ query, code }) => {
        const { body } = await post({ query }, bearer(await serviceToken()));
        expect(body.errors?.length).toBeGreaterThan(0);
        expect(errorCodes(body)).toEqual(body.errors?.map(() => code));
      },
    );

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

    it.each(REFUSED.filter(({ code }) => code === PARSE))(
      '$name: answered with the error, connection kept',
      async ({ query, message }) => {
        const outcome = await overWs(await serviceToken(), { query });
        expect(outcome.closeCode).toBeUndefined();
        expect(outcome.errors?.map((error) => (error as { message: string }).message).join('\n')).toMatch(message);
      },
    );

    // Over graphql-ws the same refusal answers the operation and keeps the socket.
    it.each(REFUSED.filter(({ code }) => code === VALIDATION))(
      '$name: answered with the error, connection kept',
      async ({ query, message }) => {
        const outcome = await overWs(await serviceToken(), { query });
        expect(outcome.closeCode).toBeUndefined();
        expect(outcome.errors?.map((error) => (error as { message: string }).message).join('\n')).toMatch(message);
      },
    );

    it.each(WITHIN)('%s: within the limits', async (_name, query) => {
      const outcome = await overWs(await serviceToken(), { query });
      expect(outcome.errors).toBeUndefined();
      expect(outcome.data).toBeDefined();
    });
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
