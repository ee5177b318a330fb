import type { DailyStats } from '../activity/records.ts';
import { checkDate, checkPlayerId } from '../activity/validation.ts';
import { builder, readPlayer } from './builder.ts';
import { fieldRules } from './field-rules.ts';

const DailyStatsRef = builder.objectRef<DailyStats>('DailyStats').implement({
  description: 'Sessions completed on one UTC day (kept 14 days).',
  fields: (t) => ({
    playerId: t.exposeID('playerId'),
    date: t.expose('date', { type: 'Date' }),
    sessions: t.exposeInt('sessions'),
    playtimeSeconds: t.exposeFloat('playtimeSeconds'),
    actions: t.exposeInt('actions'),
    trades: t.exposeInt('trades'),
    tradeVolume: t.exposeFloat('tradeVolume'),
    combatEvents: t.exposeInt('combatEvents'),
  }),
});

builder.queryField('dailyStats', (t) =>
  t.field({
    type: DailyStatsRef,
    description: 'Zeroed when there is no record for that day.',
    args: {
      playerId: t.arg.id({ required: true }),
      date: t.arg({ type: 'Date', description: "Today's UTC date when left out." }),
    },
    extensions: fieldRules({
      validate: ({ playerId, date }) => {
        checkPlayerId(playerId as string);
        if (date != null) checkDate(date as string);
      },
    }),
    authScopes: (_root, { playerId }) => readPlayer(playerId),
    resolve: (_root, { playerId, date }, { store }) => store.getDailyStats(playerId, date),
  }),
);
