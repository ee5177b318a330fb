import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { errorCodes, useTestService } from './support/harness.ts';
import { PlayerSummary, TrackActivity, TrackLogin, TrackLogout } from './support/operations.ts';
import { dumpRedis } from './support/redis-dump.ts';

/** 9.5: total_value bounds, exact sums, details nesting; through the public API, Redis contents before and after. */

const service = useTestService();
const dump = () => dumpRedis(service.redis);

const trade = (total_value: unknown) =>
  service.run(TrackActivity, { playerId: 'p-1', eventType: 'TRADE_BUY', details: { total_value } });

/** `depth` levels of objects, as JSON text: built by hand, as JSON.stringify itself overflows the stack on deep values. */
// Short keys, so that 2,000 levels stay under the 16 KiB details limit (10 KB) and only the depth refuses them.
const nestedJson = (depth: number) => `${'{"a":'.repeat(depth - 1)}{"b":1}${'}'.repeat(depth - 1)}`;

/** A trackActivity with the details sent as raw JSON variables, the way a hostile client would. */
async function trackWithDetailsJson(detailsJson: string) {
  const response = await service.app.yoga.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await service.token({ role: 'service' })}`,
    },
    body: `{"query":"mutation T($d: JSONObject) { trackActivity(playerId: \\"p-1\\", eventType: DOCK, details: $d) { event { eventType } } }","variables":{"d":${detailsJson}}}`,
  });
  return (await response.json()) as { errors?: { message: string; extensions: { code: string } }[]; data: unknown };
}

describe('total_value', () => {
  it.each([
    ['1e308 (sums would overflow)', 1e308],
    ['negative', -1],
    ['just over 1e15', 1.000000000000001e15],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_name, value) => {
    await service.run(TrackLogin, { playerId: 'p-1' });
    const before = await dump();
    const result = await trade(value);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toContain('total_value');
    expect(await dump()).toEqual(before);
  });

  it('accepts 0 and 1e15, and sums stay exact through session, summary and daily', async () => {
    await service.run(TrackLogin, { playerId: 'p-1' });
    const values = [1e15, 1e15, 0, 0.1, 0.2, 123456.789];
    let expected = 0;
    for (const value of values) {
      expected += value;
      const result = await trade(value);
      expect(result.errors).toBeUndefined();
      expect(result.data?.trackActivity.session?.tradeVolume).toBe(expected);
    }
    service.clock.advance(60_000);
    const logout = await service.run(TrackLogout, { playerId: 'p-1' });
    expect(logout.data?.trackLogout?.tradeVolume).toBe(expected);
    const summary = await service.run(PlayerSummary, { playerId: 'p-1' });
    expect(summary.data?.playerSummary.totalTradeVolume).toBe(expected);
    const daily = JSON.parse((await service.redis.get('activity:daily:p-1:2026-11-23'))!);
    expect(daily.trade_volume).toBe(expected);
  });
});

describe('details nesting', () => {
  it('accepts 32 levels, stored so that Python reads it back', async () => {
    const result = await trackWithDetailsJson(nestedJson(32));
    expect(result.errors).toBeUndefined();
    const stored = (await service.redis.lindex('activity:events:p-1', 0))!;
    const python = spawnSync('python3', ['-c', 'import json,sys; json.loads(sys.stdin.read()); print("ok")'], {
      input: stored,
      encoding: 'utf8',
    });
    expect(python.stdout.trim()).toBe('ok');
  });

  it.each([33, 2_000, 5_000])('refuses %i levels with BAD_USER_INPUT and writes nothing', async (depth) => {
    const before = await dump();
    const result = await trackWithDetailsJson(nestedJson(depth));
    expect(result.errors?.map((error) => error.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toContain('details');
    expect(await dump()).toEqual(before);
  });

  it('counts arrays as levels too', async () => {
    let value: unknown = 1;
    for (let level = 0; level < 40; level++) value = [value];
    const result = await service.run(TrackActivity, { playerId: 'p-1', eventType: 'DOCK', details: { list: value } });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  });
});
