import { describe, expect, it } from 'vitest';
import { errorCodes, useTestService } from './support/harness.ts';
import { TrackLogin } from './support/operations.ts';
import { dumpRedis } from './support/redis-dump.ts';
import { firstResult, TRANSPORTS } from './support/transports.ts';

/**
 * Issue 9.4: every root field's authorization and arguments are checked
 * before any of them runs, so an operation answered with BAD_USER_INPUT,
 * FORBIDDEN or UNAUTHENTICATED has written nothing, however many fields.
 */

const service = useTestService();

const login = (alias: string, playerId: string) => `${alias}: trackLogin(playerId: "${playerId}") { playerId }`;
const activity = (alias: string, playerId: string, extra = '') =>
  `${alias}: trackActivity(playerId: "${playerId}", eventType: DOCK${extra}) { event { eventType } }`;

describe.each(TRANSPORTS)('over %s', (transport) => {
  const send = async (token: string | null, query: string, variables?: Record<string, unknown>) =>
    firstResult(transport, service.url, token, { query, ...(variables ? { variables } : {}) });
  const gameServer = () => service.token({ role: 'service', subject: 'game-server' });

  it('a bad argument in the last of many root fields: BAD_USER_INPUT, and none of them wrote', async () => {
    await service.run(TrackLogin, { playerId: 'open' });
    const before = await dumpRedis(service.redis);
    const fields = [
      login('a', 'p1'),
      activity('b', 'open'),
      login('c', 'p2'),
      `d: trackLogout(playerId: "open") { playerId }`,
      login('e', 'not a valid id!'),
    ];
    const outcome = await send(await gameServer(), `mutation { ${fields.join(' ')} }`);
    expect(errorCodes(outcome)).toEqual(['BAD_USER_INPUT']);
    expect(outcome.errors?.[0]).toMatchObject({ path: ['e'], extensions: { field: 'playerId' } });
    expect(outcome.data ?? null).toBeNull();
    expect(await dumpRedis(service.redis)).toEqual(before);
  });

  it('bad details, a bad batch or a LOGIN event in a later field: BAD_USER_INPUT, nothing written', async () => {
    const token = await gameServer();
    const cases: [string, Record<string, unknown>?][] = [
      [
        `mutation { ${login('a', 'p1')} ${activity('b', 'p1', ', details: { pad: $pad }')} }`.replace(
          'mutation',
          'mutation($pad: String!)',
        ),
        { pad: 'x'.repeat(17 * 1024) },
      ],
      [`mutation { ${login('a', 'p1')} b: trackActivity(playerId: "p1", eventType: LOGIN) { event { eventType } } }`],
      [
        `mutation($e: [ActivityInput!]!) { ${login('a', 'p1')} b: trackActivities(events: $e) { event { eventType } } }`,
        {
          e: [
            { playerId: 'p1', eventType: 'DOCK' },
            { playerId: 'bad id', eventType: 'DOCK' },
          ],
        },
      ],
      [`{ a: playerSession(playerId: "p1") { playerId } b: recentEvents(playerId: "p1", limit: 501) { eventType } }`],
      [`{ a: onlinePlayerCount b: onlinePlayerIds(after: "not-a-cursor") { playerIds } }`],
    ];
    for (const [query, variables] of cases) {
      const outcome = await send(token, query, variables);
      expect(errorCodes(outcome), query).toEqual(['BAD_USER_INPUT']);
      expect(outcome.data ?? null, query).toBeNull();
      expect(await dumpRedis(service.redis), query).toEqual({});
    }
  });

  it('a player acting for another in a later field: FORBIDDEN, and its own login was not applied', async () => {
    const player = await service.token({ role: 'player', playerId: 'me' });
    const outcome = await send(
      player,
      `mutation { ${login('mine', 'me')} ${activity('also', 'me')} ${login('theirs', 'someone-else')} }`,
    );
    expect(errorCodes(outcome)).toEqual(['FORBIDDEN']);
    expect(outcome.errors?.[0]?.path).toEqual(['theirs']);
    expect(await dumpRedis(service.redis)).toEqual({});
    // An admin may read but not track: the read in the same operation does not run either.
    const admin = await service.token({ role: 'admin', subject: 'console' });
    expect(errorCodes(await send(admin, `{ onlinePlayerCount } `))).toEqual([]);
    expect(errorCodes(await send(player, `{ onlinePlayerCount onlinePlayerIds { playerIds } }`))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it('no token: UNAUTHENTICATED for the whole operation, nothing written', async () => {
    const outcome = await send(null, `mutation { ${login('a', 'p1')} ${login('b', 'p2')} }`);
    expect(errorCodes(outcome)).toEqual(['UNAUTHENTICATED']);
    expect(await dumpRedis(service.redis)).toEqual({});
  });

  it('the positive control: the same operations with every field valid do write', async () => {
    const outcome = await send(
      await gameServer(),
      `mutation { ${login('a', 'p1')} ${activity('b', 'p1')} ${login('c', 'p2')} }`,
    );
    expect(outcome.errors).toBeUndefined();
    expect(outcome.data).toEqual({ a: { playerId: 'p1' }, b: { event: { eventType: 'DOCK' } }, c: { playerId: 'p2' } });
    expect((await service.redis.smembers('activity:online_players')).sort()).toEqual(['p1', 'p2']);
  });
});
