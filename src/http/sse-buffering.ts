import type { Plugin } from 'graphql-yoga';

/**
 * Subscriptions over SSE are one long response: a proxy that buffers it
 * (nginx does by default) delays every event until its buffer fills. nginx
 * and several other proxies stop buffering a response that says so.
 */
export function useNoProxyBufferingForSSE(): Plugin {
  return {
    onResponse({ response }) {
      if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
        response.headers.set('x-accel-buffering', 'no');
      }
    },
  };
}
