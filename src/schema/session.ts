import { checkEventId } from '../activity/event-ids.ts';
import type { CompletedSession, PlayerSession } from '../activity/records.ts';
import { checkPlayerId, MAX_SESSION_SECTORS } from '../activity/validation.ts';
import { actAsPlayer, builder, readPlayer } from './builder.ts';
import { EVENT_ID_DESCRIPTION } from './event-id.ts';
import { fieldRules } from './field-rules.ts';

const checksPlayerId = fieldRules({ validate: ({ playerId }) => checkPlayerId(playerId as string) });
// The gate runs these before any root field of the operation: a bad eventId writes nothing anywhere.
const checksPlayerAndEventId = fieldRules({
  validate: ({ playerId, eventId }) => {
    checkPlayerId(playerId as string);
    checkEventId(eventId as string | null | undefined);
  },
});

export const PlayerSessionRef = builder.objectRef<PlayerSession>('PlayerSession').implement({
  description: 'An open session: counters since login.',
  fields: (t) => ({
    playerId: t.exposeID('playerId'),
    loginAt: t.expose('loginAt', { type: 'DateTime' }),
    lastActivityAt: t.expose('lastActivityAt', { type: 'DateTime' }),
    actionsCount: t.exposeInt('actionsCount'),
    tradesCount: t.exposeInt('tradesCount'),
    tradeVolume: t.exposeFloat('tradeVolume'),
    combatEvents: t.exposeInt('combatEvents'),
    sectorsVisited: t.exposeStringList('sectorsVisited', {
      description: 'Distinct sectors entered this session, oldest first (the last 100).',
      extensions: fieldRules({ listSize: MAX_SESSION_SECTORS }),
    }),
    lastSeenAt: t.expose('lastSeenAt', {
      type: 'DateTime',
      nullable: true,
      description: 'The last heartbeat (trackHeartbeat); null when none came.',
    }),
  }),
});

const CompletedSessionRef = builder.objectRef<CompletedSession>('CompletedSession').implement({
  description: 'A session as it was when it ended.',
  fields: (t) => ({
    playerId: t.exposeID('playerId'),
    loginAt: t.expose('loginAt', { type: 'DateTime' }),
    logoutAt: t.expose('logoutAt', { type: 'DateTime' }),
    durationSeconds: t.exposeFloat('durationSeconds'),
    actionsCount: t.exposeInt('actionsCount'),
    tradesCount: t.exposeInt('tradesCount'),
    tradeVolume: t.exposeFloat('tradeVolume'),
    combatEvents: t.exposeInt('combatEvents'),
    sectorsVisited: t.exposeStringList('sectorsVisited', { extensions: fieldRules({ listSize: MAX_SESSION_SECTORS }) }),
  }),
});

builder.queryField('playerSession', (t) =>
  t.field({
    type: PlayerSessionRef,
    nullable: true,
    description: 'The open session, or null when the player is offline or the session expired.',
    args: { playerId: t.arg.id({ required: true }) },
    extensions: checksPlayerId,
    authScopes: (_root, { playerId }) => readPlayer(playerId),
    resolve: (_root, { playerId }, { store }) => store.getSession(playerId),
  }),
);

builder.mutationField('trackLogin', (t) =>
  t.field({
    type: PlayerSessionRef,
    description:
      'Opens a session. An open session is first completed as a logout ending at its last activity. A repeated eventId answers the session its first call opened (same loginAt) and changes nothing: a retried login never turns the session it opened into a relogin.',
    args: { playerId: t.arg.id({ required: true }), eventId: t.arg.string({ description: EVENT_ID_DESCRIPTION }) },
    extensions: checksPlayerAndEventId,
    authScopes: (_root, { playerId }) => actAsPlayer(playerId),
    resolve: (_root, { playerId, eventId }, { store }) => store.trackLogin(playerId, eventId),
  }),
);

builder.mutationField('trackLogout', (t) =>
  t.field({
    type: CompletedSessionRef,
    nullable: true,
    description:
      'Completes the open session into the summary and daily records. Null, and nothing changed, when no session is open. A repeated eventId answers what its first call answered (the session it completed, or null) and changes nothing.',
    args: { playerId: t.arg.id({ required: true }), eventId: t.arg.string({ description: EVENT_ID_DESCRIPTION }) },
    extensions: checksPlayerAndEventId,
    authScopes: (_root, { playerId }) => actAsPlayer(playerId),
    resolve: (_root, { playerId, eventId }, { store }) => store.trackLogout(playerId, eventId),
  }),
);

builder.mutationField('trackHeartbeat', (t) =>
  t.field({
    type: PlayerSessionRef,
    nullable: true,
    description:
      'Keeps a connected but quiet player online: restarts the session TTL and its idle clock without counting an action or recording an event. Null, and nothing written, when no session is open. Send it every minute or so while connected. A repeated eventId answers what its first call answered and changes nothing.',
    args: { playerId: t.arg.id({ required: true }), eventId: t.arg.string({ description: EVENT_ID_DESCRIPTION }) },
    extensions: checksPlayerAndEventId,
    authScopes: (_root, { playerId }) => actAsPlayer(playerId),
    resolve: (_root, { playerId, eventId }, { store }) => store.trackHeartbeat(playerId, eventId),
  }),
);
