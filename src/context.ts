import type { OnlineCountFeed } from './activity/presence.ts';
import type { ActivityStore } from './activity/store.ts';
import type { Caller } from './auth.ts';
import type { RequestBudget } from './protections/budget.ts';

/** What a request brings before the GraphQL context is built, over HTTP, SSE and graphql-ws alike. */
export interface ServerContext {
  /** The HTTP request (HTTP and SSE). */
  request?: Request;
  /** The graphql-ws connection_init payload. */
  connectionParams?: Readonly<Record<string, unknown>> | undefined;
  params?: unknown;
}

/** What every resolver gets: the Redis layer behind its own interface, and who is calling. */
export interface GraphQLContext {
  store: ActivityStore;
  onlineCount: OnlineCountFeed;
  /** The verified caller; null without a (valid) bearer token. */
  caller: Caller | null;
  /** Why the bearer token was refused, when one was sent and refused. */
  authError: string | null;
  /** When the caller's token expires (ms since the epoch); null without a caller. */
  credentialsExpireAt: number | null;
  /** What this one operation may still read from Redis. */
  budget: RequestBudget;
}
