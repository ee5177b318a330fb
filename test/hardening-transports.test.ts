import { describe, expect, it } from 'vitest';
import { DOCUMENT_LIMITS } from '../src/protections.ts';
import { eventually } from './support/eventually.ts';
import { errorCodes, useTestService } from './support/harness.ts';
import { TrackLogin } from './support/operations.ts';
import { dumpRedis } from './support/redis-dump.ts';
import { firstResult, type Outcome, openSocket, TRANSPORTS } from './support/transports.ts';

/**
 * Issue 9.3: one set of protections for HTTP, SSE and graphql-ws, in
 * production mode: introspection, every kind of suggestion, the document
 * limits, the rate limit and error masking, each tried on each transport.
 */

const service = useTestService({ env: { NODE_ENV: 'production', RATE_LIMIT_MUTATIONS_PER_MINUTE: '3' } });

const messages = (outcome: Outcome) => (outcome.errors ?? []).map((error) => error.message).join('\n');
const serviceToken = () => service.token({ role: 'service', subject: `game-server-${Math.random()}` });

describe.each(TRANSPORTS)('over %s', (transport) => {
  const send = (token: string | null, query: string, variables?: Record<string, unknown>) =>
    firstResult(transport, service.url, token, { query, ...(variables ? { variables } : {}) });

  it('refuses introspection, with a token or without', async () => {
    for (const token of [null, await serviceToken()]) {
      for (const query of [
        '{ __schema { types { name } } }',
        '{ __type(name: "ActivityEventType") { enumValues { name } } }',
      ]) {
        const outcome = await send(token, query);
        expect(outcome.data ?? null).toBeNull();
        expect(messages(outcome)).toMatch(/introspection has been disabled/);
      }
    }
    // __typename is not introspection of the schema.
    expect((await send(await serviceToken(), '{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('suggests nothing: no field, argument, enum value, input field or type names in any error', async () => {
    const token = await serviceToken();
    const cases: [string, Record<string, unknown>?][] = [
      ['{ onlinePlayerCont }'],
      ['{ recentEvents(playerId: "p", limt: 5) { eventType } }'],
      ['mutation { trackActivity(playerId: "p", eventType: TRADE_BUYY) { event { eventType } } }'],
      [
        'mutation($t: ActivityEventType!) { trackActivity(playerId: "p", eventType: $t) { event { eventType } } }',
        { t: 'TRADE_BUYY' },
      ],
      [
        'mutation($e: [ActivityInput!]!) { trackActivities(events: $e) { event { eventType } } }',
        { e: [{ playerid: 'p', eventType: 'DOCK' }] },
      ],
      ['mutation { trackActivities(events: [{ playerid: "p", eventType: DOCK }]) { event { eventType } } }'],
      ['query($p: IDD!) { playerSession(playerId: $p) { playerId } }', { p: 'p' }],
    ];
    for (const [query, variables] of cases) {
      const outcome = await send(token, query, variables);
      expect(outcome.errors?.length, query).toBeGreaterThan(0);
      // (A missing required input field is still named: the caller needs that to fix its call.)
      expect(messages(outcome), query).not.toMatch(/did you mean|TRADE_BUY\b|"limit"|onlinePlayerCount|"ID"/i);
    }
    expect(await dumpRedis(service.redis)).toEqual({});
  });

  it('applies the document limits (aliases, depth, tokens) before anything runs', async () => {
    const token = await serviceToken();
    const logins = Array.from(
      { length: DOCUMENT_LIMITS.maxAliases + 1 },
      (_, n) => `a${n}: trackLogin(playerId: "p${n}") { playerId }`,
    );
    const tooManyAliases = await send(token, `mutation { ${logins.join(' ')} }`);
    expect(messages(tooManyAliases)).toMatch(/Aliases limit of 30 exceeded/);
    const deep = await send(
      token,
      `{ __type(name: "Query") { ${'fields { type { '.repeat(6)} name ${'} } '.repeat(6)} } }`,
    );
    expect(messages(deep)).toMatch(/depth limit of 10 exceeded|introspection/);
    const tokens = await send(token, `{ ${'__typename '.repeat(DOCUMENT_LIMITS.maxTokens + 1)} }`);
    expect(messages(tokens)).toMatch(/Token limit of 5000 exceeded/);
    expect(await dumpRedis(service.redis)).toEqual({});
  });

  it('answers the operation over the rate limit with RATE_LIMITED and writes nothing for it', async () => {
    const token = await serviceToken();
    const heartbeat = (n: number) => `mutation { trackHeartbeat(playerId: "r${n}") { playerId } }`;
    for (let n = 0; n < 3; n += 1) expect((await send(token, heartbeat(n))).errors).toBeUndefined();
    // Another caller opens r3's session, so the refused heartbeat would have something to write.
    await service.run(TrackLogin, { playerId: 'r3' });
    const before = await dumpRedis(service.redis);
    const refused = await send(token, heartbeat(3));
    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ retryAfterSeconds: expect.any(Number), cost: 1, limit: 3 });
    expect(refused.errors?.[0]?.extensions?.['http']).toBeUndefined();
    expect(refused.closeCode).toBeUndefined();
    expect(await dumpRedis(service.redis)).toEqual(before);
  });

  it('masks an unexpected error (a Redis WRONGTYPE) completely', async () => {
    await service.redis.lpush('activity:session:masked', 'not a session');
    const outcome = await send(await serviceToken(), '{ playerSession(playerId: "masked") { playerId } }');
    expect(outcome.errors?.[0]).toMatchObject({
      message: 'Unexpected error.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(outcome)).not.toMatch(/WRONGTYPE|ReplyError|script|\.lua| {4}at /i);
  });
});

describe('graphql-ws keeps the socket through refusals', () => {
  it('a rate-limited mutation is answered on the socket; its subscriptions and later queries carry on', async () => {
    const token = await serviceToken();
    const socket = openSocket(service.url, token);
    try {
      const feed = socket.subscribe({ query: 'subscription { onlinePlayerCount }' });
      await eventually(() => expect(feed.results.length).toBe(1));
      const outcomes: unknown[] = [];
      for (let n = 0; n < 5; n += 1) {
        const outcome = await socket.first({ query: `mutation { trackLogin(playerId: "s${n}") { playerId } }` });
        outcomes.push(outcome.errors ? errorCodes(outcome)[0] : 'ok');
      }
      expect(outcomes).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
      expect(socket.closeCode()).toBeUndefined();
      expect(await socket.first({ query: '{ onlinePlayerCount }' })).toEqual({ data: { onlinePlayerCount: 3 } });
      // The subscription saw the three logins that were applied, and nothing of the refused ones.
      await eventually(() => expect(feed.results.at(-1)).toEqual({ data: { onlinePlayerCount: 3 } }));
      expect((await service.redis.smembers('activity:online_players')).sort()).toEqual(['s0', 's1', 's2']);
      feed.stop();
    } finally {
      await socket.client.dispose();
    }
  });
});
