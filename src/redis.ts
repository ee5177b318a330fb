import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** A single server or a cluster: the service uses the commands both offer. */
export type RedisClient = Redis | Cluster;

export interface RedisSettings {
  url: string;
  /** Cluster seed nodes (host:port or redis[s]://[user:password@]host:port); when set, the client is a Cluster. */
  clusterNodes?: string[] | undefined;
  /** PEM file of the CA behind the servers' TLS certificates, when it is not one Node trusts already. */
  tlsCaFile?: string | undefined;
  /** Longest wait for one command's reply before it fails. */
  commandTimeoutMs: number;
  /** Longest wait for a connection to open. */
  connectTimeoutMs: number;
  /** Longest pause between reconnection attempts. */
  maxReconnectDelayMs: number;
}

/**
 * A connection that fails fast instead of queueing: while Redis is away a
 * command errors at once (no offline queue, no retries), a command in
 * flight when the connection drops errors instead of being resent (it may
 * have been applied already), and a reply that takes too long times out.
 * The client keeps reconnecting in the background, so the service heals by
 * itself when Redis is back.
 */
export function createRedisClient(settings: RedisSettings, connectionName: string): RedisClient {
  const backoff = (attempt: number) => Math.min(attempt * 100, settings.maxReconnectDelayMs);
  const options: RedisOptions = {
    connectionName,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: settings.commandTimeoutMs,
    connectTimeout: settings.connectTimeoutMs,
    retryStrategy: backoff,
  };
  const tls = (enabled: boolean): ConnectionOptions | undefined =>
    enabled ? (settings.tlsCaFile ? { ca: readFileSync(settings.tlsCaFile) } : {}) : undefined;
  if (settings.clusterNodes) {
    const cluster = clusterConnection(settings.clusterNodes);
    // Every node (including the ones learnt from CLUSTER SLOTS) is reached
    // with the seeds' credentials and TLS.
    const nodeOptions: RedisOptions = {
      ...options,
      ...(cluster.username ? { username: cluster.username } : {}),
      ...(cluster.password ? { password: cluster.password } : {}),
      ...(cluster.tls ? { tls: tls(true)! } : {}),
    };
    return new Cluster(
      cluster.nodes.map(({ host, port }) => ({ host, port })),
      {
        redisOptions: nodeOptions,
        lazyConnect: true,
        enableOfflineQueue: false,
        enableAutoPipelining: true,
        clusterRetryStrategy: backoff,
        // A failover moves slots: follow MOVED/ASK a few times, quickly.
        maxRedirections: 8,
        retryDelayOnFailover: 100,
        retryDelayOnClusterDown: 100,
        slotsRefreshTimeout: settings.connectTimeoutMs,
      },
    );
  }
  // Commands issued in the same tick share one write to the socket.
  const secure = tls(settings.url.startsWith('rediss:'));
  return new Redis(settings.url, { ...options, ...(secure ? { tls: secure } : {}), enableAutoPipelining: true });
}

export interface RedisNode {
  host: string;
  port: number;
  username?: string;
  password?: string;
  tls: boolean;
}

/** One REDIS_CLUSTER_NODES entry: host:port, redis://[user:password@]host:port or rediss://…. */
export function parseRedisNode(entry: string): RedisNode {
  if (!/^rediss?:\/\//.test(entry)) {
    const [host, port] = entry.split(':');
    return { host: host!, port: Number(port), tls: false };
  }
  const url = new URL(entry);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    tls: url.protocol === 'rediss:',
  };
}

/**
 * The seeds of a cluster and the one way to reach all of its nodes: the
 * entries may repeat the credentials or name them once, but must not
 * disagree (a cluster has one ACL and one TLS setting for its clients).
 */
export function clusterConnection(entries: readonly string[]): {
  nodes: RedisNode[];
  username?: string;
  password?: string;
  tls: boolean;
} {
  const nodes = entries.map(parseRedisNode);
  const distinct = (values: (string | undefined)[]) => [...new Set(values.filter((v) => v !== undefined))];
  const usernames = distinct(nodes.map((node) => node.username));
  const passwords = distinct(nodes.map((node) => node.password));
  const schemes = new Set(nodes.filter((_, i) => entries[i]!.includes('://')).map((node) => node.tls));
  if (usernames.length > 1 || passwords.length > 1 || schemes.size > 1) {
    throw new Error(
      'Invalid configuration:\n  REDIS_CLUSTER_NODES: the entries name different credentials or mix redis:// and rediss://; a cluster takes one of each',
    );
  }
  return {
    nodes,
    ...(usernames[0] !== undefined ? { username: usernames[0] } : {}),
    ...(passwords[0] !== undefined ? { password: passwords[0] } : {}),
    tls: schemes.has(true),
  };
}

/** Where the service keeps its data, for logs and errors: never the password. */
export function describeRedis(settings: Pick<RedisSettings, 'url' | 'clusterNodes'>): string {
  if (settings.clusterNodes) {
    const cluster = clusterConnection(settings.clusterNodes);
    const seeds = cluster.nodes.map((node) => `${node.host}:${node.port}`).join(',');
    return `the Redis Cluster at ${seeds}${cluster.tls ? ' over TLS' : ''}${cluster.username ? ` as ${cluster.username}` : cluster.password ? ' with a password' : ''}`;
  }
  return `Redis at ${redactUrl(settings.url)}${settings.url.startsWith('rediss:') ? ' (TLS)' : ''}`;
}

/** Opens the connection and waits until it can take commands. */
export async function connectRedis(
  client: RedisClient,
  settings: Pick<RedisSettings, 'url' | 'clusterNodes'>,
): Promise<void> {
  // connect() rejects with "Connection is closed"; the cause (a TLS
  // certificate, WRONGPASS, ECONNREFUSED…) came as an 'error' event first.
  let cause: Error | undefined;
  const remember = (error: Error) => {
    cause = (error as Error & { lastNodeError?: Error }).lastNodeError ?? error;
  };
  client.on('error', remember);
  client.on('node error', remember);
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const where = `${describeRedis(settings)} (set ${settings.clusterNodes ? 'REDIS_CLUSTER_NODES' : 'REDIS_URL'})`;
    const reason = [...new Set([(error as Error).message, cause?.message].filter(Boolean))].join(': ');
    throw new Error(`Cannot reach ${where}: ${reason}`, { cause: cause ?? error });
  } finally {
    client.off('error', remember);
    client.off('node error', remember);
  }
}

/** Closes the connection, politely when possible. */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}

/** Hides the password of redis://user:password@host; keeps the user name, which says which ACL user is in use. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/:]*)(:[^@/]*)?@/, (_match, user: string, password?: string) =>
    password ? `//${user}:***@` : user ? `//***@` : '//',
  );
}
