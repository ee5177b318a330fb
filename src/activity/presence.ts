import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import type { RedisClient } from '../redis.ts';
import { StoreUnavailableError } from './errors.ts';
import { ONLINE_COUNT_CHANNEL } from './redis/layout.ts';
import { type ActivityStore, decodeVersionedCount, type VersionedCount } from './store.ts';

const HEAL_RETRY_MS = 250;

interface Feed {
  deliver(update: VersionedCount): void;
  forgetVersion(): void;
  end(): void;
}

/**
 * The live online count. The scripts publish {count, version} on the
 * activity:online_count channel whenever they change the online set. Each
 * API instance holds one subscription to it for its whole life and fans the
 * messages out to its open feeds: a client coming or going never sends
 * SUBSCRIBE/UNSUBSCRIBE (which could fail while Redis is away and would
 * churn with many dashboards), and a feed that ends leaves nothing behind.
 */
export class OnlineCountFeed {
  readonly #store: ActivityStore;
  readonly #pubsub: RedisPubSub;
  readonly #subscriber: RedisClient;
  readonly #commands: RedisClient;
  readonly #feeds = new Set<Feed>();
  #subscribed = false;
  #healPending = false;
  #healTimer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(store: ActivityStore, pubsub: RedisPubSub, subscriber: RedisClient, commands: RedisClient) {
    this.#store = store;
    this.#pubsub = pubsub;
    this.#subscriber = subscriber;
    this.#commands = commands;
  }

  /** Subscribes to the channel; call once both connections are ready. */
  async start(): Promise<void> {
    await this.#pubsub.subscribe(ONLINE_COUNT_CHANNEL, (message: unknown) => this.#dispatch(message));
    this.#subscribed = true;
    // Pub/sub delivers at most once: a change published while the subscriber
    // was disconnected is lost. Once it is back (ioredis resubscribes before
    // 'ready'), republish the count so every feed here and elsewhere heals;
    // retry until the command connection can do it.
    this.#subscriber.on('ready', this.#requestHeal);
    this.#commands.on('ready', this.#heal);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#healTimer);
    this.#subscriber.off('ready', this.#requestHeal);
    this.#commands.off('ready', this.#heal);
  }

  /** Completes every open feed (shutdown). */
  endAll(): void {
    for (const feed of this.#feeds) feed.end();
  }

  /** How many feeds are open in this process. */
  get openFeeds(): number {
    return this.#feeds.size;
  }

  /**
   * Fails fast when the subscriber connection is down; otherwise returns a
   * stream that starts with the current count and then yields every change.
   * A slow consumer skips to the newest value rather than queueing old ones.
   */
  watch(): AsyncIterableIterator<number> {
    if (!this.#subscribed || this.#subscriber.status !== 'ready') {
      throw new StoreUnavailableError(new Error(`subscriber connection is ${this.#subscriber.status}`));
    }
    return new Repeater<number>(async (push, stop) => {
      let latest: VersionedCount | null = null;
      const feed: Feed = {
        // The initial read and the channel arrive on different connections
        // in no fixed order: keep whichever is newer by version.
        deliver: (update) => {
          const stale =
            latest !== null &&
            (update.version < latest.version || (update.version === latest.version && update.count === latest.count));
          if (stale) return;
          latest = update;
          void push(update.count);
        },
        // After a reconnect the versions may have started over (a Redis that
        // restarted empty): take the next value, the heal, as it comes.
        forgetVersion: () => {
          latest = null;
        },
        end: () => stop(),
      };
      this.#feeds.add(feed);
      try {
        feed.deliver(await this.#store.getVersionedOnlineCount());
        await stop;
      } catch (error) {
        stop(error);
      } finally {
        this.#feeds.delete(feed);
      }
    }, new SlidingBuffer(1));
  }

  #dispatch(message: unknown): void {
    const update = decodeVersionedCount(message);
    if (!update) return;
    for (const feed of this.#feeds) feed.deliver(update);
  }

  readonly #requestHeal = (): void => {
    for (const feed of this.#feeds) feed.forgetVersion();
    this.#healPending = true;
    this.#heal();
  };

  readonly #heal = (): void => {
    if (!this.#healPending || this.#stopped) return;
    clearTimeout(this.#healTimer);
    this.#store.publishOnlineCount().then(
      () => {
        this.#healPending = false;
      },
      () => {
        this.#healTimer = setTimeout(this.#heal, HEAL_RETRY_MS).unref();
      },
    );
  };
}
