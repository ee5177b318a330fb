import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { ServerProcess } from '../bench/server.ts';
import { mintToken } from '../src/auth.ts';
import { LocalRedisServer } from '../src/redis-server.ts';

/**
 * Soak: many virtual players log in, act, send heartbeats and log out
 * through two API instances (child processes) on one throwaway Redis, for a
 * bounded time. Each player keeps its own tally of what it sent; at the end
 * every counter in Redis is compared with it and `lost: N` is printed.
 *
 *   npm run soak                      # 200 players, 30 s
 *   npm run soak -- --players 500 --seconds 120
 *
 * Exit code 0 only when nothing was lost and no request failed.
 */

const { values } = parseArgs({
  options: {
    players: { type: 'string', default: process.env['SOAK_PLAYERS'] ?? '200' },
    seconds: { type: 'string', default: process.env['SOAK_SECONDS'] ?? '30' },
  },
});
const PLAYERS = Number(values.players);
const SECONDS = Number(values.seconds);
if (!(PLAYERS > 0 && PLAYERS <= 10_000 && SECONDS > 0 && SECONDS <= 3_600)) {
  throw new Error('--players must be 1..10000 and --seconds 1..3600');
}

const SECRET = 'soak-secret-soak-secret-soak-secret-0001';
const GAMEPLAY = ['TRADE_BUY', 'TRADE_SELL', 'COMBAT_ATTACK', 'COMBAT_DEFEND', 'SECTOR_MOVE', 'DOCK', 'UNDOCK', 'PLANET_LAND', 'WARP'] as const;

interface Tally {
  sessions: number;
  actions: number;
  trades: number;
  tradeVolume: number;
  combat: number;
}

const MUTATION = {
  login: 'mutation($p: ID!) { trackLogin(playerId: $p) { playerId } }',
  logout: 'mutation($p: ID!) { trackLogout(playerId: $p) { actionsCount } }',
  heartbeat: 'mutation($p: ID!) { trackHeartbeat(playerId: $p) { playerId } }',
  activity:
    'mutation($p: ID!, $t: ActivityEventType!, $d: JSONObject) { trackActivity(playerId: $p, eventType: $t, details: $d) { session { actionsCount } } }',
};

const redisServer = await LocalRedisServer.start();
const servers = await Promise.all([0, 1].map(() => ServerProcess.start({ redisUrl: redisServer.url, jwtSecret: SECRET, logLevel: 'warn' })));
const authorization = `Bearer ${await mintToken(SECRET, { role: 'service', subject: 'soak', expiresIn: '2h' })}`;
let requests = 0;
let failures = 0;
const failureSamples: string[] = [];

async function call(query: string, variables: Record<string, unknown>): Promise<boolean> {
  const server = servers[requests++ % servers.length]!;
  try {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    if (response.ok && !body.errors) return true;
    failures += 1;
    if (failureSamples.length < 5) failureSamples.push(JSON.stringify(body).slice(0, 300));
  } catch (error) {
    failures += 1;
    if (failureSamples.length < 5) failureSamples.push(String(error));
  }
  return false;
}

const random = (n: number) => Math.floor(Math.random() * n);

async function virtualPlayer(playerId: string, until: number): Promise<Tally> {
  const tally: Tally = { sessions: 0, actions: 0, trades: 0, tradeVolume: 0, combat: 0 };
  while (Date.now() < until) {
    if (!(await call(MUTATION.login, { p: playerId }))) continue;
    const actions = 1 + random(20);
    for (let n = 0; n < actions; n++) {
      const type = GAMEPLAY[random(GAMEPLAY.length)]!;
      // Quarters add up exactly in binary floating point, in any order.
      const details = type.startsWith('TRADE') ? { total_value: random(4000) / 4 } : type === 'SECTOR_MOVE' ? { sector_id: random(500) } : {};
      if (!(await call(MUTATION.activity, { p: playerId, t: type, d: details }))) continue;
      tally.actions += 1;
      if (type.startsWith('TRADE')) {
        tally.trades += 1;
        tally.tradeVolume += details.total_value ?? 0;
      }
      if (type.startsWith('COMBAT')) tally.combat += 1;
      if (random(5) === 0) await call(MUTATION.heartbeat, { p: playerId });
    }
    if (await call(MUTATION.logout, { p: playerId })) tally.sessions += 1;
  }
  return tally;
}

const redis = new Redis(redisServer.url);
let exitCode = 1;
try {
  const started = Date.now();
  const until = started + SECONDS * 1000;
  console.log(`soak: ${PLAYERS} players, ${SECONDS} s, 2 API instances on ${redisServer.url}`);
  const ids = Array.from({ length: PLAYERS }, (_, n) => `soak-${n}`);
  const tallies = await Promise.all(ids.map((id) => virtualPlayer(id, until)));
  const elapsed = (Date.now() - started) / 1000;

  let lost = 0;
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
        lost += Math.abs(expected - actual);
        if (mismatches.length < 10) mismatches.push(`${ids[index]} ${name}: sent ${expected}, stored ${actual}`);
      }
    }
  }
  const stillOnline = await redis.scard('activity:online_players');
  const openSessions = (await redis.keys('activity:session:*')).length;

  console.log(`requests: ${requests} in ${elapsed.toFixed(1)} s (${Math.round(requests / elapsed)}/s), failed: ${failures}`);
  console.log(
    `sent: ${sent.sessions} sessions, ${sent.actions} actions, ${sent.trades} trades (volume ${sent.tradeVolume}), ${sent.combat} combat events`,
  );
  console.log(`online after the run: ${stillOnline}, open sessions: ${openSessions}`);
  for (const line of [...mismatches, ...failureSamples]) console.log(`  ${line}`);
  console.log(`lost: ${lost}`);
  exitCode = lost === 0 && failures === 0 && stillOnline === 0 && openSessions === 0 ? 0 : 1;
} finally {
  redis.disconnect();
  await Promise.all(servers.map((server) => server.stop()));
  await redisServer.stop();
}
process.exit(exitCode);
