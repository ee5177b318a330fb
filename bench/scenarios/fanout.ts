import { Agent } from 'node:http';
import { body, ONLINE_COUNT, ONLINE_COUNT_SUBSCRIPTION, trackLoginBody } from '../graphql.ts';
import { HttpClient } from '../load.ts';
import { BUSY_OTHER_CPU, processRssMiB } from '../machine.ts';
import { CountSubscriber } from '../sse.ts';
import { percentile, round, sortedCopy } from '../stats.ts';
import type { BenchContext, ScenarioResult } from '../types.ts';
import { cpuMetric } from './rounds.ts';

const OPEN_CONCURRENCY = 100;
const FIRST_VALUE_TIMEOUT_MS = 20_000;
const DELIVERY_TIMEOUT_MS = 5_000;
const RELEASE_TIMEOUT_MS = 5_000;

/**
 * 5. Fan-out: N SSE subscribers to the online count (an admin dashboard's
 * token), then sequential logins of new players. For each login: the time
 * from its HTTP response to the last subscriber receiving the new count,
 * and whether every subscriber got every value.
 */
export async function fanout(ctx: BenchContext): Promise<ScenarioResult> {
  const { subscribers: total, fanoutLogins } = ctx.settings;
  const client = new HttpClient(ctx.target, 1);
  const agent = new Agent({ keepAlive: false });
  const subscribers: CountSubscriber[] = [];
  try {
    const initial = await onlineCount(client);

    // The value a login should produce, and who has received it so far.
    let awaited = Number.NaN;
    let received = 0;
    let firstAt = Number.POSITIVE_INFINITY;
    let lastAt = Number.NEGATIVE_INFINITY;
    let allReceived: () => void = () => {};
    const onValue = (subscriber: CountSubscriber, value: number, at: number) => {
      if (value !== awaited || subscriber.values.indexOf(value) !== subscriber.values.length - 1) return;
      received++;
      firstAt = Math.min(firstAt, at);
      lastAt = Math.max(lastAt, at);
      if (received === total) allReceived();
    };

    // Open them OPEN_CONCURRENCY at a time; each is open once its first value (the current count) is in.
    const subscription = body(ONLINE_COUNT_SUBSCRIPTION);
    const target = { ...ctx.target, headers: { ...ctx.target.headers, authorization: `Bearer ${ctx.adminToken}` } };
    const openStarted = performance.now();
    for (let opened = 0; opened < total; opened += OPEN_CONCURRENCY) {
      const wave = Array.from(
        { length: Math.min(OPEN_CONCURRENCY, total - opened) },
        () => new CountSubscriber(target, agent, subscription, onValue),
      );
      subscribers.push(...wave);
      await Promise.all(wave.map((subscriber) => subscriber.firstValue(FIRST_VALUE_TIMEOUT_MS)));
    }
    const openSeconds = (performance.now() - openStarted) / 1000;
    const wrongFirst = subscribers.filter((subscriber) => subscriber.values[0] !== initial).length;
    const serverRssMiB = processRssMiB(ctx.server.pid);

    const latencies: number[] = [];
    const firstLatencies: number[] = [];
    const loginMs: number[] = [];
    let timedOut = 0;
    const runId = Date.now().toString(36);
    const cpuSample = ctx.cpu.start();
    for (let login = 1; login <= fanoutLogins; login++) {
      awaited = initial + login;
      received = 0;
      firstAt = Number.POSITIVE_INFINITY;
      lastAt = Number.NEGATIVE_INFINITY;
      const delivered = new Promise<boolean>((resolve) => {
        allReceived = () => resolve(true);
        setTimeout(() => resolve(false), DELIVERY_TIMEOUT_MS).unref();
      });
      const sent = performance.now();
      await client.graphql(trackLoginBody(`fanout-${runId}-${login}`));
      const responded = performance.now();
      loginMs.push(responded - sent);
      if (await delivered) {
        latencies.push(lastAt - responded);
        firstLatencies.push(firstAt - responded);
      } else {
        timedOut++;
      }
    }

    const cpu = cpuSample.since();

    // Every subscriber should hold exactly initial, initial+1, …, initial+logins.
    const expected = Array.from({ length: fanoutLogins + 1 }, (_, i) => initial + i);
    let missingValues = 0;
    let complete = 0;
    for (const subscriber of subscribers) {
      const got = new Set(subscriber.values);
      const missing = expected.filter((value) => !got.has(value)).length;
      missingValues += missing;
      if (missing === 0 && subscriber.values.length === expected.length) complete++;
    }
    const errors = subscribers.reduce((sum, subscriber) => sum + subscriber.errors.length, 0) + timedOut + wrongFirst;
    const firstError =
      subscribers.find((subscriber) => subscriber.errors.length > 0)?.errors[0] ??
      (timedOut > 0
        ? `${timedOut} logins not delivered to every subscriber within ${DELIVERY_TIMEOUT_MS} ms`
        : undefined) ??
      (wrongFirst > 0 ? `${wrongFirst} subscribers started with a count other than ${initial}` : undefined);

    for (const subscriber of subscribers) subscriber.close();
    const released = await openSubscriptionsDrop(ctx, RELEASE_TIMEOUT_MS);

    const sorted = sortedCopy(latencies);
    const sortedFirst = sortedCopy(firstLatencies);
    return {
      scenario: `fan-out ${total} SSE`,
      metrics: [
        { metric: `open ${total} subscribers`, value: round(openSeconds, 2), unit: 's' },
        { metric: 'login response → last subscriber p50', value: round(percentile(sorted, 50), 2), unit: 'ms' },
        { metric: 'login response → last subscriber p99', value: round(percentile(sorted, 99), 2), unit: 'ms' },
        { metric: 'login response → first subscriber p50', value: round(percentile(sortedFirst, 50), 2), unit: 'ms' },
        { metric: 'login request p50', value: round(percentile(sortedCopy(loginMs), 50), 2), unit: 'ms' },
        { metric: 'subscribers with every value', value: `${complete} / ${total}`, unit: '' },
        { metric: 'missing values', value: missingValues, unit: `of ${total * expected.length}` },
        { metric: 'server RSS with subscribers open', value: round(serverRssMiB, 0), unit: 'MiB' },
        { metric: 'feeds released after close', value: released ? 'yes' : 'no', unit: '' },
        cpuMetric({ cpu }),
      ],
      busy: cpu.other > BUSY_OTHER_CPU,
      errors: errors + (released ? 0 : 1),
      firstError: firstError ?? (released ? undefined : 'open subscriptions did not drop to 0 after closing'),
      details: {
        initialCount: initial,
        logins: fanoutLogins,
        timedOut,
        latenciesMs: latencies,
        firstLatenciesMs: firstLatencies,
      },
    };
  } finally {
    for (const subscriber of subscribers) subscriber.close();
    agent.destroy();
    client.close();
  }
}

async function onlineCount(client: HttpClient): Promise<number> {
  const reply = JSON.parse((await client.graphql(body(ONLINE_COUNT))).toString('utf8')) as {
    data: { onlinePlayerCount: number };
  };
  return reply.data.onlinePlayerCount;
}

/** Polls the server's graphql_open_subscriptions gauge until it reads 0. */
async function openSubscriptionsDrop(ctx: BenchContext, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const text = await (await fetch(`${ctx.server.origin}/metrics`)).text();
    const open = /^graphql_open_subscriptions(?:\{[^}]*\})?\s+(\d+)/m.exec(text)?.[1];
    if (open === '0') return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
