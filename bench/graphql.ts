import type { GeneratedEvent } from './events.ts';

/** The operations the bench sends, and their request bodies. */

export const BASELINE = 'query Baseline { __typename }';

// What a game server needs back: the event's time and the session's counters.
export const TRACK_ACTIVITY = `mutation TrackActivity($playerId: ID!, $eventType: ActivityEventType!, $details: JSONObject) {
  trackActivity(playerId: $playerId, eventType: $eventType, details: $details) {
    event { eventType timestamp }
    session { actionsCount tradeVolume }
  }
}`;

export const TRACK_ACTIVITIES = `mutation TrackActivities($events: [ActivityInput!]!) {
  trackActivities(events: $events) {
    event { eventType timestamp }
    session { actionsCount tradeVolume }
  }
}`;

export const TRACK_LOGIN = 'mutation TrackLogin($playerId: ID!) { trackLogin(playerId: $playerId) { loginAt } }';

export const ONLINE_COUNT = 'query OnlineCount { onlinePlayerCount }';

export const ONLINE_COUNT_SUBSCRIPTION = 'subscription OnlineCountChanges { onlinePlayerCount }';

export function body(query: string, variables?: Record<string, unknown>): Buffer {
  const operationName = /^\w+\s+(\w+)/.exec(query)?.[1];
  return Buffer.from(
    JSON.stringify({ query, ...(operationName ? { operationName } : {}), ...(variables ? { variables } : {}) }),
  );
}

const asInput = (event: GeneratedEvent) => ({
  playerId: event.playerId,
  eventType: event.eventType.toUpperCase(),
  details: event.details,
});

export const trackActivityBody = (event: GeneratedEvent) => body(TRACK_ACTIVITY, asInput(event));

export const trackActivitiesBody = (events: readonly GeneratedEvent[]) =>
  body(TRACK_ACTIVITIES, { events: events.map(asInput) });

export const trackLoginBody = (playerId: string) => body(TRACK_LOGIN, { playerId });
