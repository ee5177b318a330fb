import { Redis } from 'ioredis';
import { createApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { LocalRedisServer } from './redis-server.ts';

/** Entry point: configuration → Redis → app → listen; SIGTERM/SIGINT stop it. */

async function redisAnswers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * With REDIS_URL unset and nothing at the default address, a newcomer gets a
 * private throwaway redis-server (when one is installed) instead of an error.
 */
async function resolveRedis(config: Config): Promise<{ config: Config; localRedis?: LocalRedisServer }> {
  if (config.redis.explicit || (await redisAnswers(config.redis.url))) return { config };
  try {
    const localRedis = await LocalRedisServer.start();
    console.warn(
      `No Redis answered at ${config.redis.url}; started a private throwaway redis-server at ${localRedis.url} (its data goes away on exit). Set REDIS_URL to use your own.`,
    );
    return { config: { ...config, redis: { ...config.redis, url: localRedis.url } }, localRedis };
  } catch (error) {
    throw new Error(
      `No Redis answered at ${config.redis.url} and no redis-server could be started (${(error as Error).message}). Set REDIS_URL to a reachable Redis.`,
    );
  }
}

async function main(): Promise<void> {
  const { config, localRedis } = await resolveRedis(loadConfig());
  const app = createApp(config);
  const url = await app.start();
  console.info(`Player Activity API listening on ${url}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.info(`${signal} received, shutting down`);
    await app.stop();
    await localRedis?.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
