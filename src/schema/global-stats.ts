import { DEFAULT_HISTORY_MS, type GlobalDailyStats, MAX_HISTORY_MS, type OnlineCountPoint } from '../activity/store.ts';
import { checkDate } from '../activity/validation.ts';
import { builder } from './builder.ts';
import { fieldRules } from './field-rules.ts';

const MINUTE_MS = 60_000;
const asTime = (value: unknown) => (value instanceof Date ? value.getTime() : null);

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
    extensions: fieldRules({
      validate: ({ date }) => {
        if (date != null) checkDate(date as string);
      },
    }),
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
    // It reads no events or ids (a few per-day hashes): its answer is bounded by the 48 h limit.
    extensions: fieldRules({
      listSize: ({ from, to }) => {
        const start = asTime(from);
        const end = asTime(to);
        if (start === null && end === null) return DEFAULT_HISTORY_MS / MINUTE_MS + 1;
        if (start === null || end === null || end <= start) return MAX_HISTORY_MS / MINUTE_MS + 1;
        return Math.min(end - start, MAX_HISTORY_MS) / MINUTE_MS + 1;
      },
    }),
    authScopes: operators,
    resolve: (_root, { from, to }, { store }) => store.getOnlineCountHistory(from, to),
  }),
);
