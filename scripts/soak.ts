import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { mintToken } from '../src/auth.ts';
import { LocalRedisServer } from '../src/redis-server.ts';
import { buildService, ServerProcess } from '../src/service-process.ts';

/**
 * Soak: many virtual players log in, act, send heartbeats and log out
 * through two API instances (child processes) on one throwaway Redis, for a
 * bounded time. Every call carries an eventId and is retried, with the same
 * id, until it gets an answer, as a game client on a bad network does.
 * Faults are injected: a share of the attempts (--timeouts, 10 %) give up
 * waiting for their answer after 0-30 ms (the call may or may not have been
 * applied), and Redis is paused past the command timeout every few seconds
 * (--pauses), so calls fail with SERVICE_UNAVAILABLE and are retried. Each
 * player keeps its own tally of what it was told was applied; at the end
 * every counter in Redis is compared with it: `lost: N` (stored less than
 * told) and `doubled: N` (stored more: a retry counted twice).
 *
 *   npm run soak                      # 200 players, 30 s
 *   npm run soak -- --players 500 --seconds 120 --timeouts 0.2
 *
 * Exit code 0 only when nothing was lost or doubled and every call was
 * answered in the end.
 */

const { values } = parseArgs({
  allowNegative: true,
  options: {
    players: { type: 'string', default: process.env['SOAK_PLAYERS'] ?? '200' },
    seconds: { type: 'string', default: process.env['SOAK_SECONDS'] ?? '30' },
    timeouts: { type: 'string', default: '0.1' },
    pauses: { type: 'boolean', default: true },
    // --no-ids: the same run without event ids, to see what retries do without them
    ids: { type: 'boolean', default: true },
  },
});
const PLAYERS = Number(values.players);
const SECONDS = Number(values.seconds);
const TIMEOUT_SHARE = Number(values.timeouts);
if (!(PLAYERS > 0 && PLAYERS <= 10_000 && SECONDS > 0 && SECONDS <= 3_600 && TIMEOUT_SHARE >= 0 && TIMEOUT_SHARE < 1)) {
  throw new Error('--players must be 1..10000, --seconds 1..3600 and --timeouts from 0 to under 1');
}
/** The servers' Redis command timeout and call deadline; pauses last longer. */
const COMMAND_TIMEOUT_MS = 500;
const PAUSE_MS = 1_200;
const PAUSE_EVERY_MS = 5_000;
const MAX_ATTEMPTS = 30;

const SECRET = 'soak-secret-soak-secret-soak-secret-0001';
const GAMEPLAY = [
  'TRADE_BUY',
  'TRADE_SELL',
  'COMBAT_ATTACK',
  'COMBAT_DEFEND',
  'SECTOR_MOVE',
  'DOCK',
  'UNDOCK',
  'PLANET_LAND',
  'WARP',
] as const;

interface Tally {
  sessions: number;
  actions: number;
  trades: number;
  tradeVolume: number;
  combat: number;
}

const MUTATION = {
  login: 'mutation($p: ID!, $e: String) { trackLogin(playerId: $p, eventId: $e) { playerId } }',
  logout: 'mutation($p: ID!, $e: String) { trackLogout(playerId: $p, eventId: $e) { actionsCount } }',
  heartbeat: 'mutation($p: ID!, $e: String) { trackHeartbeat(playerId: $p, eventId: $e) { playerId } }',
  activity:
    'mutation($p: ID!, $t: ActivityEventType!, $d: JSONObject, $e: String) { trackActivity(playerId: $p, eventType: $t, details: $d, eventId: $e) { duplicate session { actionsCount } } }',
};

process.env['REDIS_COMMAND_TIMEOUT_MS'] = String(COMMAND_TIMEOUT_MS);
const redisServer = await LocalRedisServer.start();
buildService();
const servers = await Promise.all(
  [0, 1].map(() => ServerProcess.start({ redisUrl: redisServer.url, jwtSecret: SECRET, logLevel: 'error' })),
);
const authorization = `Bearer ${await mintToken(SECRET, { role: 'service', subject: 'soak', expiresIn: '2h' })}`;
const counts = {
  calls: 0,
  attempts: 0,
  injectedTimeouts: 0,
  unavailable: 0,
  retries: 0,
  duplicates: 0,
  gaveUp: 0,
  pauses: 0,
};
const failureSamples: string[] = [];

type Answer = { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] };

/**
 * One call as a retrying client makes it: the same eventId on every
 * attempt, until an answer comes. Null when it never did (counted as gave up).
 */
async function deliver(query: string, variables: Record<string, unknown>): Promise<Answer | null> {
  counts.calls += 1;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) {
      counts.retries += 1;
      await sleep(Math.min(50 * 2 ** attempt, 500) * Math.random());
    }
    const server = servers[counts.attempts++ % servers.length]!;
    const injected = Math.random() < TIMEOUT_SHARE;
    try {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query, variables }),
        // An injected timeout: the client stops waiting, the server goes on.
        ...(injected ? { signal: AbortSignal.timeout(random(30)) } : {}),
      });
      const body = (await response.json()) as Answer;
      if (response.ok && !body.errors) return body;
      if (body.errors?.[0]?.extensions?.code === 'SERVICE_UNAVAILABLE') counts.unavailable += 1;
      else if (failureSamples.length < 5) failureSamples.push(JSON.stringify(body).slice(0, 300));
    } catch (error) {
      if (injected) counts.injectedTimeouts += 1;
      else if (failureSamples.length < 5) failureSamples.push(String(error));
    }
  }
  counts.gaveUp += 1;
  return null;
}

const random = (n: number) => Math.floor(Math.random() * n);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function virtualPlayer(playerId: string, until: number): Promise<Tally> {
  const tally: Tally = { sessions: 0, actions: 0, trades: 0, tradeVolume: 0, combat: 0 };
  let sequence = 0;
  const nextId = () => (values.ids ? `${playerId}:${++sequence}` : null);
  while (Date.now() < until) {
    if (!(await deliver(MUTATION.login, { p: playerId, e: nextId() }))) continue;
    const actions = 1 + random(20);
    for (let n = 0; n < actions; n++) {
      const type = GAMEPLAY[random(GAMEPLAY.length)]!;
      // Quarters add up exactly in binary floating point, in any order.
      const details = type.startsWith('TRADE')
        ? { total_value: random(4000) / 4 }
        : type === 'SECTOR_MOVE'
          ? { sector_id: random(500) }
          : {};
      const answer = await deliver(MUTATION.activity, { p: playerId, t: type, d: details, e: nextId() });
      if (!answer) continue;
      if ((answer.data?.['trackActivity'] as { duplicate?: boolean } | undefined)?.duplicate) counts.duplicates += 1;
      tally.actions += 1;
      if (type.startsWith('TRADE')) {
        tally.trades += 1;
        tally.tradeVolume += details.total_value ?? 0;
      }
      if (type.startsWith('COMBAT')) tally.combat += 1;
      if (random(5) === 0) await deliver(MUTATION.heartbeat, { p: playerId, e: nextId() });
    }
    const logout = await deliver(MUTATION.logout, { p: playerId, e: nextId() });
    if (logout?.data?.['trackLogout']) tally.sessions += 1;
  }
  return tally;
}

/** Pauses Redis' writes past the command timeout every few seconds: calls fail, clients retry. */
async function pauseRedisNowAndThen(redis: Redis, until: number): Promise<void> {
  while (Date.now() + PAUSE_EVERY_MS < until) {
    await sleep(PAUSE_EVERY_MS * (0.5 + Math.random()));
    await redis.client('PAUSE', PAUSE_MS, 'WRITE');
    counts.pauses += 1;
  }
}

const redis = new Redis(redisServer.url);
let exitCode = 1;
try {
  const started = Date.now();
  const until = started + SECONDS * 1000;
  console.log(
    `soak: ${PLAYERS} players, ${SECONDS} s, 2 API instances on ${redisServer.url}; ` +
      `event ids ${values.ids ? 'on' : 'OFF'}; ${Math.round(TIMEOUT_SHARE * 100)} % of attempts time out on the client; Redis paused ${values.pauses ? `${PAUSE_MS} ms every ~${PAUSE_EVERY_MS / 1000} s` : 'never'} (command timeout ${COMMAND_TIMEOUT_MS} ms)`,
  );
  const ids = Array.from({ length: PLAYERS }, (_, n) => `soak-${n}`);
  const pauser = new Redis(redisServer.url);
  const [tallies] = await Promise.all([
    Promise.all(ids.map((id) => virtualPlayer(id, until))),
    values.pauses ? pauseRedisNowAndThen(pauser, until) : Promise.resolve(),
  ]);
  pauser.disconnect();
  const elapsed = (Date.now() - started) / 1000;

  let lost = 0;
  let doubled = 0;
  const mismatches: string[] = [];
  const sent: Tally = { sessions: 0, actions: 0, trades: 0, tradeVolume: 0, combat: 0 };
  for (const [index, tally] of tallies.entries()) {
    for (const key of Object.keys(sent) as (keyof Tally)[]) sent[key] += tally[key];
    const stored = JSON.parse((await redis.get(`activity:summary:${ids[index]}`)) ?? '{}');
    const pairs: [string, number, number][] = [
      ['sessions', tally.sessions, stored.total_sessions ?? 0],
      ['actions', tally.actions, stored.total_actions ?? 0],
      ['trades', tally.trades, stored.total_trades ?? 0],
      ['trade volume', tally.tradeVolume, stored.total_trade_volume ?? 0],
      ['combat events', tally.combat, stored.total_combat_events ?? 0],
    ];
    for (const [name, expected, actual] of pairs) {
      if (expected !== actual) {
        if (actual < expected) lost += expected - actual;
        else doubled += actual - expected;
        if (mismatches.length < 10) mismatches.push(`${ids[index]} ${name}: sent ${expected}, stored ${actual}`);
      }
    }
  }
  const stillOnline = await redis.scard('activity:online_players');
  const openSessions = (await redis.keys('activity:session:*')).length;

  console.log(
    `calls: ${counts.calls} (${counts.attempts} attempts in ${elapsed.toFixed(1)} s, ${Math.round(counts.attempts / elapsed)}/s); ` +
      `retries: ${counts.retries} (injected client timeouts: ${counts.injectedTimeouts}, SERVICE_UNAVAILABLE: ${counts.unavailable} over ${counts.pauses} Redis pauses); ` +
      `answered as duplicates: ${counts.duplicates} activities; gave up: ${counts.gaveUp}`,
  );
  console.log(
    `sent: ${sent.sessions} sessions, ${sent.actions} actions, ${sent.trades} trades (volume ${sent.tradeVolume}), ${sent.combat} combat events`,
  );
  console.log(`online after the run: ${stillOnline}, open sessions: ${openSessions}`);
  for (const line of [...mismatches, ...failureSamples]) console.log(`  ${line}`);
  console.log(`lost: ${lost}`);
  console.log(`doubled: ${doubled}`);
  exitCode = lost === 0 && doubled === 0 && counts.gaveUp === 0 && stillOnline === 0 && openSessions === 0 ? 0 : 1;
} finally {
  redis.disconnect();
  await Promise.all(servers.map((server) => server.stop()));
  await redisServer.stop();
}
process.exit(exitCode);
