import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
import { OnlineCountFeed } from './activity/presence.ts';
import { ActivityStore } from './activity/store.ts';
import { AuthenticationError, createTokenVerifier } from './auth.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { GraphQLContext } from './context.ts';
import { closeRedis, connectRedis, createRedisClient } from './redis.ts';
import { protectionPlugins } from './protections.ts';
import { maskError, useInputErrorCodes } from './schema/errors.ts';
import { schema } from './schema/index.ts';

export const GRAPHQL_PATH = '/graphql';

export interface App {
  readonly yoga: YogaServerInstance<ServerContext, GraphQLContext>;
  readonly store: ActivityStore;
  readonly onlineCount: OnlineCountFeed;
  readonly redis: Redis;
  readonly subscriber: Redis;
  /** Connects to Redis and listens; resolves with the GraphQL endpoint's URL. */
  start(port?: number, host?: string): Promise<string>;
  /** Ends open connections and subscriptions, closes the server and Redis. */
  stop(): Promise<void>;
}

/** What a request brings before the GraphQL context is built. */
export interface ServerContext {
  request?: Request;
  /** The graphql-ws connection_init payload. */
  connectionParams?: Readonly<Record<string, unknown>> | undefined;
  params?: unknown;
}

export interface AppOptions {
  clock?: Clock;
}

export function createApp(config: Config, { clock = systemClock }: AppOptions = {}): App {
  const redis = createRedisClient(config.redis, 'activity-commands');
  const subscriber = createRedisClient(config.redis, 'activity-subscriber');
  // Errors surface on the calls that hit them; without listeners ioredis
  // would also print every reconnection failure.
  redis.on('error', () => {});
  subscriber.on('error', () => {});

  const store = new ActivityStore(redis, clock);
  // Every publish happens inside the Lua scripts (atomically with the set
  // change), so the command connection doubles as the publisher.
  const pubsub = new RedisPubSub({ publisher: redis, subscriber });
  const onlineCount = new OnlineCountFeed(store, pubsub, subscriber, redis);
  const tokens = createTokenVerifier(config.auth);

  // HTTP and SSE requests carry `Authorization: Bearer …`; graphql-ws
  // connections carry it in their connection_init payload.
  const context = async (initial: ServerContext): Promise<GraphQLContext> => {
    const authorization = initial.request?.headers.get('authorization') ?? initial.connectionParams?.['authorization'];
    try {
      const caller = await tokens.callerFrom(typeof authorization === 'string' ? authorization : null);
      return { store, onlineCount, caller, authError: null };
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      return { store, onlineCount, caller: null, authError: error.message };
    }
  };

  const yoga = createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context,
    graphiql: config.graphiql ? { subscriptionsProtocol: 'WS' } : false,
    maskedErrors: { maskError },
    maxRequestBodySize: config.limits.maxRequestBytes,
    plugins: [useInputErrorCodes(), ...protectionPlugins(config, clock)],
    logging: config.production ? 'warn' : 'info',
  });

  const server: Server = createServer(yoga);
  const wsServer = new WebSocketServer({ server, path: GRAPHQL_PATH });
  const wsHandle = useServer(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          connectionParams: ctx.connectionParams,
          params: payload,
        } satisfies ServerContext);
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error]; // e.g. over the token limit
          throw error;
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        return {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
      },
    },
    wsServer,
  );

  let started = false;
  return {
    yoga,
    store,
    onlineCount,
    redis,
    subscriber,
    async start(port = config.port, host = config.host) {
      await Promise.all([connectRedis(redis, config.redis.url), connectRedis(subscriber, config.redis.url)]);
      await onlineCount.start();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      started = true;
      const address = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      return `http://${shownHost}:${address.port}${GRAPHQL_PATH}`;
    },
    async stop() {
      if (started) {
        await wsHandle.dispose(); // completes WebSocket subscriptions and closes sockets
        server.closeAllConnections(); // ends open SSE streams and idle keep-alive sockets
        await new Promise<void>((resolve) => server.close(() => resolve()));
        started = false;
      }
      wsServer.close();
      onlineCount.stop();
      await Promise.all([closeRedis(subscriber), closeRedis(redis)]);
    },
  };
}

/** Yoga's enveloped execute/subscribe, handed to graphql-ws through rootValue. */
interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => OperationResult;
  subscribe: (args: ExecutionArgs) => OperationResult;
}

type OperationResult = Promise<ExecutionResult | AsyncIterable<ExecutionResult>> | ExecutionResult | AsyncIterable<ExecutionResult>;
