import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** A single server or a cluster: the service uses the commands both offer. */
export type RedisClient = Redis | Cluster;

export interface RedisSettings {
  url: string;
  /** host:port of Redis Cluster nodes; when set, the client is a Cluster. */
  clusterNodes?: string[] | undefined;
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
  if (settings.clusterNodes) {
    return new Cluster(
      settings.clusterNodes.map((node) => {
        const [host, port] = node.split(':');
        return { host: host!, port: Number(port) };
      }),
      {
        redisOptions: options,
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
  return new Redis(settings.url, { ...options, enableAutoPipelining: true });
}

/** Opens the connection and waits until it can take commands. */
export async function connectRedis(
  client: RedisClient,
  settings: Pick<RedisSettings, 'url' | 'clusterNodes'>,
): Promise<void> {
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const where = settings.clusterNodes
      ? `the Redis Cluster at ${settings.clusterNodes.join(',')} (set REDIS_CLUSTER_NODES)`
      : `Redis at ${redactUrl(settings.url)} (set REDIS_URL)`;
    throw new Error(`Cannot reach ${where}: ${(error as Error).message}`, {
      cause: error,
    });
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

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
