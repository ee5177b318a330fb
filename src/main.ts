import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { withDevelopmentAuth } from './dev-auth.ts';
import { resolveRedis } from './redis-server.ts';

/** Entry point: configuration → Redis → app → listen; SIGTERM/SIGINT stop it. */

async function main(): Promise<void> {
  const { config, localRedis } = await resolveRedis(await withDevelopmentAuth(loadConfig(), console.info), {
    warn: console.warn,
  });
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
