import { InvalidInputError } from '../activity/errors.ts';
import { checkEventId } from '../activity/event-ids.ts';
import { type ActivityEvent, EVENT_TYPES, type EventType } from '../activity/records.ts';
import { type ActivityInput, MAX_BATCH_EVENTS, type TrackedActivity } from '../activity/store.ts';
import { checkActivity, checkLimit, checkPlayerId, MAX_DETAILS_BYTES } from '../activity/validation.ts';
import { actAsPlayer, builder, readPlayer } from './builder.ts';
import { fromDomainError } from './errors.ts';
import { EVENT_ID_DESCRIPTION } from './event-id.ts';
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
      checkEventId(event.eventId);
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
    eventId: t.string({
      nullable: true,
      description: 'The eventId the caller gave with this event; null when none.',
      resolve: (event) => event.eventId ?? null,
    }),
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
    duplicate: t.exposeBoolean('duplicate', {
      description:
        'True when eventId repeated an earlier call with the same payload: nothing was applied, and event and session are what that first call answered.',
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
      eventId: t.arg.string({ description: EVENT_ID_DESCRIPTION }),
    },
    extensions: fieldRules({
      validate: ({ playerId, eventType, details, eventId }) => {
        checkPlayerId(playerId as string);
        checkActivity(eventType as string, details);
        checkEventId(eventId as string | null | undefined);
      },
    }),
    authScopes: (_root, { playerId }) => actAsPlayer(playerId),
    resolve: (_root, { playerId, eventType, details, eventId }, { store }) =>
      store.trackActivity(playerId, eventType, details, eventId),
  }),
);

const ActivityInputRef = builder.inputType('ActivityInput', {
  fields: (t) => ({
    playerId: t.id({ required: true }),
    eventType: t.field({ type: ActivityEventTypeEnum, required: true }),
    details: t.field({ type: 'JSONObject', description: 'At most 16 KiB of JSON.' }),
    eventId: t.string({ description: `${EVENT_ID_DESCRIPTION} Within one batch a repeated eventId counts once.` }),
  }),
});

builder.mutationField('trackActivities', (t) =>
  t.field({
    type: [TrackActivityResultRef],
    nullable: { list: false, items: true },
    description: `Records up to ${MAX_BATCH_EVENTS} gameplay events in one call, in order (a game server's batch). The whole batch is checked first: one bad event and nothing is written (the error names its index). An item is null, with an EVENT_ID_REUSED error at its path, when its eventId was already used with another payload: nothing was written for it, and the other events were applied.`,
    args: { events: t.arg({ type: [ActivityInputRef], required: true }) },
    extensions: fieldRules({
      validate: ({ events }) => checkBatch(events as ActivityInput[]),
      listSize: ({ events }) => (events as unknown[]).length,
      // A batch costs its events against the rate limit, as that many single calls would.
      writes: ({ events }) => (events as unknown[]).length,
    }),
    authScopes: (_root, { events }) => actAsPlayer(events.map((event) => event.playerId)),
    resolve: async (_root, { events }, { store }) =>
      (await store.trackActivities(events)).map((outcome) =>
        // graphql-js reports an Error in a list as that item's error, at its path
        outcome instanceof Error ? ((fromDomainError(outcome) ?? outcome) as unknown as TrackedActivity) : outcome,
      ),
  }),
);
