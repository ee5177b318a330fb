import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { DocumentNode, ExecutionResult } from 'graphql';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { mintToken, type TokenRequest } from '../../src/auth.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { Logger } from '../../src/observability/logger.ts';
import { LocalRedisServer } from '../../src/redis-server.ts';
import { ManualClock } from './clock.ts';
import type { TestCluster } from './cluster.ts';

/** Test servers allow DEBUG (SLEEP) from local connections, to play a slow Redis. */
export const TEST_REDIS_ARGS = ['--enable-debug-command', 'local'];

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256';

type Run = <TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  ...variables: TVariables extends Record<string, never> ? [] : [TVariables]
) => Promise<ExecutionResult<TData>>;

export interface TestService {
  app: App;
  config: Config;
  clock: ManualClock;
  redisServer: LocalRedisServer;
  /** A plain connection for looking at (and arranging) what Redis holds. */
  redis: Redis;
  /** Runs a typed operation in-process through yoga.fetch, as the game server (a service token). */
  run: Run;
  /** Runs operations with another token (or none: `null`). */
  as(token: string | null): { run: Run };
  /** A token for this service's secret; `Bearer …` goes in the Authorization header. */
  token(request: TokenRequest): Promise<string>;
  /** The endpoint on a real port, for clients that need one (SSE over HTTP, graphql-ws). */
  url: string;
  /** Empties this test file's own Redis. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestServiceOptions {
  /** Share a running server (several API instances on one Redis). */
  redisServer?: LocalRedisServer;
  /** Overrides of the test environment; `undefined` unsets one (e.g. JWT_SECRET, to run on a JWKS only). */
  env?: Record<string, string | undefined>;
  /** Where the app logs (silent by default). */
  logger?: Logger;
}

/**
 * The usual life of a test file's service: started once for the file, on a
 * redis-server of its own; before each test Redis is emptied and the clock
 * set to `startsAt`. The handle forwards to the service once it has started.
 */
export function useTestService(options: TestServiceOptions = {}, startsAt = '2026-11-23T22:00:00.000Z'): TestService {
  let started: TestService | undefined;
  beforeAll(async () => {
    started = await startTestService(options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  beforeEach(async () => {
    await started!.reset();
    started!.clock.set(startsAt);
  });
  return new Proxy({} as TestService, {
    get: (_target, property) => {
      if (!started) throw new Error('the test service is used before beforeAll has started it');
      return Reflect.get(started, property);
    },
  });
}

/** A redis-server of this test file's own, and the app on top of it. */
export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const redisServer = options.redisServer ?? (await LocalRedisServer.start('redis-server', TEST_REDIS_ARGS));
  const redis = new Redis(redisServer.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const service = await startApp({ REDIS_URL: redisServer.url }, redis, options);
  return {
    ...service,
    redisServer,
    redis,
    reset: async () => {
      await redis.flushall();
    },
    async stop() {
      await service.stop();
      if (!options.redisServer) await redisServer.stop();
    },
  };
}

export interface ClusterTestService extends Omit<TestService, 'redis' | 'redisServer'> {
  cluster: TestCluster;
  /** A cluster connection for looking at what the cluster holds. */
  redis: Cluster;
}

/** The app on a Redis Cluster (started with startTestCluster); the cluster outlives it. */
export async function startClusterTestService(
  cluster: TestCluster,
  options: Omit<TestServiceOptions, 'redisServer'> = {},
): Promise<ClusterTestService> {
  const redis = new Cluster(cluster.nodes.map(asClusterNode), { lazyConnect: true });
  const service = await startApp({ REDIS_CLUSTER_NODES: cluster.nodes.join(',') }, redis, options);
  return { ...service, cluster, redis, reset: () => cluster.flush() };
}

const asClusterNode = (node: string) => {
  const [host, port] = node.split(':');
  return { host: host!, port: Number(port) };
};

type CommonService = Omit<TestService, 'redis' | 'redisServer' | 'reset'>;

async function startApp(
  connection: Record<string, string>,
  redis: Redis | Cluster,
  options: Omit<TestServiceOptions, 'redisServer'>,
): Promise<CommonService> {
  const config = loadConfig({
    NODE_ENV: 'test',
    ...connection,
    REDIS_COMMAND_TIMEOUT_MS: '500',
    // The whole request's Redis budget: room for a 500-event batch on a loaded test machine.
    REDIS_CALL_DEADLINE_MS: '1000',
    REDIS_CONNECT_TIMEOUT_MS: '500',
    REDIS_MAX_RECONNECT_DELAY_MS: '100',
    JWT_SECRET: TEST_JWT_SECRET,
    // Tests drive the reaper by hand (app.reaper.runOnce) with the manual clock.
    ACTIVITY_REAPER_INTERVAL_SECONDS: '3600',
    ...options.env,
  });
  const clock = new ManualClock();
  const app = createApp(config, { clock, ...(options.logger ? { logger: options.logger } : {}) });
  const url = await app.start(0, '127.0.0.1');
  redis.on('error', () => {});
  await redis.connect();

  const token = (request: TokenRequest) => mintToken(config.auth.secret ?? TEST_JWT_SECRET, request);
  const runnerFor = (bearer: string | null): Run => {
    const executor = buildHTTPExecutor({
      fetch: app.yoga.fetch,
      endpoint: 'http://yoga/graphql',
      // Subscriptions go out as GET (SSE); CSRF prevention wants this header on those.
      headers: { 'x-graphql-yoga-csrf': '1', ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }) },
    });
    return async (document, ...variables) =>
      (await executor({ document: document as DocumentNode, variables: variables[0] })) as ExecutionResult<never>;
  };

  return {
    app,
    config,
    clock,
    run: runnerFor(await token({ role: 'service', subject: 'game-server' })),
    as: (bearer) => ({ run: runnerFor(bearer) }),
    token,
    url,
    async stop() {
      redis.disconnect();
      await app.stop();
    },
  };
}

/** The extensions.code of each error, in order. */
export const errorCodes = (result: ExecutionResult<unknown>) =>
  (result.errors ?? []).map((error) => error.extensions?.['code']);

/** The data of a result that must have succeeded (no errors). */
export function expectData<T>(result: ExecutionResult<T>): T {
  expect(result.errors).toBeUndefined();
  if (!result.data) throw new Error('no data');
  return result.data;
}
