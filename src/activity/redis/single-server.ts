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
  // A script's keys are fixed per definition, so every batch call names this
  // many players' (4 each): 25 keeps a small batch's padding small, and a
  // chunk of 100 events over 100 players is 4 calls in the same pipeline.
  batchPlayers: 25,
  batchScriptKeys(ids) {
    return { ...batchSlotKeys(this.player, ids, this.batchPlayers), online: online.online };
  },
  batchGroup: () => '',
};
