import { describe, expect, it } from 'vitest';
import { errorCodes, startTestService, useTestService } from './support/harness.ts';
import { firstResult, TRANSPORTS } from './support/transports.ts';

/**
 * Issue 9.2: bounded responses. The operation's cost multiplies by list
 * sizes and by what a field can carry; answers over MAX_RESPONSE_BYTES or
 * reading over MAX_ITEMS_PER_REQUEST are refused whole; onlinePlayerIds is
 * paged.
 */

const service = useTestService();

const VICTIM = 'victim';
const FULL_DETAILS = { pad: 'x'.repeat(16 * 1024 - 12) };

/** `count` events of `details` for the player, written straight through the API in batches. */
async function fill(count: number, details: Record<string, unknown> = FULL_DETAILS) {
  const token = await service.token({ role: 'service', subject: 'filler' });
  for (let done = 0; done < count; done += 50) {
    const events = Array.from({ length: Math.min(50, count - done) }, () => ({
      playerId: VICTIM,
      eventType: 'DOCK',
      details,
    }));
    const outcome = await firstResult('http', service.url, token, {
      query: 'mutation($e: [ActivityInput!]!) { trackActivities(events: $e) { event { eventType } } }',
      variables: { e: events },
    });
    expect(outcome.errors).toBeUndefined();
  }
}

const aliases = (count: number, field: string) => Array.from({ length: count }, (_, n) => `a${n}: ${field}`).join(' ');

describe.each(TRANSPORTS)('cost over %s', (transport) => {
  const asVictim = async (query: string, variables?: Record<string, unknown>) =>
    firstResult(transport, service.url, await service.token({ role: 'player', playerId: VICTIM }), {
      query,
      ...(variables ? { variables } : {}),
    });

  it('refuses 30 aliases of recentEvents(limit: 500) { details } before reading anything', async () => {
    const outcome = await asVictim(`{ ${aliases(30, `recentEvents(playerId: "${VICTIM}", limit: 500) { details }`)} }`);
    expect(errorCodes(outcome)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(outcome.data ?? null).toBeNull();
    expect(outcome.errors?.[0]?.extensions?.['cost']).toBeGreaterThan(service.config.limits.maxOperationCost);
  });

  it('counts a limit given in a variable, and details by the 16 KiB they can carry', async () => {
    const query = `query($n: Int) { ${aliases(3, `recentEvents(playerId: "${VICTIM}", limit: $n) { eventType details }`)} }`;
    expect(errorCodes(await asVictim(query, { n: 500 }))).toEqual(['QUERY_TOO_COMPLEX']);
    expect(errorCodes(await asVictim(query, { n: 100 }))).toEqual([]);
    // Without details the same lists are cheap.
    expect(errorCodes(await asVictim(query.replaceAll(' details', ''), { n: 500 }))).toEqual([]);
  });
});

describe('one operation cannot read or send without bound', () => {
  it('serves one full recentEvents(limit: 500) { details } (8 MiB), the most one field can carry', async () => {
    await fill(500);
    const outcome = await firstResult('http', service.url, await service.token({ role: 'player', playerId: VICTIM }), {
      query: `{ recentEvents(playerId: "${VICTIM}", limit: 500) { details } }`,
    });
    expect(outcome.errors).toBeUndefined();
    expect((outcome.data as { recentEvents: unknown[] }).recentEvents).toHaveLength(500);
  });

  it(`refuses reading over MAX_ITEMS_PER_REQUEST (2,000) items with RESPONSE_TOO_LARGE and no data`, async () => {
    const token = await service.token({ role: 'player', playerId: VICTIM });
    const over = await firstResult('http', service.url, token, {
      query: `{ ${aliases(5, `recentEvents(playerId: "${VICTIM}", limit: 500) { eventType }`)} }`,
    });
    expect(errorCodes(over)).toEqual(['RESPONSE_TOO_LARGE']);
    expect(over.data ?? null).toBeNull();
    const within = await firstResult('http', service.url, token, {
      query: `{ ${aliases(4, `recentEvents(playerId: "${VICTIM}", limit: 500) { eventType }`)} }`,
    });
    expect(within.errors).toBeUndefined();
  });

  it('refuses an answer over MAX_RESPONSE_BYTES whole, on every transport', async () => {
    const small = await startTestService({ env: { MAX_RESPONSE_BYTES: String(100 * 1024) } });
    try {
      const token = await small.token({ role: 'service', subject: 'filler' });
      const events = Array.from({ length: 10 }, () => ({ playerId: VICTIM, eventType: 'DOCK', details: FULL_DETAILS }));
      await firstResult('http', small.url, token, {
        query: 'mutation($e: [ActivityInput!]!) { trackActivities(events: $e) { event { eventType } } }',
        variables: { e: events },
      });
      for (const transport of TRANSPORTS) {
        const query = (limit: number) => ({
          query: `{ recentEvents(playerId: "${VICTIM}", limit: ${limit}) { details } }`,
        });
        const over = await firstResult(transport, small.url, token, query(10));
        expect(errorCodes(over), transport).toEqual(['RESPONSE_TOO_LARGE']);
        expect(over.data ?? null, transport).toBeNull();
        expect(JSON.stringify(over).length, transport).toBeLessThan(1000);
        const within = await firstResult(transport, small.url, token, query(5));
        expect(within.errors, transport).toBeUndefined();
      }
    } finally {
      await small.stop();
    }
  });
});

describe('onlinePlayerIds is paged', () => {
  const page = async (first?: number, after?: string | null) => {
    const outcome = await firstResult('http', service.url, await service.token({ role: 'admin', subject: 'console' }), {
      query:
        'query($first: Int, $after: String) { onlinePlayerIds(first: $first, after: $after) { playerIds nextCursor } }',
      variables: { ...(first === undefined ? {} : { first }), ...(after ? { after } : {}) },
    });
    return outcome;
  };

  const walk = async (first: number) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const outcome = await page(first, cursor);
      expect(outcome.errors).toBeUndefined();
      const { playerIds, nextCursor } = (
        outcome.data as { onlinePlayerIds: { playerIds: string[]; nextCursor: string | null } }
      ).onlinePlayerIds;
      expect(playerIds.length).toBeLessThanOrEqual(first);
      seen.push(...playerIds);
      cursor = nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 1000);
    return { seen, pages };
  };

  it('walks a small set (answered whole by SSCAN) in pages of at most `first`', async () => {
    const ids = Array.from({ length: 50 }, (_, n) => `small-${n}`);
    await service.redis.sadd('activity:online_players', ...ids);
    const { seen, pages } = await walk(20);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(ids.sort());
  });

  it('walks a large set (hashtable) in pages of at most `first`, every id at least once', async () => {
    const ids = Array.from({ length: 3000 }, (_, n) => `large-${n}`);
    await service.redis.sadd('activity:online_players', ...ids);
    const { seen } = await walk(250);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('defaults to pages of 500 and refuses first outside 1..1000 and a cursor it did not make', async () => {
    await service.redis.sadd('activity:online_players', ...Array.from({ length: 700 }, (_, n) => `d-${n}`));
    const first = await page();
    expect(
      (first.data as { onlinePlayerIds: { playerIds: string[] } }).onlinePlayerIds.playerIds.length,
    ).toBeLessThanOrEqual(500);
    for (const [size, cursor] of [
      [0, null],
      [1001, null],
      [10, 'bm90IGEgY3Vyc29y'],
      [10, '!!!'],
    ] as const) {
      expect(errorCodes(await page(size, cursor))).toEqual(['BAD_USER_INPUT']);
    }
  });
});
