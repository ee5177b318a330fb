import { InvalidInputError } from '../activity/errors.ts';
import { EVENT_TYPES, type ActivityEvent, type EventType } from '../activity/records.ts';
import { MAX_BATCH_EVENTS, type ActivityInput, type TrackedActivity } from '../activity/store.ts';
import { checkActivity, checkLimit, checkPlayerId, MAX_DETAILS_BYTES } from '../activity/validation.ts';
import { actAsPlayer, builder, readPlayer } from './builder.ts';
import { fieldRules } from './field-rules.ts';
import { PlayerSessionRef } from './session.ts';

const DEFAULT_EVENTS_LIMIT = 50;

/** A details object costs one unit per 128 bytes it may carry (128 for 16 KiB): it dominates a response's size. */
export const DETAILS_WEIGHT = MAX_DETAILS_BYTES / 128;

/** The batch's checks, as the store makes them, before any root field of the operation runs. */
function checkBatch(events: readonly ActivityInput[]): void {
  if (events.length > MAX_BATCH_EVENTS) {
    throw new InvalidInputError('events', `at most ${MAX_BATCH_EVENTS} events per call`);
  }
  events.forEach((event, index) => {
    try {
      checkPlayerId(event.playerId);
      checkActivity(event.eventType, event.details);
    } catch (error) {
      if (!(error instanceof InvalidInputError) || events.length === 1) throw error;
      throw new InvalidInputError(`events[${index}].${error.field}`, `events[${index}]: ${error.message}`);
    }
  });
}

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
    details: t.expose('details', { type: 'JSONObject', extensions: fieldRules({ weight: DETAILS_WEIGHT }) }),
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
    extensions: fieldRules({
      validate: ({ playerId, limit }) => {
        checkPlayerId(playerId as string);
        checkLimit((limit as number | null) ?? DEFAULT_EVENTS_LIMIT);
      },
      listSize: ({ limit }) => (limit as number | null) ?? DEFAULT_EVENTS_LIMIT,
    }),
    authScopes: (_root, { playerId }) => readPlayer(playerId),
    resolve: (_root, { playerId, limit }, { store, budget }) => {
      const count = limit ?? DEFAULT_EVENTS_LIMIT;
      budget.chargeItems(count);
      return store.getRecentEvents(playerId, count);
    },
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
    extensions: fieldRules({
      validate: ({ playerId, eventType, details }) => {
        checkPlayerId(playerId as string);
        checkActivity(eventType as string, details);
      },
    }),
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
    extensions: fieldRules({
      validate: ({ events }) => checkBatch(events as ActivityInput[]),
      listSize: ({ events }) => (events as unknown[]).length,
      // A batch costs its events against the rate limit, as that many single calls would.
      writes: ({ events }) => (events as unknown[]).length,
    }),
    authScopes: (_root, { events }) => actAsPlayer(events.map((event) => event.playerId)),
    resolve: (_root, { events }, { store }) => store.trackActivities(events),
  }),
);
