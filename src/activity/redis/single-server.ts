import { batchSlotKeys } from './layout.ts';
import type { RedisMode } from './mode.ts';

/**
 * A single Redis server: the original Python service's key names, so both
 * can share one Redis during a migration; every script reaches every key,
 * so the per-player scripts change the online set in the same atomic step.
 */
const online = { online: 'activity:online_players', online_version: 'activity:online_count_version' };

export const singleServerMode: RedisMode = {
  name: 'single-server',
  online,
  globalPrefix: 'activity:global:',
  player: (id) => ({
    session: `activity:session:${id}`,
    events: `activity:events:${id}`,
    summary: `activity:summary:${id}`,
    dailyPrefix: `activity:daily:${id}:`,
    eventIds: `activity:event_ids:${id}`,
    eventIdOrder: `activity:event_id_order:${id}`,
  }),
  playerScriptKeys(id) {
    const { session, events, summary, eventIds, eventIdOrder } = this.player(id);
    return { session, events, summary, event_ids: eventIds, event_id_order: eventIdOrder, ...online };
  },
  scriptsChangeOnlineSet: true,
  pipelineGroup: () => '',
  // One batch call covers a chunk's players (see ../store.ts, BATCH_CHUNK).
  batchPlayers: 100,
  batchScriptKeys(ids) {
    return { ...batchSlotKeys(this.player, ids, this.batchPlayers), online: online.online };
  },
  batchGroup: () => '',
};
