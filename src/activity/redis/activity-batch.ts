import { ReplyError } from 'ioredis';
import { EventIdReusedError } from '../errors.ts';
import type { EventIdCall } from '../event-ids.ts';
import { epochMicros, toStoredTimestamp, utcDay } from '../time.ts';
import { EVENT_ID_DEFAULTS, globalScriptConstants } from './layout.ts';
import type { RedisMode } from './mode.ts';
import { type EventIdWindow, type PlayerScriptResult, playerScriptConstants, readRepeat } from './player-scripts.ts';
import type { Deadline, Script, ScriptCall, ScriptRunner } from './runner.ts';

/**
 * The most one batch call carries. Redis runs nothing else while a script
 * runs: an event costs about 25 µs of Redis CPU when each has its own player
 * (less when players repeat), so 100 stay near a few milliseconds at worst,
 * and the byte bound keeps a chunk of large details (up to 16 KiB each) near
 * that too; past them the batch goes out as several calls, in one round trip.
 */
export const BATCH_CHUNK = { events: 100, detailsBytes: 64 * 1024 } as const;

/** One event of a batch, as the activity script takes it (its own arguments) with its player and id. */
export interface BatchEvent {
  playerId: string;
  eventType: string;
  detailsJson: string;
  /** '' unless a trade. */
  tradeValue: string;
  isCombat: boolean;
  /** '' when none. */
  sector: string;
  eventId?: EventIdCall | undefined;
}

interface Chunk {
  group: string;
  playerIds: string[];
  slots: Map<string, number>;
  /** Indexes into the batch. */
  indexes: number[];
  rows: (string | number)[][];
  bytes: number;
}

/**
 * Batches of activity events (scripts/activities.lua): the batch is cut into
 * chunks, each one script call that applies its events in order (on a
 * single server many players per chunk, on a cluster one), and all chunks go
 * out in one round trip (a pipeline per group of the mode). Each event gets
 * its own result, as the per-event activity script would have answered it.
 */
export class ActivityBatches {
  readonly #runner: ScriptRunner;
  readonly #mode: RedisMode;
  readonly #script: Script;

  constructor(runner: ScriptRunner, mode: RedisMode, eventIds: EventIdWindow = EVENT_ID_DEFAULTS) {
    this.#runner = runner;
    this.#mode = mode;
    const keyNames = Object.keys(mode.batchScriptKeys(['_']));
    const constants = { ...playerScriptConstants(eventIds), ...globalScriptConstants(mode.globalPrefix) };
    this.#script = runner.define(
      'activities',
      ['format', 'global', 'online', 'session', 'event-ids'],
      keyNames,
      constants,
    );
  }

  /**
   * One result per event, in order: applied (the session after it, or
   * null), a repeat of an earlier id, or in place of a reply its
   * EventIdReusedError, or the ReplyError of its player's keys (a key of the
   * wrong type: nothing written for any of that player's events). On a
   * cluster the game-wide notes of each chunk ride on its first event's result.
   */
  async run(events: readonly BatchEvent[], now: Date, deadline: Deadline): Promise<PlayerScriptResult[]> {
    const chunks = this.#chunks(events);
    const common = { now_ts: toStoredTimestamp(now), now_us: epochMicros(now), now_date: utcDay(now) };
    const groups = new Map<ScriptCall, string>();
    const calls = chunks.map((chunk): ScriptCall => {
      const call = {
        keys: this.#mode.batchScriptKeys(chunk.playerIds),
        args: { ...common, players: JSON.stringify(chunk.playerIds), events: JSON.stringify(chunk.rows) },
      };
      groups.set(call, chunk.group);
      return call;
    });
    const raws = await this.#runner.runMany(this.#script, calls, deadline, {
      groupOf: (call) => groups.get(call) ?? '',
    });
    const results: PlayerScriptResult[] = new Array(events.length);
    chunks.forEach((chunk, n) => {
      const [replies, notes] = this.#mode.scriptsChangeOnlineSet ? [raws[n], []] : (raws[n] as [unknown, unknown]);
      chunk.indexes.forEach((index, position) => {
        const result = readItem((replies as unknown[])[position], events[index]!.eventId);
        results[index] = position === 0 && Array.isArray(notes) ? { ...result, notes: notes.map(String) } : result;
      });
    });
    return results;
  }

  /** Cuts the batch into chunks, keeping each group's events in order. */
  #chunks(events: readonly BatchEvent[]): Chunk[] {
    const chunks: Chunk[] = [];
    const open = new Map<string, Chunk>();
    events.forEach((event, index) => {
      const group = this.#mode.batchGroup(event.playerId);
      let chunk = open.get(group);
      const bytes = event.detailsJson.length;
      if (
        !chunk ||
        chunk.indexes.length >= BATCH_CHUNK.events ||
        chunk.bytes + bytes > BATCH_CHUNK.detailsBytes ||
        (!chunk.slots.has(event.playerId) && chunk.playerIds.length >= this.#mode.batchPlayers)
      ) {
        chunk = { group, playerIds: [], slots: new Map(), indexes: [], rows: [], bytes: 0 };
        chunks.push(chunk);
        open.set(group, chunk);
      }
      let slot = chunk.slots.get(event.playerId);
      if (slot === undefined) {
        slot = chunk.playerIds.push(event.playerId);
        chunk.slots.set(event.playerId, slot);
      }
      chunk.indexes.push(index);
      chunk.bytes += bytes;
      chunk.rows.push([
        slot,
        event.eventType,
        event.detailsJson,
        event.tradeValue,
        event.isCombat ? '1' : '0',
        // as ioredis sends it alone (UTF-8 holds no lone surrogate, U+FFFD stands in); cjson refuses the escape
        event.sector.toWellFormed(),
        event.eventId?.id ?? '',
        event.eventId?.fingerprint ?? '',
      ]);
    });
    return chunks;
  }
}

/** One event's reply from scripts/activities.lua. */
function readItem(raw: unknown, eventId: EventIdCall | undefined): PlayerScriptResult {
  if (typeof raw === 'string') return { duplicate: false, reply: raw === '' ? null : raw, notes: [] };
  const repeat = readRepeat(raw);
  if (repeat) return repeat;
  if (Array.isArray(raw) && raw[0] === 'reused' && eventId) {
    return { duplicate: false, reply: new EventIdReusedError(eventId.id), notes: [] };
  }
  const message = Array.isArray(raw) && raw[0] === 'failed' ? String(raw[1]) : 'unexpected batch reply';
  return { duplicate: false, reply: new ReplyError(message), notes: [] };
}
