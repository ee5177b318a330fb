import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import type { Redis } from 'ioredis';
import { StoreUnavailableError } from './errors.ts';
import { ONLINE_COUNT_CHANNEL } from './keys.ts';
import type { ActivityStore } from './store.ts';

/**
 * The live online count. The scripts publish the count on the
 * activity:online_count channel whenever they change the online set; every
 * API instance listens through RedisPubSub and fans the values out to its
 * subscribers.
 */
export class OnlineCountFeed {
  readonly #store: ActivityStore;
  readonly #pubsub: RedisPubSub;
  readonly #subscriber: Redis;
  #everReady = false;
  #openFeeds = 0;

  constructor(store: ActivityStore, pubsub: RedisPubSub, subscriber: Redis) {
    this.#store = store;
    this.#pubsub = pubsub;
    this.#subscriber = subscriber;
    // Pub/sub delivers at most once: a change published while our subscriber
    // connection was down is lost. After a reconnect, republish the count so
    // every subscriber (here and on other instances) heals.
    subscriber.on('ready', () => {
      if (this.#everReady) {
        this.#store.publishOnlineCount().catch(() => {
          // Redis went away again; the next reconnect retries.
        });
      }
      this.#everReady = true;
    });
  }

  /** How many feeds are open in this process (for tests and metrics). */
  get openFeeds(): number {
    return this.#openFeeds;
  }

  /**
   * Fails fast when Redis is unreachable; otherwise returns a stream that
   * starts with the current count and then yields every published change.
   * A slow consumer skips to the newest value rather than queueing old ones.
   */
  async watch(): Promise<AsyncIterableIterator<number>> {
    if (this.#subscriber.status !== 'ready') {
      throw new StoreUnavailableError(new Error(`subscriber connection is ${this.#subscriber.status}`));
    }
    await this.#store.getOnlineCount();
    return new Repeater<number>(async (push, stop) => {
      this.#openFeeds += 1;
      let subscriptionId: number | undefined;
      try {
        // Subscribe before reading the count, so no change falls in between.
        subscriptionId = await this.#pubsub.subscribe<number>(ONLINE_COUNT_CHANNEL, (count) => {
          void push(Number(count));
        });
        await push(await this.#store.getOnlineCount());
        await stop;
      } catch (error) {
        stop(error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error));
      } finally {
        if (subscriptionId !== undefined) this.#pubsub.unsubscribe(subscriptionId);
        this.#openFeeds -= 1;
      }
    }, new SlidingBuffer(1));
  }
}
