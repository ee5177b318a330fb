import { Redis } from 'ioredis';

export interface RedisSettings {
  url: string;
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
export function createRedisClient(settings: RedisSettings, connectionName: string): Redis {
  return new Redis(settings.url, {
    connectionName,
    // Commands issued in the same tick share one write to the socket.
    enableAutoPipelining: true,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: settings.commandTimeoutMs,
    connectTimeout: settings.connectTimeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * 100, settings.maxReconnectDelayMs),
  });
}

/** Opens the connection and waits until it can take commands. */
export async function connectRedis(client: Redis, url: string): Promise<void> {
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new Error(`Cannot reach Redis at ${redactUrl(url)} (set REDIS_URL): ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Closes the connection, politely when possible. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
