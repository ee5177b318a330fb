import type { OnlineCountFeed } from './activity/presence.ts';
import type { ActivityStore } from './activity/store.ts';

/** What every resolver gets: the Redis layer, behind its own interface. */
export interface GraphQLContext {
  store: ActivityStore;
  onlineCount: OnlineCountFeed;
}
