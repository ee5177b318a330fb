// The console's only way to the service: the public GraphQL API, with the
// admin token the user signed in with. The token lives in this tab's
// sessionStorage only (gone when the tab closes; never in localStorage or a cookie).

const TOKEN_KEY = 'player-activity-console.token';
const ENDPOINT = '/graphql';

export const tokenStore = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** A failed call, with the API's extensions.code (or NETWORK when the service could not be reached). */
export class ApiError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** Runs one operation over HTTP; resolves with its data or throws an ApiError. */
export async function graphql(query, variables = {}, token = tokenStore.get()) {
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('NETWORK', 'The service cannot be reached.');
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`HTTP_${response.status}`, `The service answered HTTP ${response.status}.`);
  }
  const error = body.errors?.[0];
  if (error) throw new ApiError(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR', error.message);
  return body.data;
}

/** Seconds until the token's exp claim (Infinity when it has none or cannot be read). */
export function secondsLeft(token) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.exp === 'number' ? payload.exp - Date.now() / 1000 : Infinity;
  } catch {
    return Infinity;
  }
}

/**
 * The live online count over GraphQL over WebSocket (graphql-ws, shipped
 * with the page). Reconnects by itself; `onState` hears 'live',
 * 'connecting' and 'down'; `onError` gets an ApiError for errors the server
 * reports (an expired token, Redis unavailable).
 */
export function watchOnlineCount({ token, onCount, onState, onError }) {
  const url = new URL(ENDPOINT, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = globalThis.graphqlWs.createClient({
    url: url.href,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** retries))),
    on: {
      connecting: () => onState('connecting'),
      closed: () => onState('down'),
    },
  });
  let stopped = false;
  let retry;
  const subscribe = () => {
    onState('connecting');
    client.subscribe(
      { query: 'subscription ConsoleOnlineCount { onlinePlayerCount }' },
      {
        next: (result) => {
          if (result.errors?.length) {
            const [error] = result.errors;
            onError(new ApiError(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR', error.message));
            return;
          }
          onState('live');
          onCount(result.data.onlinePlayerCount);
        },
        error: (error) => {
          // GraphQL errors arrive as an array; a closed socket as a CloseEvent.
          const first = Array.isArray(error) ? error[0] : undefined;
          if (first) onError(new ApiError(first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', first.message));
          onState('down');
          if (!stopped) retry = setTimeout(subscribe, 2000);
        },
        // The server completes subscriptions when it shuts down: resubscribe.
        complete: () => {
          if (!stopped) retry = setTimeout(subscribe, 1000);
        },
      },
    );
  };
  subscribe();
  return () => {
    stopped = true;
    clearTimeout(retry);
    client.dispose();
  };
}
