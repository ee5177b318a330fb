import type { Redis } from 'ioredis';
import type { ScenarioResult } from './types.ts';

/**
 * Nothing lost, nothing counted twice: every event an ingest scenario had
 * acknowledged (warm-up included) must show in its player's open session,
 * since the bench's players stay logged in throughout. Sums actions_count
 * over their sessions, which started at 0 at login.
 */
export async function ingestConsistency(
  redis: Redis,
  players: readonly string[],
  ingests: readonly ScenarioResult[],
): Promise<ScenarioResult> {
  const acknowledged = ingests.reduce((sum, result) => sum + (result.eventsAcknowledged ?? 0), 0);
  const failedCalls = ingests.reduce((sum, result) => sum + result.errors, 0);
  const sessions = await redis.mget(players.map((playerId) => `activity:session:${playerId}`));
  let counted = 0;
  let missingSessions = 0;
  for (const raw of sessions) {
    if (raw === null) missingSessions++;
    else counted += Number((JSON.parse(raw) as { actions_count?: number }).actions_count ?? 0);
  }
  // A call that failed (a timeout, say) may still have been applied: only exact without failures.
  const consistent = missingSessions === 0 && (failedCalls > 0 ? counted >= acknowledged : counted === acknowledged);
  return {
    scenario: 'ingest consistency',
    metrics: [
      { metric: 'events acknowledged (all ingest scenarios)', value: acknowledged, unit: '' },
      { metric: 'actions counted in sessions', value: counted, unit: '' },
      { metric: 'consistent', value: consistent ? 'yes' : 'NO', unit: '' },
    ],
    errors: consistent ? 0 : 1,
    firstError: consistent
      ? undefined
      : `${acknowledged} events acknowledged, ${counted} counted, ${missingSessions} sessions missing`,
  };
}
