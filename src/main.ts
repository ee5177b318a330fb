import { getHeapStatistics } from 'node:v8';
import { createApp } from './app.ts';
import { HEAP_BYTES_PER_SUBSCRIPTION, loadConfig, subscriptionsTheHeapHolds } from './config.ts';
import { withDevelopmentAuth } from './dev-auth.ts';
import { createLogger } from './observability/logger.ts';
import { describeRedis } from './redis.ts';
import { resolveRedis } from './redis-server.ts';

/** Entry point: configuration → Redis → app → listen; SIGTERM/SIGINT stop it gracefully. */

const HARD_STOP_MS = 10_000;

async function main(): Promise<void> {
  const initial = loadConfig();
  const logger = createLogger(initial.logLevel);
  const { config, localRedis } = await resolveRedis(
    // The tokens go to stdout as plain lines, to be copied; not into a JSON log line.
    await withDevelopmentAuth(initial, (message) => {
      logger.info('development authentication: tokens printed below');
      logger.flush();
      process.stdout.write(`${message}\n`);
    }),
    { warn: (message) => logger.warn(message) },
  );
  const heapLimit = getHeapStatistics().heap_size_limit;
  if (config.limits.maxSubscriptions > subscriptionsTheHeapHolds(heapLimit)) {
    const neededMiB = Math.ceil((2 * config.limits.maxSubscriptions * HEAP_BYTES_PER_SUBSCRIPTION) / 2 ** 20);
    logger.warn(
      `MAX_SUBSCRIPTIONS=${config.limits.maxSubscriptions} needs about ${neededMiB} MiB of heap and this process has ` +
        `${Math.round(heapLimit / 2 ** 20)} MiB: raise --max-old-space-size or lower MAX_SUBSCRIPTIONS`,
    );
  }
  const app = createApp(config, { logger });
  const redis = describeRedis(config.redis);
  const url = await app.start();
  logger.info({ url, redis }, `Player Activity API listening on ${url} (data in ${redis})`);
  if (config.ops) logger.info({ ops: app.opsUrl() }, `/health, /ready and /metrics on ${app.opsUrl()}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${signal} received, shutting down`);
    // Whatever hangs, the process is gone within HARD_STOP_MS.
    setTimeout(() => {
      logger.error('shutdown took too long, exiting');
      process.exit(1);
    }, HARD_STOP_MS).unref();
    await app.stop();
    await localRedis?.stop();
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // A bug must not take the service down silently; log it and keep serving.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
