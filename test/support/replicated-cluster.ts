import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { LocalRedisServer } from '../../src/redis-server.ts';
import { eventually } from './eventually.ts';

const run = promisify(execFile);

/** The ACL user the service connects as; the default user is switched off. */
export const CLUSTER_USER = 'activity-api';
export const CLUSTER_PASSWORD = 'cluster-password-for-tests-only-7f3a';

/**
 * A Redis Cluster of masters each with one replica, as a managed one is:
 * clients must log in as an ACL user (the default user is off), replicas
 * replicate as that user, and a dead master is replaced within about
 * `nodeTimeoutMs` + 1 s.
 */
export interface ReplicatedCluster {
  /** redis://user:password@host:port of every node, the form REDIS_CLUSTER_NODES takes. */
  nodeUrls: string[];
  servers: LocalRedisServer[];
  /** A connection to one node, logged in. */
  connect(server: LocalRedisServer): Redis;
  /** The master that serves a key's slot now, and its replica. */
  ownerOf(key: string): Promise<{ master: LocalRedisServer; replica: LocalRedisServer }>;
  stop(): Promise<void>;
}

export async function startReplicatedCluster({ masters = 3, nodeTimeoutMs = 1000 } = {}): Promise<ReplicatedCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'activity-replicated-'));
  const auth = ['--user', 'default', 'off', '--user', CLUSTER_USER, 'on', `>${CLUSTER_PASSWORD}`, '~*', '&*', '+@all'];
  const servers = await Promise.all(
    Array.from({ length: masters * 2 }, (_, index) =>
      LocalRedisServer.start('redis-server', [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${index}.conf`,
        '--cluster-node-timeout',
        String(nodeTimeoutMs),
        '--dir',
        dir,
        '--masteruser',
        CLUSTER_USER,
        '--masterauth',
        CLUSTER_PASSWORD,
        ...auth,
      ]),
    ),
  );
  const connect = (server: LocalRedisServer) =>
    new Redis({
      port: server.port,
      host: '127.0.0.1',
      username: CLUSTER_USER,
      password: CLUSTER_PASSWORD,
      maxRetriesPerRequest: 1,
    });
  const byPort = new Map(servers.map((server) => [server.port, server]));
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run(
      'redis-cli',
      [
        '--user',
        CLUSTER_USER,
        '--pass',
        CLUSTER_PASSWORD,
        '--no-auth-warning',
        '--cluster',
        'create',
        ...servers.map((server) => `127.0.0.1:${server.port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      { timeout: 30_000 },
    );
    await Promise.all(servers.map((server) => waitUntilSettled(connect(server), masters)));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    nodeUrls: servers.map((server) => `redis://${CLUSTER_USER}:${CLUSTER_PASSWORD}@127.0.0.1:${server.port}`),
    servers,
    connect,
    async ownerOf(key) {
      const live = servers.find((server) => server.running)!;
      const redis = connect(live);
      try {
        const slot = (await redis.call('CLUSTER', 'KEYSLOT', key)) as number;
        // id address@bus flags master-id ping pong epoch link slot-range…
        const nodes = ((await redis.call('CLUSTER', 'NODES')) as string)
          .trim()
          .split('\n')
          .map((line) => line.split(' '));
        const portOf = (fields: string[]) => Number(fields[1]!.split('@')[0]!.split(':')[1]);
        const master = nodes.find(
          (fields) =>
            fields[2]!.split(',').includes('master') &&
            fields.slice(8).some((range) => {
              const [from, to = from] = range.split('-').map(Number);
              return slot >= from! && slot <= to!;
            }),
        );
        const replica = master && nodes.find((fields) => fields[3] === master[0] && !fields[2]!.includes('fail'));
        if (!master || !replica) throw new Error(`slot ${slot} has no master with a replica`);
        return { master: byPort.get(portOf(master))!, replica: byPort.get(portOf(replica))! };
      } finally {
        redis.disconnect();
      }
    },
    stop,
  };
}

/** Until this node sees the cluster ok and every master with a replica in sync. */
async function waitUntilSettled(redis: Redis, masters: number, timeoutMs = 30_000): Promise<void> {
  try {
    await eventually(
      async () => {
        const info = (await redis.call('CLUSTER', 'INFO')) as string;
        const nodes = (await redis.call('CLUSTER', 'NODES')) as string;
        const replicas = nodes
          .split('\n')
          .map((line) => line.split(' '))
          .filter((fields) => fields[2]?.split(',').includes('slave') && fields[7] === 'connected').length;
        const role = (await redis.call('ROLE')) as [string, ...unknown[]];
        const synced = role[0] !== 'slave' || role[3] === 'connected';
        if (!(info.includes('cluster_state:ok') && replicas === masters && synced)) {
          throw new Error(`the cluster did not settle (state ok, every replica connected and in sync):\n${nodes}`);
        }
      },
      { timeoutMs, intervalMs: 50 },
    );
  } finally {
    redis.disconnect();
  }
}
