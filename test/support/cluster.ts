import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { LocalRedisServer } from '../../src/redis-server.ts';
import { eventually } from './eventually.ts';

const run = promisify(execFile);

/** A throwaway Redis Cluster of real redis-server processes on free ports. */
export interface TestCluster {
  /** host:port of every master. */
  nodes: string[];
  servers: LocalRedisServer[];
  /** Empties every master. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestCluster(masters = 3): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'activity-cluster-'));
  const servers = await Promise.all(
    Array.from({ length: masters }, (_, index) =>
      LocalRedisServer.start('redis-server', [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${index}.conf`,
        '--cluster-node-timeout',
        '2000',
        '--dir',
        dir,
      ]),
    ),
  );
  const nodes = servers.map((server) => `127.0.0.1:${server.port}`);
  await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], {
    timeout: 30_000,
  });
  await Promise.all(servers.map((server) => waitForClusterOk(server.url)));
  const forEachMaster = async (command: (redis: Redis) => Promise<unknown>) => {
    await Promise.all(
      servers.map(async (server) => {
        const redis = new Redis(server.url);
        try {
          await command(redis);
        } finally {
          redis.disconnect();
        }
      }),
    );
  };
  return {
    nodes,
    servers,
    flush: () => forEachMaster((redis) => redis.flushall()),
    async stop() {
      await Promise.all(servers.map((server) => server.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForClusterOk(url: string, timeoutMs = 20_000): Promise<void> {
  const redis = new Redis(url);
  try {
    await eventually(
      async () => {
        const info = (await redis.call('CLUSTER', 'INFO')) as string;
        if (!info.includes('cluster_state:ok')) throw new Error(`cluster at ${url} did not reach cluster_state:ok`);
      },
      { timeoutMs, intervalMs: 50 },
    );
  } finally {
    redis.disconnect();
  }
}
