import { batchSlotKeys } from './layout.ts';
import type { RedisMode } from './mode.ts';

/**
 * A Redis Cluster: every per-player key carries the player id as a hash tag
 * ({id}), so one player's keys share a slot and its scripts stay atomic; the
 * online set and its version share the {activity:online} slot, out of the
 * per-player scripts' reach (the store changes it after them).
 */
export const clusterMode: RedisMode = {
  name: 'cluster',
  online: { online: 'activity:{activity:online}:players', online_version: 'activity:{activity:online}:version' },
  globalPrefix: 'activity:{activity:online}:global:',
  player: (id) => ({
    session: `activity:session:{${id}}`,
    events: `activity:events:{${id}}`,
    summary: `activity:summary:{${id}}`,
    dailyPrefix: `activity:daily:{${id}}:`,
    eventIds: `activity:event_ids:{${id}}`,
    eventIdOrder: `activity:event_id_order:{${id}}`,
  }),
  playerScriptKeys(id) {
    const { session, events, summary, eventIds, eventIdOrder } = this.player(id);
    return { session, events, summary, event_ids: eventIds, event_id_order: eventIdOrder };
  },
  scriptsChangeOnlineSet: false,
  // One pipeline per player (one slot).
  pipelineGroup: (call) => call.keys['session'] ?? '',
  // A batch call covers one player (one slot); its calls share that player's pipeline.
  batchPlayers: 1,
  batchScriptKeys(ids) {
    return batchSlotKeys(this.player, ids, 1);
  },
  batchGroup: (playerId) => playerId,
};
