import { getHeapStatistics } from 'node:v8';
import { z } from 'zod';
import { EVENT_ID_DEFAULTS } from './activity/redis/layout.ts';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const environment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  OPS_HOST: z.string().min(1).optional(),
  OPS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  WS_KEEPALIVE_SECONDS: z.coerce.number().min(0).default(30),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  REDIS_CLUSTER_NODES: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((node) => node.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .refine(
              (node) => /^[^\s:/@]+:\d{1,5}$/.test(node) || /^rediss?:\/\/([^\s/@]*@)?[^\s:/@]+:\d{1,5}\/?$/.test(node),
              'each node must be host:port, redis://[user:password@]host:port or rediss://[user:password@]host:port',
            ),
        )
        .min(1, 'name at least one node'),
    )
    .optional(),
  REDIS_TLS_CA_FILE: z.string().min(1).optional(),
  REDIS_WAIT_REPLICAS: z.coerce.number().int().min(0).max(16).default(0),
  REDIS_WAIT_TIMEOUT_MS: z.coerce.number().int().positive().default(500),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(1000),
  REDIS_CALL_DEADLINE_MS: z.coerce.number().int().positive().max(60_000).optional(),
  REDIS_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(1000),
  REDIS_MAX_RECONNECT_DELAY_MS: z.coerce.number().int().positive().default(1000),
  GRAPHIQL: z.stringbool().optional(),
  ADMIN_CONSOLE: z.stringbool().default(true),
  GRAPHQL_INTROSPECTION: z.stringbool().optional(),
  JWT_SECRET: z
    .string()
    .superRefine((secret, context) => {
      const weakness = secretWeakness(secret);
      if (weakness) context.addIssue({ code: 'custom', message: weakness });
    })
    .optional(),
  JWT_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  MAX_REQUEST_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  RATE_LIMIT_MUTATIONS_PER_MINUTE: z.coerce.number().int().min(0).default(0),
  MAX_OPERATION_COST: z.coerce.number().int().positive().default(150_000),
  MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024),
  MAX_ITEMS_PER_REQUEST: z.coerce.number().int().positive().default(2000),
  MAX_SUBSCRIPTIONS: z.coerce.number().int().positive().optional(),
  MAX_CONNECTIONS: z.coerce.number().int().positive().default(10_000),
  MAX_SUBSCRIPTIONS_PER_SOCKET: z.coerce.number().int().positive().default(20),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  CORS_ORIGINS: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(/^https?:\/\/[^/\s]+$/, 'each origin must be scheme://host[:port], without a path or trailing slash'),
      ),
    )
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(5000),
  ACTIVITY_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(1800),
  ACTIVITY_REAPER_INTERVAL_SECONDS: z.coerce.number().positive().default(30),
  ACTIVITY_REAPER_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  EVENT_ID_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(EVENT_ID_DEFAULTS.ttlSeconds),
  EVENT_ID_MAX_PER_PLAYER: z.coerce.number().int().min(1).max(1_000_000).default(EVENT_ID_DEFAULTS.maxPerPlayer),
});

/** Why an HS256 secret is too weak to sign with, or null when it is fine. */
export function secretWeakness(secret: string): string | null {
  if (secret.length < 32) return 'must be at least 32 characters (256 bits) for HS256';
  if (new Set(secret).size < 10)
    return 'is too repetitive to be a secret (fewer than 10 distinct characters): use e.g. `openssl rand -base64 32`';
  return null;
}

export interface Config {
  production: boolean;
  /** Loopback only, outside production: the development conveniences (random secret, printed tokens, GraphiQL) are safe. */
  host: string;
  port: number;
  /** Where /health, /ready and /metrics are served; unset: on the public port. */
  ops?: { host: string; port: number };
  /** Seconds between WebSocket pings (0: none); a peer silent for two intervals is dropped. */
  wsKeepAliveSeconds: number;
  redis: {
    url: string;
    /** False when REDIS_URL was left unset and the default is in use. */
    explicit: boolean;
    /** Redis Cluster seed nodes (host:port or redis[s]:// URLs); when set, the service runs on the cluster (REDIS_URL unused). */
    clusterNodes?: string[];
    /** PEM file of the CA that signed the Redis servers' TLS certificates (rediss://), when not a public one. */
    tlsCaFile?: string;
    /** >0: every write waits (WAIT) until this many replicas hold it, or fails SERVICE_UNAVAILABLE. */
    waitReplicas: number;
    waitTimeoutMs: number;
    commandTimeoutMs: number;
    /** Longest time one request may wait on Redis from its start, queueing included; then SERVICE_UNAVAILABLE. Defaults to the command timeout. */
    callDeadlineMs: number;
    connectTimeoutMs: number;
    maxReconnectDelayMs: number;
  };
  graphiql: boolean;
  /** The admin console at /admin. */
  adminConsole: boolean;
  /** Outside production with the random development secret: an admin token the console offers on this machine. */
  developmentAdminToken?: string;
  introspection: boolean;
  logLevel: string;
  /** How long a graceful stop lets requests in flight finish. */
  shutdownGraceMs: number;
  reaper: {
    /** A session with no activity and no heartbeat for this long is completed. */
    idleTimeoutSeconds: number;
    intervalSeconds: number;
    batchSize: number;
  };
  /** Client event ids: how long, and how many per player, they are remembered. */
  eventIds: {
    ttlSeconds: number;
    maxPerPlayer: number;
  };
  auth: {
    /** HS256 shared secret. */
    secret?: string;
    /** JWKS of the game's auth server (RS256 / ES256). */
    jwksUrl?: string;
    issuer?: string;
    audience?: string;
  };
  /** Browser origins allowed to call cross-origin; empty means none (outside production: any, without credentials). */
  corsOrigins: string[];
  limits: {
    maxRequestBytes: number;
    /** Writes (one per event or session call) one caller may make per minute, across all instances; 0 means no limit. */
    mutationsPerMinute: number;
    /** Most worst-case cost of one operation (lists multiplied by their size). */
    maxOperationCost: number;
    /** Most bytes of one answer. */
    maxResponseBytes: number;
    /** Most items (events, ids) one operation reads from Redis. */
    maxItemsPerRequest: number;
    /** Most subscriptions open on this instance (SSE and graphql-ws); by default what half the heap holds. */
    maxSubscriptions: number;
    /** Most TCP connections open at once on the public listener (HTTP, SSE and WebSocket alike). */
    maxConnections: number;
    /** Most operations open at once on one graphql-ws socket. */
    maxSubscriptionsPerSocket: number;
    /** A request's headers and body must arrive within this time. */
    requestTimeoutMs: number;
  };
}

/**
 * Heap one open subscription keeps alive: measured ~34 KiB per SSE
 * subscriber (Yoga's request, stream and subscription state; 6,000 took
 * 234 MiB), rounded up. Past the heap limit the process dies, so the
 * default cap keeps subscriptions to half the heap and the rest for requests.
 */
export const HEAP_BYTES_PER_SUBSCRIPTION = 40 * 1024;
const MOST_SUBSCRIPTIONS = 10_000;

/** The default MAX_SUBSCRIPTIONS: what half of a heap of `heapLimitBytes` holds, at most 10,000. */
export const subscriptionsTheHeapHolds = (heapLimitBytes: number) =>
  Math.max(1, Math.min(MOST_SUBSCRIPTIONS, Math.floor(heapLimitBytes / 2 / HEAP_BYTES_PER_SUBSCRIPTION)));

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;
export const isLoopback = (host: string) => LOOPBACK.test(host);

/** Reads the environment once; throws a message that names every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (e.REDIS_WAIT_REPLICAS > 0 && e.REDIS_WAIT_TIMEOUT_MS >= e.REDIS_COMMAND_TIMEOUT_MS) {
    throw new Error(
      `Invalid configuration:\n  REDIS_WAIT_TIMEOUT_MS: must be below REDIS_COMMAND_TIMEOUT_MS (${e.REDIS_COMMAND_TIMEOUT_MS}), or the command times out before WAIT answers`,
    );
  }
  if (e.OPS_HOST !== undefined && e.OPS_PORT === undefined) {
    throw new Error('Invalid configuration:\n  OPS_HOST: set OPS_PORT too (OPS_HOST alone has no port to serve on)');
  }
  if (production && !e.JWT_SECRET && !e.JWT_JWKS_URL) {
    throw new Error(
      'Invalid configuration:\n  JWT_SECRET or JWT_JWKS_URL is required with NODE_ENV=production (callers authenticate with bearer JWTs)',
    );
  }
  const host = e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1');
  if (!production && !isLoopback(host)) {
    throw new Error(
      `Invalid configuration:\n  HOST=${host} would serve other machines in development mode (a random JWT secret, tokens in the log, GraphiQL). ` +
        'Set NODE_ENV=production with JWT_SECRET or JWT_JWKS_URL to serve the network, or leave HOST unset (127.0.0.1) for development.',
    );
  }
  const opsHost = e.OPS_HOST ?? host;
  if (!production && !isLoopback(opsHost)) {
    throw new Error(
      `Invalid configuration:\n  OPS_HOST=${opsHost} would serve other machines in development mode. ` +
        'Set NODE_ENV=production to serve the network, or leave OPS_HOST unset (the HOST, 127.0.0.1) for development.',
    );
  }
  return {
    production,
    host,
    port: e.PORT,
    ...(e.OPS_PORT !== undefined ? { ops: { host: opsHost, port: e.OPS_PORT } } : {}),
    wsKeepAliveSeconds: e.WS_KEEPALIVE_SECONDS,
    redis: {
      url: e.REDIS_URL ?? DEFAULT_REDIS_URL,
      explicit: e.REDIS_URL !== undefined || e.REDIS_CLUSTER_NODES !== undefined,
      ...(e.REDIS_CLUSTER_NODES ? { clusterNodes: e.REDIS_CLUSTER_NODES } : {}),
      ...(e.REDIS_TLS_CA_FILE ? { tlsCaFile: e.REDIS_TLS_CA_FILE } : {}),
      waitReplicas: e.REDIS_WAIT_REPLICAS,
      waitTimeoutMs: e.REDIS_WAIT_TIMEOUT_MS,
      commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
      callDeadlineMs: e.REDIS_CALL_DEADLINE_MS ?? e.REDIS_COMMAND_TIMEOUT_MS,
      connectTimeoutMs: e.REDIS_CONNECT_TIMEOUT_MS,
      maxReconnectDelayMs: e.REDIS_MAX_RECONNECT_DELAY_MS,
    },
    graphiql: e.GRAPHIQL ?? !production,
    adminConsole: e.ADMIN_CONSOLE,
    introspection: e.GRAPHQL_INTROSPECTION ?? !production,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    reaper: {
      idleTimeoutSeconds: e.ACTIVITY_IDLE_TIMEOUT_SECONDS,
      intervalSeconds: e.ACTIVITY_REAPER_INTERVAL_SECONDS,
      batchSize: e.ACTIVITY_REAPER_BATCH_SIZE,
    },
    eventIds: {
      ttlSeconds: e.EVENT_ID_TTL_SECONDS,
      maxPerPlayer: e.EVENT_ID_MAX_PER_PLAYER,
    },
    auth: {
      ...(e.JWT_SECRET ? { secret: e.JWT_SECRET } : {}),
      ...(e.JWT_JWKS_URL ? { jwksUrl: e.JWT_JWKS_URL } : {}),
      ...(e.JWT_ISSUER ? { issuer: e.JWT_ISSUER } : {}),
      ...(e.JWT_AUDIENCE ? { audience: e.JWT_AUDIENCE } : {}),
    },
    corsOrigins: e.CORS_ORIGINS ?? [],
    limits: {
      maxRequestBytes: e.MAX_REQUEST_BYTES,
      mutationsPerMinute: e.RATE_LIMIT_MUTATIONS_PER_MINUTE,
      maxOperationCost: e.MAX_OPERATION_COST,
      maxResponseBytes: e.MAX_RESPONSE_BYTES,
      maxItemsPerRequest: e.MAX_ITEMS_PER_REQUEST,
      maxSubscriptions: e.MAX_SUBSCRIPTIONS ?? subscriptionsTheHeapHolds(getHeapStatistics().heap_size_limit),
      maxConnections: e.MAX_CONNECTIONS,
      maxSubscriptionsPerSocket: e.MAX_SUBSCRIPTIONS_PER_SOCKET,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    },
  };
}
