import { EVENT_TYPES, type ActivityEvent, type EventType } from '../activity/records.ts';
import { MAX_BATCH_EVENTS, type TrackedActivity } from '../activity/store.ts';
import { actAsPlayer, builder, readPlayer } from './builder.ts';
import { PlayerSessionRef } from './session.ts';

const DEFAULT_EVENTS_LIMIT = 50;

const ActivityEventTypeEnum = builder.enumType('ActivityEventType', {
  values: Object.fromEntries(EVENT_TYPES.map((type) => [type.toUpperCase(), { value: type }])) as Record<
    string,
    { value: EventType }
  >,
});

const ActivityEventRef = builder.objectRef<ActivityEvent>('ActivityEvent').implement({
  fields: (t) => ({
    eventType: t.expose('eventType', { type: ActivityEventTypeEnum }),
    timestamp: t.expose('timestamp', { type: 'DateTime' }),
    details: t.expose('details', { type: 'JSONObject' }),
  }),
});

const TrackActivityResultRef = builder.objectRef<TrackedActivity>('TrackActivityResult').implement({
  fields: (t) => ({
    event: t.expose('event', { type: ActivityEventRef }),
    session: t.expose('session', {
      type: PlayerSessionRef,
      nullable: true,
      description: 'The session after the update; null when the player had no open session.',
    }),
  }),
});

builder.queryField('recentEvents', (t) =>
  t.field({
    type: [ActivityEventRef],
    description: 'The most recent events, newest first (the last 500 are kept for 7 days).',
    args: {
      playerId: t.arg.id({ required: true }),
      limit: t.arg.int({ defaultValue: DEFAULT_EVENTS_LIMIT, description: 'From 1 to 500.' }),
    },
    authScopes: (_root, { playerId }) => readPlayer(playerId),
    resolve: (_root, { playerId, limit }, { store }) =>
      store.getRecentEvents(playerId, limit ?? DEFAULT_EVENTS_LIMIT),
  }),
);

builder.mutationField('trackActivity', (t) =>
  t.field({
    type: TrackActivityResultRef,
    description:
      'Records a gameplay event and, when a session is open, bumps its counters. LOGIN and LOGOUT are refused: use trackLogin / trackLogout.',
    args: {
      playerId: t.arg.id({ required: true }),
      eventType: t.arg({ type: ActivityEventTypeEnum, required: true }),
      details: t.arg({ type: 'JSONObject', description: 'At most 16 KiB of JSON.' }),
    },
    authScopes: (_root, { playerId }) => actAsPlayer(playerId),
    resolve: (_root, { playerId, eventType, details }, { store }) =>
      store.trackActivity(playerId, eventType, details),
  }),
);

const ActivityInputRef = builder.inputType('ActivityInput', {
  fields: (t) => ({
    playerId: t.id({ required: true }),
    eventType: t.field({ type: ActivityEventTypeEnum, required: true }),
    details: t.field({ type: 'JSONObject', description: 'At most 16 KiB of JSON.' }),
  }),
});

builder.mutationField('trackActivities', (t) =>
  t.field({
    type: [TrackActivityResultRef],
    description: `Records up to ${MAX_BATCH_EVENTS} gameplay events in one call, in order (a game server's batch). The whole batch is checked first: one bad event and nothing is written (the error names its index).`,
    args: { events: t.arg({ type: [ActivityInputRef], required: true }) },
    authScopes: (_root, { events }) => actAsPlayer(events.map((event) => event.playerId)),
    resolve: (_root, { events }, { store }) => store.trackActivities(events),
  }),
);
