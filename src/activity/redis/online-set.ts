import { toStoredTimestamp, utcDay } from '../time.ts';
import { globalScriptConstants, ONLINE_COUNT_CHANNEL, type OnlineKeys } from './layout.ts';
import type { Deadline, Script, ScriptRunner } from './runner.ts';

/** The online set, the same in both modes: its reads, and changes made outside the per-player scripts. */
export class OnlineSet {
  readonly keys: OnlineKeys;
  readonly #runner: ScriptRunner;
  readonly #change: Script;
  readonly #count: Script;
  readonly #publish: Script;
  readonly #applyGlobal: Script;

  constructor(runner: ScriptRunner, keys: OnlineKeys, globalPrefix: string) {
    this.keys = keys;
    this.#runner = runner;
    const keyNames = Object.keys(keys);
    const constants = { channel: ONLINE_COUNT_CHANNEL, ...globalScriptConstants(globalPrefix) };
    this.#change = runner.define('online-change', ['global', 'online'], keyNames, constants);
    this.#count = runner.define('online-count', ['global', 'online'], keyNames, constants, { readOnly: true });
    this.#publish = runner.define('publish-count', ['global', 'online'], keyNames, constants);
    this.#applyGlobal = runner.define('global-apply', ['global'], ['online'], globalScriptConstants(globalPrefix));
  }

  count(deadline: Deadline): Promise<number> {
    return this.#runner.command(deadline, (redis) => redis.scard(this.keys.online));
  }

  async scan(cursor: string, count: number, deadline: Deadline): Promise<{ cursor: string; playerIds: string[] }> {
    const [next, playerIds] = await this.#runner.command(deadline, (redis) =>
      redis.sscan(this.keys.online, cursor, 'COUNT', count),
    );
    return { cursor: next, playerIds };
  }

  /** The count-channel message for the current count and version, read together. */
  versionedCount(deadline: Deadline): Promise<unknown> {
    return this.#runner.run(this.#count, { keys: this.keys, args: {} }, deadline);
  }

  /** Publishes the current count and version again, for subscribers that may have missed a change. */
  async publish(deadline: Deadline): Promise<void> {
    await this.#runner.run(this.#publish, { keys: this.keys, args: {} }, deadline);
  }

  /**
   * Adds or removes players in one round trip; how many changed the set.
   * Each change also counts in the per-minute online count at `now`.
   */
  async change(change: 'add' | 'remove', playerIds: readonly string[], now: Date, deadline: Deadline): Promise<number> {
    const clock = { now_ts: toStoredTimestamp(now), now_date: utcDay(now) };
    const replies = await this.#runner.runMany(
      this.#change,
      playerIds.map((playerId) => ({ keys: this.keys, args: { change, player_id: playerId, ...clock } })),
      deadline,
    );
    return replies.filter((changed) => changed === 1).length;
  }

  /**
   * On a cluster: writes the game-wide numbers the per-player scripts noted
   * (date, field, amount triples) in this slot, in one script run.
   */
  async applyGlobal(notes: readonly string[], deadline: Deadline): Promise<void> {
    if (notes.length === 0) return;
    await this.#runner.run(
      this.#applyGlobal,
      { keys: { online: this.keys.online }, args: { notes: JSON.stringify(notes) } },
      deadline,
    );
  }
}
