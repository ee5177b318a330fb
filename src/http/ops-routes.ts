import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { RedisClient } from '../redis.ts';
import { TimeLimitExceeded, withinMs } from '../time-limit.ts';
import { pathOf } from './static-assets.ts';

export interface OpsRouteSources {
  redis: RedisClient;
  subscriber: RedisClient;
  registry: Registry;
  /** False once shutdown has begun, so load balancers stop sending traffic. */
  accepting: () => boolean;
  /** Told why a scrape failed (it answered 500). */
  onMetricsError?: (error: unknown) => void;
}

const PING_TIMEOUT_MS = 500;
/** A scrape answers within this, or 500. */
const METRICS_TIMEOUT_MS = 2000;

/**
 * GET /health (the process is alive), /ready (Redis commands and the pub/sub
 * subscriber both connected) and /metrics (Prometheus). Served before
 * GraphQL, without authentication: expose them only to the operators'
 * network. Returns false for any other request.
 */
export function createOpsRoutes(sources: OpsRouteSources) {
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };

  const readiness = async () => {
    const commands = await ping(sources.redis);
    const subscriber = sources.subscriber.status === 'ready' ? 'ok' : sources.subscriber.status;
    const accepting = sources.accepting();
    const ready = commands === 'ok' && subscriber === 'ok' && accepting;
    return { ready, body: { status: ready ? 'ready' : 'unavailable', redis: commands, subscriber, accepting } };
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = pathOf(req);
    switch (path) {
      case '/health':
        json(res, 200, { status: 'alive', uptimeSeconds: Math.round(process.uptime()) });
        return true;
      case '/ready': {
        const { ready, body } = await readiness();
        json(res, ready ? 200 : 503, body);
        return true;
      }
      case '/metrics': {
        // The body is complete before the status is written, so a failure is a 500, never a hang after a 200.
        let body: string;
        try {
          body = await withinMs(sources.registry.metrics(), METRICS_TIMEOUT_MS);
        } catch (error) {
          sources.onMetricsError?.(error);
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
          res.end('metrics unavailable\n');
          return true;
        }
        res.writeHead(200, { 'content-type': sources.registry.contentType, 'cache-control': 'no-store' });
        res.end(body);
        return true;
      }
      default:
        return false;
    }
  };
}

async function ping(redis: RedisClient): Promise<string> {
  if (redis.status !== 'ready') return redis.status;
  try {
    await withinMs(redis.ping(), PING_TIMEOUT_MS);
    return 'ok';
  } catch (error) {
    return error instanceof TimeLimitExceeded ? 'timeout' : 'error';
  }
}
