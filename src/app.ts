import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
import { OnlineCountFeed } from './activity/presence.ts';
import { ActivityStore } from './activity/store.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { GraphQLContext } from './context.ts';
import { closeRedis, connectRedis, createRedisClient } from './redis.ts';
import { maskError, useInputErrorCodes } from './schema/errors.ts';
import { schema } from './schema/index.ts';

export const GRAPHQL_PATH = '/graphql';

export interface App {
  readonly yoga: YogaServerInstance<Record<string, unknown>, GraphQLContext>;
  readonly store: ActivityStore;
  readonly onlineCount: OnlineCountFeed;
  readonly redis: Redis;
  readonly subscriber: Redis;
  /** Connects to Redis and listens; resolves with the GraphQL endpoint's URL. */
  start(port?: number, host?: string): Promise<string>;
  /** Ends open connections and subscriptions, closes the server and Redis. */
  stop(): Promise<void>;
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
  const context: GraphQLContext = { store, onlineCount };

  const yoga = createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: () => context,
    graphiql: config.graphiql ? { subscriptionsProtocol: 'WS' } : false,
    maskedErrors: { maskError },
    plugins: [useInputErrorCodes()],
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
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        const args = {
          schema,
          operationName: payload.operationName,
          document: parse(payload.query),
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length > 0 ? errors : args;
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
