import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from './logger.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Operation names are the client's to choose: a log line keeps this many characters of one. */
export const MAX_LOGGED_NAME = 64;

export const truncate = (text: string, max = MAX_LOGGED_NAME) =>
  text.length <= max ? text : `${text.slice(0, max)}…(${text.length} chars)`;

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
      if (entry && typeof params.operationName === 'string') entry.operation = truncate(params.operationName);
    },
    onResponse({ request, response }) {
      const entry = started.get(request);
      if (!entry) return;
      response.headers.set('x-request-id', entry.id);
      // onParams sees only the operationName parameter; a document's only operation is named in its text.
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
