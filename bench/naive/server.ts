/**
 * The straightforward implementation issue 14 compares the service with:
 * SDL-first Yoga in one file, one short cjson-based Lua script per call on
 * the same Redis layout (under NAIVE_KEY_PREFIX), no authentication, limits,
 * metrics or logging. Only what the bench sends: `{ __typename }`,
 * trackLogin and trackActivity. Not part of the service; never import it.
 *
 *   PORT=4100 REDIS_URL=redis://127.0.0.1:6380 node bench/naive/server.ts
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JSONObjectResolver } from 'graphql-scalars';
import { createSchema, createYoga } from 'graphql-yoga';
import { Redis } from 'ioredis';

const prefix = process.env['NAIVE_KEY_PREFIX'] ?? 'activity:';
const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
const lua = (name: string) => readFileSync(new URL(`./${name}.lua`, import.meta.url), 'utf8');
redis.defineCommand('naiveActivity', { numberOfKeys: 2, lua: lua('activity') });
redis.defineCommand('naiveLogin', { numberOfKeys: 3, lua: lua('login') });
type ScriptCommand = (...args: string[]) => Promise<string | null>;
const scripts = redis as unknown as { naiveActivity: ScriptCommand; naiveLogin: ScriptCommand };

const typeDefs = /* GraphQL */ `
  scalar JSONObject
  enum ActivityEventType { LOGIN LOGOUT TRADE_BUY TRADE_SELL COMBAT_ATTACK COMBAT_DEFEND SECTOR_MOVE DOCK UNDOCK PLANET_LAND WARP }
  type ActivityEvent { eventType: ActivityEventType! timestamp: String! details: JSONObject! }
  type PlayerSession {
    playerId: ID! loginAt: String! lastActivityAt: String! actionsCount: Int! tradesCount: Int!
    tradeVolume: Float! combatEvents: Int! sectorsVisited: [String!]!
  }
  type TrackActivityResult { event: ActivityEvent! session: PlayerSession }
  type Query { onlinePlayerCount: Int! }
  type Mutation {
    trackLogin(playerId: ID!): PlayerSession!
    trackActivity(playerId: ID!, eventType: ActivityEventType!, details: JSONObject): TrackActivityResult!
  }
`;

interface StoredSession {
  player_id: string;
  login_at: string;
  last_activity_at: string;
  actions_count: number;
  trades_count: number;
  trade_volume: number;
  combat_events: number;
  sectors_visited: string[] | Record<string, never>;
}

const now = () => new Date().toISOString().slice(0, -1);
const toSession = (s: StoredSession) => ({
  playerId: s.player_id,
  loginAt: s.login_at,
  lastActivityAt: s.last_activity_at,
  actionsCount: s.actions_count,
  tradesCount: s.trades_count,
  tradeVolume: s.trade_volume,
  combatEvents: s.combat_events,
  sectorsVisited: Array.isArray(s.sectors_visited) ? s.sectors_visited : [],
});

const resolvers = {
  JSONObject: JSONObjectResolver,
  Query: {
    onlinePlayerCount: () => redis.scard(`${prefix}online_players`),
  },
  Mutation: {
    async trackLogin(_: unknown, { playerId }: { playerId: string }) {
      const at = now();
      const session: StoredSession = {
        player_id: playerId,
        login_at: at,
        last_activity_at: at,
        actions_count: 0,
        trades_count: 0,
        trade_volume: 0,
        combat_events: 0,
        sectors_visited: [],
      };
      const event = JSON.stringify({ event_type: 'login', timestamp: at, details: {} });
      await scripts.naiveLogin(
        `${prefix}session:${playerId}`,
        `${prefix}events:${playerId}`,
        `${prefix}online_players`,
        playerId,
        at,
        JSON.stringify(session),
        event,
      );
      return toSession(session);
    },
    async trackActivity(
      _: unknown,
      {
        playerId,
        eventType,
        details,
      }: { playerId: string; eventType: string; details?: Record<string, unknown> | null },
    ) {
      const type = eventType.toLowerCase();
      const at = now();
      const given = details ?? {};
      const trade = type === 'trade_buy' || type === 'trade_sell' ? String(Number(given['total_value'] ?? 0)) : '';
      const sector = type === 'sector_move' && given['sector_id'] ? String(given['sector_id']) : '';
      const combat = type.startsWith('combat_') ? '1' : '';
      const raw = await scripts.naiveActivity(
        `${prefix}session:${playerId}`,
        `${prefix}events:${playerId}`,
        at,
        JSON.stringify({ event_type: type, timestamp: at, details: given }),
        trade,
        combat,
        sector,
      );
      return {
        event: { eventType, timestamp: at, details: given },
        session: raw ? toSession(JSON.parse(raw) as StoredSession) : null,
      };
    },
  },
};

const yoga = createYoga({ schema: createSchema({ typeDefs, resolvers }) });
const server = createServer(yoga);
server.listen(Number(process.env['PORT'] ?? 4100), process.env['HOST'] ?? '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`naive server listening on http://127.0.0.1:${port}/graphql`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  redis.disconnect();
});
