import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from './logger.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Operation names are the client's to choose: a log line keeps this many characters of one. */
export const MAX_LOGGED_NAME = 64;

export const truncate = (text: string, max = MAX_LOGGED_NAME) =>
  text.length <= max ? text : `${text.slice(0, max)}…(${text.length} chars)`;

interface Entry {
  id: string;
  at: number;
  path: string;
  operation: string | undefined;
}

/**
 * One log line per HTTP request (at info, or warn for 5xx), tagged with a
 * request id: the caller's X-Request-Id when it is sane, a new UUID
 * otherwise; echoed in the response. No header or body is logged.
 */
export function useRequestLog(logger: Logger): Plugin {
  // The line's fields are fixed and none can hold a secret (the id is checked, the
  // operation name truncated), so it skips the logger's redaction, which walks every
  // field of every line (~3 % of a call's CPU).
  const access = logger.child({}, { redact: [] });
  const started = new WeakMap<Request, Entry>();
  return {
    onRequest({ request, url }) {
      const given = request.headers.get('x-request-id');
      started.set(request, {
        id: given && REQUEST_ID.test(given) ? given : randomUUID(),
        at: performance.now(),
        path: url.pathname,
        operation: undefined,
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
        path: entry.path,
        operation: entry.operation,
        status: response.status,
        durationMs: Math.round((performance.now() - entry.at) * 100) / 100,
      };
      if (response.status >= 500) access.warn(line, 'request');
      else access.info(line, 'request');
    },
  };
}
