import type { OnlineCountFeed } from './activity/presence.ts';
import type { ActivityStore } from './activity/store.ts';
import type { Caller } from './auth.ts';

/** What every resolver gets: the Redis layer behind its own interface, and who is calling. */
export interface GraphQLContext {
  store: ActivityStore;
  onlineCount: OnlineCountFeed;
  /** The verified caller; null without a (valid) bearer token. */
  caller: Caller | null;
  /** Why the bearer token was refused, when one was sent and refused. */
  authError: string | null;
}
