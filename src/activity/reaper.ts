import type { ActivityStore, ReapOutcome } from './store.ts';

export interface ReaperSettings {
  intervalSeconds: number;
  idleTimeoutSeconds: number;
  /** Members looked at per SSCAN step, reaped in one pipeline. */
  batchSize: number;
}

export interface ReaperHooks {
  /** After every batch, so what a pass did is counted even when a later batch fails. */
  onBatch?: (outcome: ReapOutcome) => void;
  onError?: (error: unknown) => void;
}

/**
 * No ghosts: every instance walks the online set on an interval, completing
 * sessions idle past the timeout and dropping members whose session is gone.
 * The reap script re-checks each member atomically, so instances reaping
 * at once never complete a session twice; SSCAN in batches bounds the work
 * each step puts on Redis, and a pass never overlaps the previous one.
 */
export class IdleReaper {
  readonly #store: ActivityStore;
  readonly #settings: ReaperSettings;
  readonly #hooks: ReaperHooks;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<ReapOutcome> | null = null;
  #stopping = false;

  constructor(store: ActivityStore, settings: ReaperSettings, hooks: ReaperHooks = {}) {
    this.#store = store;
    this.#settings = settings;
    this.#hooks = hooks;
  }

  start(): void {
    this.#stopping = false;
    this.#timer ??= setInterval(() => {
      this.runOnce().catch((error: unknown) => this.#hooks.onError?.(error));
    }, this.#settings.intervalSeconds * 1000).unref();
  }

  /** Stops the interval; a pass under way ends after its current batch. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => {});
  }

  /** One pass over the whole online set (joins the pass under way, if any). */
  runOnce(): Promise<ReapOutcome> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #pass(): Promise<ReapOutcome> {
    const total: ReapOutcome = { reaped: 0, ghosts: 0, failed: 0 };
    let cursor = '0';
    do {
      const step = await this.#store.scanOnlinePlayers(cursor, this.#settings.batchSize);
      cursor = step.cursor;
      const outcome = await this.#store.reapMembers(step.playerIds, this.#settings.idleTimeoutSeconds);
      this.#hooks.onBatch?.(outcome);
      total.reaped += outcome.reaped;
      total.ghosts += outcome.ghosts;
      total.failed += outcome.failed;
    } while (cursor !== '0' && !this.#stopping);
    return total;
  }
}
