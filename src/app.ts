import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { OnlineCountFeed } from './activity/presence.ts';
import { IdleReaper } from './activity/reaper.ts';
import { ActivityStore } from './activity/store.ts';
import { AuthenticationError, type Credentials, createTokenVerifier } from './auth.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config.ts';
import type { GraphQLContext, ServerContext } from './context.ts';
import { createAdminConsoleRoutes } from './http/admin-console.ts';
import { useRequestBodyLimit } from './http/body-limit.ts';
import { createLocalGraphiQL } from './http/graphiql.ts';
import { serveGraphQLOverWebSocket } from './http/graphql-ws.ts';
import { createOpsRoutes } from './http/ops-routes.ts';
import { useNoProxyBufferingForSSE } from './http/sse-buffering.ts';
import { webSocketAuthorization } from './http/ws-authorization.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { ServiceMetrics } from './observability/metrics.ts';
import { useRequestLog } from './observability/request-log.ts';
import { RequestBudget } from './protections/budget.ts';
import { protectionPlugins } from './protections.ts';
import { CostWindowLimiter } from './rate-limit/cost-window.ts';
import { closeRedis, connectRedis, createRedisClient, type RedisClient } from './redis.ts';
import { maskError, useInputErrorCodes } from './schema/errors.ts';
import { schema } from './schema/index.ts';

export const GRAPHQL_PATH = '/graphql';

export interface App {
  readonly yoga: YogaServerInstance<ServerContext, GraphQLContext>;
  readonly store: ActivityStore;
  readonly onlineCount: OnlineCountFeed;
  readonly reaper: IdleReaper;
  readonly redis: RedisClient;
  readonly subscriber: RedisClient;
  readonly metrics: ServiceMetrics;
  readonly logger: Logger;
  /** Connects to Redis and listens; resolves with the GraphQL endpoint's URL. */
  start(port?: number, host?: string): Promise<string>;
  /** Base URL of /health, /ready and /metrics once started (OPS_PORT, or the public port). */
  opsUrl(): string;
  /**
   * Graceful stop: refuses new connections and reports not ready, completes
   * every subscription (SSE and WebSocket), lets requests in flight finish
   * for up to SHUTDOWN_GRACE_MS, then closes what is left and quits Redis.
   */
  stop(): Promise<void>;
}

export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
}

export function createApp(
  config: Config,
  { clock = systemClock, logger = createLogger(config.logLevel) }: AppOptions = {},
): App {
  const redis = createRedisClient(config.redis, 'activity-commands');
  const subscriber = createRedisClient(config.redis, 'activity-subscriber');

  const metrics = new ServiceMetrics({ schema, openSubscriptions: () => onlineCount.openFeeds });
  const store = new ActivityStore(redis, clock, {
    callDeadlineMs: config.redis.callDeadlineMs,
    replicaAcks:
      config.redis.waitReplicas > 0
        ? { replicas: config.redis.waitReplicas, timeoutMs: config.redis.waitTimeoutMs }
        : undefined,
    eventIds: config.eventIds,
    onDuplicate: () => metrics.eventIdDuplicates.inc(),
    onUnavailable: () => metrics.redisFailures.inc({ connection: 'commands' }),
  });
  // A scrape while Redis is away reads nothing (and so counts no failure of its own).
  metrics.readOnlinePlayersWith(() => (redis.status === 'ready' ? store.getOnlineCount() : null));
  // Every publish happens inside the Lua scripts (atomically with the set
  // change), so the command connection doubles as the publisher.
  const pubsub = new RedisPubSub({ publisher: redis, subscriber });
  const onlineCount = new OnlineCountFeed(store, pubsub, subscriber, redis);
  const tokens = createTokenVerifier(config.auth);
  const rateLimiter =
    config.limits.mutationsPerMinute > 0
      ? new CostWindowLimiter(redis, config.limits.mutationsPerMinute, clock)
      : undefined;
  const reaper = new IdleReaper(store, config.reaper, {
    onBatch: ({ reaped, ghosts, failed }) => {
      metrics.reapedSessions.inc(reaped);
      metrics.removedGhosts.inc(ghosts);
      if (reaped + ghosts > 0) logger.info({ reaped, ghosts }, 'reaper batch');
      if (failed > 0) logger.warn({ failed }, 'reaper skipped players whose keys made the script fail');
    },
    onError: (error) => logger.warn({ err: (error as Error).message }, 'reaper pass failed; retrying next interval'),
  });
  // Failed calls surface as errors on the calls themselves; the connection
  // errors behind them are counted and logged once per state change.
  for (const [connection, client] of [
    ['commands', redis],
    ['subscriber', subscriber],
  ] as const) {
    client.on('error', (error: Error) => {
      metrics.redisFailures.inc({ connection });
      logger.debug({ connection, err: error.message }, 'redis connection error');
    });
    client.on('end', () => logger.debug({ connection }, 'redis connection closed'));
    client.on('reconnecting', () => logger.warn({ connection }, 'redis connection lost, reconnecting'));
    client.on('ready', () => logger.info({ connection }, 'redis connection ready'));
  }

  // HTTP and SSE requests carry `Authorization: Bearer …`; graphql-ws
  // operations carry it in connection_init or the subscribe message.
  const context = async (initial: ServerContext): Promise<GraphQLContext> => {
    const authorization = initial.request
      ? initial.request.headers.get('authorization')
      : webSocketAuthorization(initial.connectionParams, initial.params);
    let credentials: Credentials | null = null;
    let authError: string | null = null;
    try {
      credentials = await tokens.credentialsFrom(typeof authorization === 'string' ? authorization : null);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      authError = error.message;
    }
    return {
      // One deadline for every Redis call of the request, counted from its start.
      store: store.forCall(),
      onlineCount,
      caller: credentials?.caller ?? null,
      credentialsExpireAt: credentials?.expiresAt ?? null,
      authError,
      budget: new RequestBudget(config.limits.maxItemsPerRequest),
    };
  };

  const graphiql = createLocalGraphiQL();
  const yoga = createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context,
    graphiql: config.graphiql ? { subscriptionsProtocol: 'WS' } : false,
    renderGraphiQL: (options) => graphiql.render(options),
    // isDev off whatever NODE_ENV says: causes go to the log, never to the caller.
    maskedErrors: { maskError, isDev: false },
    // Checked by useRequestBodyLimit, at a fraction of the cost.
    maxRequestBodySize: false,
    cors: (request) => corsFor(config, request.headers.get('origin')),
    plugins: [
      useRequestLog(logger),
      metrics.plugin(),
      useInputErrorCodes(),
      ...protectionPlugins(config, { rateLimiter }),
      useNoProxyBufferingForSSE(),
      useRequestBodyLimit(config.limits.maxRequestBytes),
    ],
    logging: {
      debug: (...args) => logger.debug(args),
      info: (...args) => logger.info(args),
      warn: (...args) => logger.warn(args),
      error: (...args) => logger.error(args[0] instanceof Error ? { err: args[0] } : args, 'graphql error'),
    },
  });

  let accepting = true;
  const opsRoutes = createOpsRoutes({
    redis,
    subscriber,
    registry: metrics.registry,
    accepting: () => accepting,
    onMetricsError: (error) => logger.warn({ err: (error as Error).message }, '/metrics failed'),
  });
  // Pages for browsers, each in its own module; each answers false for what is not its own.
  const browserRoutes = [
    ...(config.graphiql ? [graphiql.routes] : []),
    ...(config.adminConsole ? [createAdminConsoleRoutes({ developmentAdminToken: config.developmentAdminToken })] : []),
  ];
  // Routes tried in order before Yoga; `fallback` answers what none of them took.
  const serveRoutes =
    (routes: readonly ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>)[]) =>
    (req: IncomingMessage, res: ServerResponse, fallback: () => void) => {
      (async () => {
        for (const route of routes) if (await route(req, res)) return true;
        return false;
      })().then(
        (handled) => {
          if (!handled) fallback();
        },
        (error: unknown) => {
          logger.error({ err: error }, 'route failed');
          if (!res.headersSent) res.writeHead(500).end();
        },
      );
    };
  const { requestTimeoutMs } = config.limits;
  // Headers and body must both arrive within REQUEST_TIMEOUT_MS (408 otherwise). Node checks
  // every connectionsCheckingInterval (30 s by default, which would let a slow body stay up to
  // twice the limit), so check often.
  const serverOptions = {
    requestTimeout: requestTimeoutMs,
    headersTimeout: requestTimeoutMs,
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(requestTimeoutMs / 10))),
  };
  // Node's own check above runs on an interval and has been seen to let a stalled body through under
  // load; this timer per request makes the deadline exact: a body still incomplete then gets 408.
  const withBodyDeadline = (req: IncomingMessage, res: ServerResponse) => {
    const bodyDeadline = setTimeout(() => {
      if (req.complete) return;
      if (!res.headersSent) res.writeHead(408, { connection: 'close' }).end();
      req.socket.destroy();
    }, requestTimeoutMs).unref();
    res.once('close', () => clearTimeout(bodyDeadline));
  };
  // With OPS_PORT the operators' endpoints get a listener of their own (an
  // internal address a load balancer's probes and Prometheus reach) and the
  // public port serves GraphQL only.
  const serveOps = serveRoutes([opsRoutes]);
  const servePublic = serveRoutes(config.ops ? browserRoutes : [opsRoutes, ...browserRoutes]);
  const opsServer: Server | null = config.ops
    ? createServer(serverOptions, (req, res) => {
        withBodyDeadline(req, res);
        serveOps(req, res, () => res.writeHead(404).end());
      })
    : null;
  const server: Server = createServer(serverOptions, (req, res) => {
    withBodyDeadline(req, res);
    servePublic(req, res, () => void yoga(req, res));
  });
  // Beyond it Node closes new connections at once: a flood of idle sockets cannot exhaust memory or descriptors.
  server.maxConnections = config.limits.maxConnections;
  const webSocket = serveGraphQLOverWebSocket(server, GRAPHQL_PATH, yoga, {
    maxMessageBytes: config.limits.maxRequestBytes,
    maxOperationsPerSocket: config.limits.maxSubscriptionsPerSocket,
    keepAliveMs: config.wsKeepAliveSeconds * 1000,
  });

  let started = false;
  let opsUrl = '';
  return {
    yoga,
    store,
    onlineCount,
    reaper,
    redis,
    subscriber,
    async start(port = config.port, host = config.host) {
      await Promise.all([connectRedis(redis, config.redis), connectRedis(subscriber, config.redis)]);
      try {
        await store.prepare();
      } catch (error) {
        await Promise.all([closeRedis(subscriber), closeRedis(redis)]);
        throw error;
      }
      await onlineCount.start();
      reaper.start();
      try {
        const publicPort = await listen(server, port, host);
        const opsPort =
          opsServer && config.ops ? await listen(opsServer, config.ops.port, config.ops.host) : publicPort;
        started = true;
        opsUrl = `http://${shownHost(opsServer && config.ops ? config.ops.host : host)}:${opsPort}`;
        return `http://${shownHost(host)}:${publicPort}${GRAPHQL_PATH}`;
      } catch (error) {
        // Redis is connected and the reaper runs: undo that before failing.
        server.close();
        opsServer?.close();
        await reaper.stop();
        onlineCount.stop();
        await Promise.all([closeRedis(subscriber), closeRedis(redis)]);
        throw error;
      }
    },
    opsUrl: () => opsUrl,
    metrics,
    logger,
    async stop() {
      accepting = false;
      await reaper.stop();
      if (started) {
        started = false;
        const deadline = Date.now() + config.shutdownGraceMs;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Complete every subscription: SSE streams send `complete` and end,
        // graphql-ws sends `complete` for each; then close the sockets (1001).
        onlineCount.endAll();
        while ((onlineCount.openFeeds > 0 || webSocket.busy()) && Date.now() < deadline) await sleep(10);
        await webSocket.dispose();
        // Requests in flight finish; each connection is closed once idle.
        const sweep = setInterval(() => server.closeIdleConnections(), 25);
        const grace = setTimeout(() => server.closeAllConnections(), Math.max(0, deadline - Date.now()));
        server.closeIdleConnections();
        await closed;
        clearInterval(sweep);
        clearTimeout(grace);
        // The ops listener closes last: until then /ready says "not ready".
        if (opsServer) {
          const opsClosed = new Promise<void>((resolve) => opsServer.close(() => resolve()));
          opsServer.closeAllConnections();
          await opsClosed;
        }
      }
      onlineCount.stop();
      await Promise.all([closeRedis(subscriber), closeRedis(redis)]);
    },
  };
}

/** Listens; a port in use (or any listen error) becomes one clear line. */
async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`;
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} on ${host} is already in use: stop what listens there or choose another port (PORT / OPS_PORT)`
            : error.code === 'EACCES'
              ? `Not allowed to listen on ${where} (ports below 1024 need privileges): choose another port`
              : `Cannot listen on ${where}: ${error.message}`,
          { cause: error },
        ),
      );
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

const shownHost = (host: string) =>
  host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;

/** Headers a browser on another origin may use. */
const CORS_REQUEST_HEADERS = ['authorization', 'content-type', 'x-graphql-yoga-csrf', 'x-request-id'];

/**
 * Cross-origin callers: the CORS_ORIGINS allowlist; outside production with
 * no list (a developer's loopback), any origin. Never credentials: callers
 * authenticate with a bearer header, not cookies.
 */
function corsFor(config: Config, origin: string | null) {
  if (origin === null) return false;
  const allowed = config.corsOrigins.length > 0 ? config.corsOrigins.includes(origin) : !config.production;
  if (!allowed) return false;
  return {
    origin: [origin],
    credentials: false,
    methods: ['GET', 'POST'],
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: ['x-request-id'],
    maxAge: 600,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
