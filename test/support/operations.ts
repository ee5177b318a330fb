import { graphql } from '../gql/index.ts';

/** The operations the tests send, typed by GraphQL Code Generator (npm run codegen). */

graphql(`
  fragment SessionFields on PlayerSession {
    playerId
    loginAt
    lastActivityAt
    actionsCount
    tradesCount
    tradeVolume
    combatEvents
    sectorsVisited
  }
`);

export const TrackLogin = graphql(`
  mutation TrackLogin($playerId: ID!) {
    trackLogin(playerId: $playerId) {
      ...SessionFields
    }
  }
`);

export const TrackLogout = graphql(`
  mutation TrackLogout($playerId: ID!) {
    trackLogout(playerId: $playerId) {
      playerId
      loginAt
      logoutAt
      durationSeconds
      actionsCount
      tradesCount
      tradeVolume
      combatEvents
      sectorsVisited
    }
  }
`);

export const TrackActivity = graphql(`
  mutation TrackActivity($playerId: ID!, $eventType: ActivityEventType!, $details: JSONObject) {
    trackActivity(playerId: $playerId, eventType: $eventType, details: $details) {
      event {
        eventType
        timestamp
        details
      }
      session {
        playerId
        lastActivityAt
        actionsCount
        tradesCount
        tradeVolume
        combatEvents
        sectorsVisited
      }
    }
  }
`);

export const PlayerSession = graphql(`
  query PlayerSession($playerId: ID!) {
    playerSession(playerId: $playerId) {
      ...SessionFields
    }
  }
`);

export const PlayerSummary = graphql(`
  query PlayerSummary($playerId: ID!) {
    playerSummary(playerId: $playerId) {
      playerId
      totalSessions
      totalPlaytimeSeconds
      totalActions
      totalTrades
      totalTradeVolume
      totalCombatEvents
      uniqueSectorsVisited
      allSectors
      lastUpdated
    }
  }
`);

export const RecentEvents = graphql(`
  query RecentEvents($playerId: ID!, $limit: Int) {
    recentEvents(playerId: $playerId, limit: $limit) {
      eventType
      timestamp
      details
    }
  }
`);

export const RecentEventsDefaultLimit = graphql(`
  query RecentEventsDefaultLimit($playerId: ID!) {
    recentEvents(playerId: $playerId) {
      eventType
    }
  }
`);

export const DailyStats = graphql(`
  query DailyStats($playerId: ID!, $date: Date) {
    dailyStats(playerId: $playerId, date: $date) {
      playerId
      date
      sessions
      playtimeSeconds
      actions
      trades
      tradeVolume
      combatEvents
    }
  }
`);

export const OnlinePlayers = graphql(`
  query OnlinePlayers {
    onlinePlayerCount
    onlinePlayerIds {
      playerIds
      nextCursor
    }
  }
`);

export const OnlineCountChanges = graphql(`
  subscription OnlineCountChanges {
    onlinePlayerCount
  }
`);

export const TrackActivities = graphql(`
  mutation TrackActivities($events: [ActivityInput!]!) {
    trackActivities(events: $events) {
      event {
        eventType
        timestamp
        details
      }
      session {
        playerId
        actionsCount
        tradeVolume
        sectorsVisited
      }
    }
  }
`);

export const TrackHeartbeat = graphql(`
  mutation TrackHeartbeat($playerId: ID!) {
    trackHeartbeat(playerId: $playerId) {
      playerId
      lastActivityAt
      lastSeenAt
      actionsCount
    }
  }
`);

// Event ids (issue 10): the tracking mutations with eventId, and what a retry needs to see.

export const TrackLoginWithId = graphql(`
  mutation TrackLoginWithId($playerId: ID!, $eventId: String) {
    trackLogin(playerId: $playerId, eventId: $eventId) {
      ...SessionFields
    }
  }
`);

export const TrackLogoutWithId = graphql(`
  mutation TrackLogoutWithId($playerId: ID!, $eventId: String) {
    trackLogout(playerId: $playerId, eventId: $eventId) {
      loginAt
      logoutAt
      durationSeconds
      actionsCount
    }
  }
`);

export const TrackHeartbeatWithId = graphql(`
  mutation TrackHeartbeatWithId($playerId: ID!, $eventId: String) {
    trackHeartbeat(playerId: $playerId, eventId: $eventId) {
      lastSeenAt
      actionsCount
    }
  }
`);

export const TrackActivityWithId = graphql(`
  mutation TrackActivityWithId($playerId: ID!, $eventType: ActivityEventType!, $details: JSONObject, $eventId: String) {
    trackActivity(playerId: $playerId, eventType: $eventType, details: $details, eventId: $eventId) {
      duplicate
      event {
        eventType
        timestamp
        details
        eventId
      }
      session {
        actionsCount
        tradesCount
        tradeVolume
        lastActivityAt
      }
    }
  }
`);

export const TrackActivitiesWithIds = graphql(`
  mutation TrackActivitiesWithIds($events: [ActivityInput!]!) {
    trackActivities(events: $events) {
      duplicate
      event {
        eventType
        timestamp
        eventId
      }
      session {
        actionsCount
        tradeVolume
      }
    }
  }
`);

export const RecentEventIds = graphql(`
  query RecentEventIds($playerId: ID!) {
    recentEvents(playerId: $playerId, limit: 500) {
      eventType
      eventId
    }
  }
`);
