import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Gauge } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { useTestService } from './support/harness.ts';
import { firstResult } from './support/transports.ts';

/**
 * Issue 9.1: metric labels come from bounded sets, client-chosen names are
 * truncated in logs, and /metrics answers 500 on failure instead of hanging.
 */

const lines: string[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  }),
);
const service = useTestService({ logger });

const origin = () => new URL(service.url).origin;
const scrape = async () => {
  const response = await fetch(`${origin()}/metrics`);
  return { status: response.status, text: await response.text() };
};
const labelValues = (text: string, metric: string, label: string) =>
  new Set([...text.matchAll(new RegExp(`^${metric}\\{[^}]*${label}="([^"]*)"`, 'gm'))].map((match) => match[1]));

describe('metric labels', () => {
  it('never carry an operation name: three 300 KB names leave /metrics within a few KB', async () => {
    const before = (await scrape()).text.length;
    for (let n = 0; n < 3; n += 1) {
      const name = `Huge${n}${'x'.repeat(300_000)}`;
      await firstResult('http', service.url, null, { query: `query ${name} { onlinePlayerCount }` });
      await firstResult('http', service.url, await service.token({ role: 'admin', subject: 'a' }), {
        query: `query ${name} { onlinePlayerCount }`,
      });
    }
    const after = await scrape();
    expect(after.text).not.toContain('Hugex');
    expect(after.text).not.toContain('xxxxxxxx');
    expect(after.text.length - before).toBeLessThan(20_000);
  });

  it("label operations by the schema's root fields, anything else as other", async () => {
    const token = await service.token({ role: 'admin', subject: 'a' });
    await firstResult('http', service.url, token, { query: 'query Mine { onlinePlayerCount }' });
    await firstResult('http', service.url, token, { query: 'query Two { onlinePlayerCount __typename }' });
    await firstResult('http', service.url, token, { query: '{ a: onlinePlayerCount b: onlinePlayerCount }' });
    await firstResult('http', service.url, token, { query: '{ __typename }' });
    const { text } = await scrape();
    const rootFields = new Set([
      ...Object.keys(service.app.yoga.getEnveloped().schema.getQueryType()!.getFields()),
      ...Object.keys(service.app.yoga.getEnveloped().schema.getMutationType()!.getFields()),
      ...Object.keys(service.app.yoga.getEnveloped().schema.getSubscriptionType()!.getFields()),
      'other',
    ]);
    const operations = labelValues(text, 'graphql_operations_total', 'operation');
    expect(operations).toContain('onlinePlayerCount');
    expect(operations).toContain('other');
    for (const value of operations) expect(rootFields).toContain(value);
    expect(labelValues(text, 'graphql_operations_total', 'type')).toEqual(new Set(['query']));
  });

  it('label errors by a known code', async () => {
    await firstResult('http', service.url, null, { query: '{ onlinePlayerCount }' });
    await firstResult('http', service.url, null, { query: '{ nope }' });
    const codes = labelValues((await scrape()).text, 'graphql_errors_total', 'code');
    expect(codes).toContain('UNAUTHENTICATED');
    for (const code of codes) expect(code).toMatch(/^[A-Z_]+$|^other$/);
  });
});

describe('logs', () => {
  it('keep 64 characters of an operation name', async () => {
    lines.length = 0;
    const name = `Long${'y'.repeat(100_000)}`;
    await firstResult('http', service.url, null, {
      query: `query ${name} { onlinePlayerCount }`,
      operationName: name,
    } as never);
    const requestLine = lines.find((line) => line.includes('"msg":"request"'));
    expect(requestLine).toBeDefined();
    expect(requestLine!.length).toBeLessThan(1000);
    expect(JSON.parse(requestLine!).operation).toBe(`Long${'y'.repeat(60)}…(100004 chars)`);
  });
});

describe('/metrics', () => {
  it('answers 500, not a 200 that never ends, when a collector fails; and 200 again once it is gone', async () => {
    new Gauge({
      name: 'test_failing_collector',
      help: 'throws on collect',
      registers: [service.app.metrics.registry],
      collect() {
        throw new Error('collector broke');
      },
    });
    try {
      expect(await scrape()).toEqual({ status: 500, text: 'metrics unavailable\n' });
    } finally {
      service.app.metrics.registry.removeSingleMetric('test_failing_collector');
    }
    expect((await scrape()).status).toBe(200);
  });

  it('answers 500 within its deadline when a collector hangs', async () => {
    new Gauge({
      name: 'test_hanging_collector',
      help: 'never answers',
      registers: [service.app.metrics.registry],
      collect: () => new Promise<void>(() => {}),
    });
    try {
      expect((await scrape()).status).toBe(500);
    } finally {
      service.app.metrics.registry.removeSingleMetric('test_hanging_collector');
    }
  });

  it('does not read Redis (nor count a Redis failure) while Redis is away', async () => {
    const failures = async () =>
      Number(/^redis_command_failures_total\{connection="commands"\} (\d+)/m.exec((await scrape()).text)?.[1] ?? 0);
    const getOnlineCount = service.app.store.getOnlineCount.bind(service.app.store);
    let reads = 0;
    service.app.store.getOnlineCount = () => {
      reads += 1;
      return getOnlineCount();
    };
    try {
      await scrape();
      expect(reads).toBe(1);
      // As ioredis reports it during an outage (the connection itself stays up for the other tests).
      const redis = service.app.redis as unknown as { status: string };
      const status = redis.status;
      redis.status = 'reconnecting';
      try {
        const before = await failures();
        for (let n = 0; n < 3; n += 1) expect((await scrape()).status).toBe(200);
        expect(await failures()).toBe(before);
        expect(reads).toBe(1);
      } finally {
        redis.status = status;
      }
    } finally {
      service.app.store.getOnlineCount = getOnlineCount;
    }
  });
});
