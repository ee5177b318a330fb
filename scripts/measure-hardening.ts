/**
 * The figures behind issue 9's hardening findings, measured on an in-process
 * production-mode app over a throwaway redis-server:
 *   node scripts/measure-hardening.ts
 * Prints one line per finding; run it on two commits to compare.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createApp } from '../src/app.ts';
import { mintToken } from '../src/auth.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/observability/logger.ts';
import { LocalRedisServer } from '../src/redis-server.ts';

const SECRET = 'measure-secret-that-is-long-enough-for-hs256';
const redisServer = await LocalRedisServer.start('redis-server');
const config = loadConfig({
  NODE_ENV: 'production',
  REDIS_URL: redisServer.url,
  JWT_SECRET: SECRET,
  RATE_LIMIT_MUTATIONS_PER_MINUTE: '600',
  REDIS_COMMAND_TIMEOUT_MS: '10000',
  REQUEST_TIMEOUT_MS: process.env['MEASURE_REQUEST_TIMEOUT_MS'] ?? '30000',
  LOG_LEVEL: 'silent',
});
const app = createApp(config, { logger: createLogger('silent') });
const url = await app.start(0, '127.0.0.1');
const origin = new URL(url).origin;
const service = await mintToken(SECRET, { role: 'service', subject: 'measure-game-server' });
const seeder = await mintToken(SECRET, { role: 'service', subject: 'measure-seeder' });
const player = await mintToken(SECRET, { role: 'player', playerId: 'victim' });
const figure = (name: string, value: unknown) => console.log(`${name.padEnd(58)} ${JSON.stringify(value)}`);

async function post(body: unknown, token: string | null, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return {
    response,
    text,
    json: () => JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] },
  };
}

try {
  // 9.1: /metrics after three anonymous requests with 1 MB operation names.
  const metricsSize = async () => (await (await fetch(`${origin}/metrics`)).text()).length;
  const before = await metricsSize();
  for (let i = 0; i < 3; i += 1) {
    const name = `N${i}${'x'.repeat(1_000_000)}`;
    await post({ query: `query ${name} { __typename }` }, null);
  }
  figure('9.1 /metrics bytes before / after 3 x 1 MB names', [before, await metricsSize()]);

  // 9.2: 30 aliases of recentEvents(limit: 500) { details } over 500 events of ~16 KiB.
  await post({ query: 'mutation { trackLogin(playerId: "victim") { playerId } }' }, seeder);
  const details = { pad: 'x'.repeat(16_000) };
  for (let i = 0; i < 500; i += 10) {
    const fields = Array.from(
      { length: 10 },
      (_, j) => `e${j}: trackActivity(playerId: "victim", eventType: DOCK, details: $d) { event { eventType } }`,
    );
    await post({ query: `mutation($d: JSONObject) { ${fields.join(' ')} }`, variables: { d: details } }, seeder);
  }
  const aliases = Array.from(
    { length: 30 },
    (_, i) => `a${i}: recentEvents(playerId: "victim", limit: 500) { details }`,
  );
  const attack = { query: `{ ${aliases.join(' ')} }` };
  let started = performance.now();
  const amplified = await post(attack, player);
  figure('9.2 30-alias attack: request bytes, response bytes, ms, code', [
    JSON.stringify(attack).length,
    amplified.text.length,
    Math.round(performance.now() - started),
    amplified.text.length < 10_000 ? amplified.json().errors?.[0]?.extensions?.code : 'data',
  ]);
  // Another caller's small query while four attacks run.
  started = performance.now();
  const attacks = Array.from({ length: 4 }, () => post(attack, player));
  const other = await post({ query: '{ onlinePlayerCount }' }, service);
  const otherMs = Math.round(performance.now() - started);
  await Promise.all(attacks);
  figure("9.2 another caller's query during 4 attacks: ms, status", [otherMs, other.response.status]);

  // 9.3: graphql-ws in production.
  const ws = (token: string | null) =>
    createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      on: { closed: (event) => closes.push((event as { code: number }).code) },
    });
  const closes: number[] = [];
  const once = (client: ReturnType<typeof ws>, query: string, variables?: Record<string, unknown>) =>
    new Promise<unknown>((resolve) => {
      let last: unknown = null;
      client.subscribe(
        { query, ...(variables ? { variables } : {}) },
        {
          next: (value) => (last = value),
          error: (error) => resolve({ error: String((error as { code?: number }).code ?? error) }),
          complete: () => resolve(last),
        },
      );
    });
  const anonymous = ws(null);
  const introspection = (await once(anonymous, '{ __schema { types { name } } }')) as {
    data?: { __schema?: { types: unknown[] } };
  };
  figure(
    '9.3 anonymous introspection over graphql-ws: types returned',
    introspection.data?.__schema?.types.length ?? 0,
  );
  await anonymous.dispose();
  const suggestion = await post(
    {
      query:
        'mutation($t: ActivityEventType!) { trackActivity(playerId: "victim", eventType: $t) { event { eventType } } }',
      variables: { t: 'TRADE_BUYY' },
    },
    service,
  );
  figure('9.3 enum suggestion leaked over HTTP', /did you mean/i.test(suggestion.text));

  const limited = loadConfig({
    NODE_ENV: 'production',
    REDIS_URL: redisServer.url,
    JWT_SECRET: SECRET,
    RATE_LIMIT_MUTATIONS_PER_MINUTE: '3',
    LOG_LEVEL: 'silent',
  });
  const limitedApp = createApp(limited, { logger: createLogger('silent') });
  const limitedUrl = await limitedApp.start(0, '127.0.0.1');
  const rateClient = createClient({
    url: limitedUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${service}` },
    on: { closed: (event) => closes.push((event as { code: number }).code) },
  });
  let subscriptionAlive = true;
  rateClient.subscribe(
    { query: 'subscription { onlinePlayerCount }' },
    { next: () => {}, error: () => (subscriptionAlive = false), complete: () => (subscriptionAlive = false) },
  );
  const outcomes: unknown[] = [];
  for (let i = 0; i < 5; i += 1) {
    const result = (await once(rateClient, `mutation { trackHeartbeat(playerId: "r${i}") { playerId } }`)) as {
      errors?: { extensions?: { code?: string } }[];
      error?: string;
    };
    outcomes.push(result?.error ? `closed ${result.error}` : (result?.errors?.[0]?.extensions?.code ?? 'ok'));
  }
  figure('9.3 5 mutations over one socket, limit 3: outcomes', outcomes);
  figure('9.3 subscription on that socket still open', subscriptionAlive);
  await rateClient.dispose();

  // 9.4: two root fields, the second refused.
  await app.redis.del('player:atomic:session');
  const mixed = await post(
    { query: 'mutation { a: trackLogin(playerId: "atomic") { playerId } b: trackLogin(playerId: "") { playerId } }' },
    service,
  );
  figure('9.4 BAD_USER_INPUT on field b: code, field a written', [
    mixed.json().errors?.[0]?.extensions?.code,
    (await app.redis.keys('*atomic*')).length > 0,
  ]);
  const own = await mintToken(SECRET, { role: 'player', playerId: 'atomic2' });
  const forbidden = await post(
    {
      query:
        'mutation { a: trackLogin(playerId: "atomic2") { playerId } b: trackLogin(playerId: "someone") { playerId } }',
    },
    own,
  );
  figure('9.4 FORBIDDEN on field b: code, field a written', [
    forbidden.json().errors?.[0]?.extensions?.code,
    (await app.redis.keys('*atomic2*')).length > 0,
  ]);

  // 9.8: batches against RATE_LIMIT_MUTATIONS_PER_MINUTE=3.
  const batch = Array.from({ length: 500 }, () => ({ playerId: 'batcher', eventType: 'DOCK' }));
  const batcher = await mintToken(SECRET, { role: 'service', subject: 'measure-batcher' });
  let written = 0;
  for (let i = 0; i < 4; i += 1) {
    const response = await fetch(limitedUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${batcher}` },
      body: JSON.stringify({
        query: 'mutation($e: [ActivityInput!]!) { trackActivities(events: $e) { event { eventType } } }',
        variables: { e: batch },
      }),
    });
    const body = (await response.json()) as { data?: { trackActivities?: unknown[] } | null };
    written += body.data?.trackActivities?.length ?? 0;
  }
  figure('9.8 events written by 4 batches of 500 at a limit of 3/min', written);
  await limitedApp.stop();

  // 9.9: subscriptions held by one socket.
  const holder = ws(service);
  let acknowledged = 0;
  let refused = 0;
  for (let i = 0; i < 300; i += 1) {
    holder.subscribe(
      { query: 'subscription { onlinePlayerCount }' },
      { next: () => (acknowledged += 1), error: () => (refused += 1), complete: () => {} },
    );
  }
  const deadline = Date.now() + 10_000;
  while (acknowledged + refused < 300 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  figure('9.9 subscriptions on one socket: held, refused', [acknowledged, refused]);
  await holder.dispose();

  // 9.9: a partial body (headers say 100 bytes, 10 arrive): seconds until the server gives up (capped at 70 s).
  const bodyStarted = performance.now();
  const heldFor = await new Promise<number>((resolve) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1', () => {
      socket.write(
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":',
      );
    });
    const give = setTimeout(() => {
      socket.destroy();
      resolve(-1);
    }, 70_000);
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => {
      if (answer) figure('9.9 partial body answered', answer.split('\r\n')[0]);
      clearTimeout(give);
      resolve(Math.round((performance.now() - bodyStarted) / 100) / 10);
    });
    socket.on('error', () => {});
  });
  figure('9.9 partial body held for (s; -1 = still open after 70 s)', heldFor);

  // 9.10: CORS for an unlisted origin.
  const cors = await new Promise<Record<string, unknown>>((resolve) => {
    const req = httpRequest(
      url,
      { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } },
      (res) => {
        res.resume();
        resolve({
          status: res.statusCode,
          origin: res.headers['access-control-allow-origin'] ?? null,
          credentials: res.headers['access-control-allow-credentials'] ?? null,
        });
      },
    );
    req.end();
  });
  figure('9.10 preflight from https://evil.example', cors);
  let devOnPublic: string;
  try {
    loadConfig({ HOST: '0.0.0.0' });
    devOnPublic = 'starts';
  } catch (error) {
    devOnPublic = (error as Error).message.split('\n')[1] ?? 'refused';
  }
  figure('9.10 NODE_ENV unset, HOST=0.0.0.0', devOnPublic);
  figure('closes seen', closes);
} finally {
  await app.stop();
  await redisServer.stop();
}
process.exit(0);
