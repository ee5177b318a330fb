import type { ExecutionResult } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** The three ways a client reaches the API; every protection is tested on each. */
export const TRANSPORTS = ['http', 'sse', 'ws'] as const;
export type Transport = (typeof TRANSPORTS)[number];

export interface Payload {
  query: string;
  variables?: Record<string, unknown>;
}

/** The first result of an operation, the errors it was refused with, or how the connection ended. */
export type Outcome = ExecutionResult & { closeCode?: number; status?: number };

/**
 * Sends one operation over a transport to the service at `url` (its
 * /graphql endpoint on a real port) and returns its first result; a
 * subscription is ended after that.
 */
export function firstResult(
  transport: Transport,
  url: string,
  token: string | null,
  payload: Payload,
): Promise<Outcome> {
  if (transport === 'http') return overHttp(url, token, payload);
  if (transport === 'sse') return overSse(url, token, payload);
  return withSocket(url, token, (socket) => socket.first(payload));
}

async function overHttp(url: string, token: string | null, payload: Payload): Promise<Outcome> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...auth(token) },
    body: JSON.stringify(payload),
  });
  return { ...((await response.json()) as ExecutionResult), status: response.status };
}

/** GraphQL over SSE (Yoga's distinct-connections mode): the first `next` event. */
async function overSse(url: string, token: string | null, payload: Payload): Promise<Outcome> {
  const abort = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...auth(token) },
    body: JSON.stringify(payload),
    signal: abort.signal,
  });
  if (!response.headers.get('content-type')?.includes('text/event-stream')) {
    return { ...((await response.json()) as ExecutionResult), status: response.status };
  }
  let buffered = '';
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      for (const event of buffered.split('\n\n').slice(0, -1)) {
        const data = event.split('\n').find((line) => line.startsWith('data:'));
        if (event.includes('event: next') && data)
          return { ...(JSON.parse(data.slice(5)) as ExecutionResult), status: response.status };
        if (event.includes('event: complete')) return { status: response.status };
      }
    }
    return { status: response.status };
  } finally {
    abort.abort();
  }
}

/** An SSE subscription that records every result until the server completes it, or `stop()` aborts it. */
export function subscribeOverSse(url: string, token: string | null, payload: Payload) {
  const abort = new AbortController();
  const results: Outcome[] = [];
  const ended = (async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...auth(token) },
      body: JSON.stringify(payload),
      signal: abort.signal,
    });
    let buffered = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffered += decoder.decode(chunk, { stream: true });
        const events = buffered.split('\n\n');
        buffered = events.pop() ?? '';
        for (const event of events) {
          const data = event.split('\n').find((line) => line.startsWith('data:'));
          if (event.includes('event: next') && data) results.push(JSON.parse(data.slice(5)) as Outcome);
          if (event.includes('event: complete')) return 'complete';
        }
      }
      return 'closed';
    } catch {
      return 'aborted';
    }
  })();
  return { results, ended, stop: () => abort.abort() };
}

/** One graphql-ws connection, for several operations on the same socket. */
export interface Socket {
  client: Client;
  /** The first result of an operation on this socket (a subscription is then completed). */
  first(payload: Payload): Promise<Outcome>;
  /** Starts a subscription and keeps every result it sends; `ended` says why it stopped, once it has. */
  subscribe(payload: Payload): { results: Outcome[]; ended: Promise<'complete' | Outcome>; stop: () => void };
  /** The close code once the server closed the socket; undefined while it is open. */
  closeCode(): number | undefined;
}

export async function withSocket<T>(
  url: string,
  token: string | null,
  use: (socket: Socket) => Promise<T>,
): Promise<T> {
  const socket = openSocket(url, token);
  try {
    return await use(socket);
  } finally {
    await socket.client.dispose();
  }
}

export function openSocket(url: string, token: string | null): Socket {
  let closeCode: number | undefined;
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
    on: { closed: (event) => (closeCode = (event as { code: number }).code) },
  });
  const refusal = (error: unknown): Outcome => {
    if (Array.isArray(error)) return { errors: error };
    if (typeof error === 'object' && error !== null && 'code' in error) return { closeCode: Number(error.code) };
    throw error;
  };
  return {
    client,
    closeCode: () => closeCode,
    first: (payload) =>
      new Promise<Outcome>((resolve, reject) => {
        let settled = false;
        // Only a subscription is stopped by hand; a query or mutation completes by itself.
        const isSubscription = /^\s*subscription\b/.test(payload.query);
        const stop = client.subscribe(payload, {
          next: (value) => {
            if (settled) return;
            settled = true;
            resolve(value as Outcome);
            if (isSubscription) stop();
          },
          complete: () => {
            if (!settled) resolve({});
          },
          error: (error) => {
            try {
              resolve(refusal(error));
            } catch (unexpected) {
              reject(unexpected as Error);
            }
          },
        });
      }),
    subscribe: (payload) => {
      const results: Outcome[] = [];
      let stop = () => {};
      const ended = new Promise<'complete' | Outcome>((resolve) => {
        stop = client.subscribe(payload, {
          next: (value) => results.push(value as Outcome),
          complete: () => resolve('complete'),
          error: (error) => resolve(refusal(error)),
        });
      });
      return { results, ended, stop: () => stop() };
    },
  };
}

const auth = (token: string | null): Record<string, string> =>
  token === null ? {} : { authorization: `Bearer ${token}` };
