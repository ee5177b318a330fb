import type { GlobalDailyStats, OnlineCountPoint } from '../activity/store.ts';
import { builder } from './builder.ts';

/** Game-wide numbers are for the game's operators: admins and game servers, never players. */
const operators = { admin: true, service: true };

const GlobalDailyStatsRef = builder.objectRef<GlobalDailyStats>('GlobalDailyStats').implement({
  description: 'Game-wide numbers of one UTC day, kept 400 days.',
  fields: (t) => ({
    date: t.expose('date', { type: 'Date' }),
    activePlayers: t.exposeInt('activePlayers', {
      description:
        'Distinct players who logged in, sent an activity or a heartbeat, or logged out that day (a HyperLogLog estimate: exact for small counts, within about 1 % beyond).',
    }),
    sessions: t.exposeInt('sessions', { description: 'Sessions opened (logins).' }),
    playtimeSeconds: t.exposeFloat('playtimeSeconds', { description: 'Playtime of the sessions completed that day.' }),
    actions: t.exposeInt('actions', { description: 'Gameplay events recorded.' }),
    trades: t.exposeInt('trades'),
    tradeVolume: t.exposeFloat('tradeVolume'),
    combatEvents: t.exposeInt('combatEvents'),
    peakOnline: t.exposeInt('peakOnline', { description: 'The highest online count of the day.' }),
  }),
});

const OnlineCountPointRef = builder.objectRef<OnlineCountPoint>('OnlineCountPoint').implement({
  description: 'The online count within one UTC minute.',
  fields: (t) => ({
    minute: t.expose('minute', { type: 'DateTime', description: 'The start of the minute.' }),
    count: t.exposeInt('count', { description: 'The peak within the minute.' }),
  }),
});

builder.queryField('globalDailyStats', (t) =>
  t.field({
    type: GlobalDailyStatsRef,
    description: 'Game-wide numbers of one UTC day; zeroed when nothing was recorded (not for player tokens).',
    args: { date: t.arg({ type: 'Date', description: "Today's UTC date when left out." }) },
    authScopes: operators,
    resolve: (_root, { date }, { store }) => store.getGlobalDailyStats(date),
  }),
);

builder.queryField('onlineCountHistory', (t) =>
  t.field({
    type: [OnlineCountPointRef],
    description:
      'The online count per minute, oldest first (kept at least 48 h; not for player tokens). Minutes before anything was recorded are left out.',
    args: {
      from: t.arg({ type: 'DateTime', description: '24 hours before `to` when left out.' }),
      to: t.arg({ type: 'DateTime', description: 'Now when left out; at most 48 hours after `from`.' }),
    },
    authScopes: operators,
    resolve: (_root, { from, to }, { store }) => store.getOnlineCountHistory(from, to),
  }),
);
