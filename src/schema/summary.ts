import type { PlayerSummary } from '../activity/records.ts';
import { checkPlayerId, MAX_SUMMARY_SECTORS } from '../activity/validation.ts';
import { builder, readPlayer } from './builder.ts';
import { fieldRules } from './field-rules.ts';

const PlayerSummaryRef = builder.objectRef<PlayerSummary>('PlayerSummary').implement({
  description: 'Totals over the sessions completed in the last 30 days of activity.',
  fields: (t) => ({
    playerId: t.exposeID('playerId'),
    totalSessions: t.exposeInt('totalSessions'),
    totalPlaytimeSeconds: t.exposeFloat('totalPlaytimeSeconds'),
    totalActions: t.exposeInt('totalActions'),
    totalTrades: t.exposeInt('totalTrades'),
    totalTradeVolume: t.exposeFloat('totalTradeVolume'),
    totalCombatEvents: t.exposeInt('totalCombatEvents'),
    uniqueSectorsVisited: t.exposeInt('uniqueSectorsVisited'),
    allSectors: t.exposeStringList('allSectors', {
      description: `Sectors visited, most recent last (the last ${MAX_SUMMARY_SECTORS}).`,
      extensions: fieldRules({ listSize: MAX_SUMMARY_SECTORS }),
    }),
    lastUpdated: t.expose('lastUpdated', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('playerSummary', (t) =>
  t.field({
    type: PlayerSummaryRef,
    description: 'Zeroed when the player has no summary.',
    args: { playerId: t.arg.id({ required: true }) },
    extensions: fieldRules({ validate: ({ playerId }) => checkPlayerId(playerId as string) }),
    authScopes: (_root, { playerId }) => readPlayer(playerId),
    resolve: (_root, { playerId }, { store }) => store.getSummary(playerId),
  }),
);
