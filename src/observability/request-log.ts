import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from './logger.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One log line per HTTP request (at info, or warn for 5xx), tagged with a
 * request id: the caller's X-Request-Id when it is sane, a new UUID
 * otherwise; echoed in the response. No header or body is logged.
 */
export function useRequestLog(logger: Logger): Plugin {
  const started = new WeakMap<Request, { id: string; at: number; operation?: string }>();
  return {
    onRequest({ request }) {
      const given = request.headers.get('x-request-id');
      started.set(request, {
        id: given && REQUEST_ID.test(given) ? given : randomUUID(),
        at: performance.now(),
      });
    },
    onParams({ params, request }) {
      const entry = started.get(request);
      if (entry && params.operationName) entry.operation = params.operationName;
    },
    onResponse({ request, response }) {
      const entry = started.get(request);
      if (!entry) return;
      response.headers.set('x-request-id', entry.id);
      const line = {
        requestId: entry.id,
        method: request.method,
        path: new URL(request.url).pathname,
        operation: entry.operation,
        status: response.status,
        durationMs: Math.round((performance.now() - entry.at) * 100) / 100,
      };
      if (response.status >= 500) logger.warn(line, 'request');
      else logger.info(line, 'request');
    },
  };
}
