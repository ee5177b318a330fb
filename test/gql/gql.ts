/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query GlobalDailyStats($date: Date) {\n    globalDailyStats(date: $date) {\n      date\n      activePlayers\n      sessions\n      playtimeSeconds\n      actions\n      trades\n      tradeVolume\n      combatEvents\n      peakOnline\n    }\n  }\n": typeof types.GlobalDailyStatsDocument,
    "\n  query OnlineCountHistory($from: DateTime, $to: DateTime) {\n    onlineCountHistory(from: $from, to: $to) {\n      minute\n      count\n    }\n  }\n": typeof types.OnlineCountHistoryDocument,
    "\n  fragment SessionFields on PlayerSession {\n    playerId\n    loginAt\n    lastActivityAt\n    actionsCount\n    tradesCount\n    tradeVolume\n    combatEvents\n    sectorsVisited\n  }\n": typeof types.SessionFieldsFragmentDoc,
    "\n  mutation TrackLogin($playerId: ID!) {\n    trackLogin(playerId: $playerId) {\n      ...SessionFields\n    }\n  }\n": typeof types.TrackLoginDocument,
    "\n  mutation TrackLogout($playerId: ID!) {\n    trackLogout(playerId: $playerId) {\n      playerId\n      loginAt\n      logoutAt\n      durationSeconds\n      actionsCount\n      tradesCount\n      tradeVolume\n      combatEvents\n      sectorsVisited\n    }\n  }\n": typeof types.TrackLogoutDocument,
    "\n  mutation TrackActivity($playerId: ID!, $eventType: ActivityEventType!, $details: JSONObject) {\n    trackActivity(playerId: $playerId, eventType: $eventType, details: $details) {\n      event {\n        eventType\n        timestamp\n        details\n      }\n      session {\n        playerId\n        lastActivityAt\n        actionsCount\n        tradesCount\n        tradeVolume\n        combatEvents\n        sectorsVisited\n      }\n    }\n  }\n": typeof types.TrackActivityDocument,
    "\n  query PlayerSession($playerId: ID!) {\n    playerSession(playerId: $playerId) {\n      ...SessionFields\n    }\n  }\n": typeof types.PlayerSessionDocument,
    "\n  query PlayerSummary($playerId: ID!) {\n    playerSummary(playerId: $playerId) {\n      playerId\n      totalSessions\n      totalPlaytimeSeconds\n      totalActions\n      totalTrades\n      totalTradeVolume\n      totalCombatEvents\n      uniqueSectorsVisited\n      allSectors\n      lastUpdated\n    }\n  }\n": typeof types.PlayerSummaryDocument,
    "\n  query RecentEvents($playerId: ID!, $limit: Int) {\n    recentEvents(playerId: $playerId, limit: $limit) {\n      eventType\n      timestamp\n      details\n    }\n  }\n": typeof types.RecentEventsDocument,
    "\n  query RecentEventsDefaultLimit($playerId: ID!) {\n    recentEvents(playerId: $playerId) {\n      eventType\n    }\n  }\n": typeof types.RecentEventsDefaultLimitDocument,
    "\n  query DailyStats($playerId: ID!, $date: Date) {\n    dailyStats(playerId: $playerId, date: $date) {\n      playerId\n      date\n      sessions\n      playtimeSeconds\n      actions\n      trades\n      tradeVolume\n      combatEvents\n    }\n  }\n": typeof types.DailyStatsDocument,
    "\n  query OnlinePlayers {\n    onlinePlayerCount\n    onlinePlayerIds {\n      playerIds\n      nextCursor\n    }\n  }\n": typeof types.OnlinePlayersDocument,
    "\n  subscription OnlineCountChanges {\n    onlinePlayerCount\n  }\n": typeof types.OnlineCountChangesDocument,
    "\n  mutation TrackActivities($events: [ActivityInput!]!) {\n    trackActivities(events: $events) {\n      event {\n        eventType\n        timestamp\n        details\n      }\n      session {\n        playerId\n        actionsCount\n        tradeVolume\n        sectorsVisited\n      }\n    }\n  }\n": typeof types.TrackActivitiesDocument,
    "\n  mutation TrackHeartbeat($playerId: ID!) {\n    trackHeartbeat(playerId: $playerId) {\n      playerId\n      lastActivityAt\n      lastSeenAt\n      actionsCount\n    }\n  }\n": typeof types.TrackHeartbeatDocument,
    "\n  mutation TrackLoginWithId($playerId: ID!, $eventId: String) {\n    trackLogin(playerId: $playerId, eventId: $eventId) {\n      ...SessionFields\n    }\n  }\n": typeof types.TrackLoginWithIdDocument,
    "\n  mutation TrackLogoutWithId($playerId: ID!, $eventId: String) {\n    trackLogout(playerId: $playerId, eventId: $eventId) {\n      loginAt\n      logoutAt\n      durationSeconds\n      actionsCount\n    }\n  }\n": typeof types.TrackLogoutWithIdDocument,
    "\n  mutation TrackHeartbeatWithId($playerId: ID!, $eventId: String) {\n    trackHeartbeat(playerId: $playerId, eventId: $eventId) {\n      lastSeenAt\n      actionsCount\n    }\n  }\n": typeof types.TrackHeartbeatWithIdDocument,
    "\n  mutation TrackActivityWithId($playerId: ID!, $eventType: ActivityEventType!, $details: JSONObject, $eventId: String) {\n    trackActivity(playerId: $playerId, eventType: $eventType, details: $details, eventId: $eventId) {\n      duplicate\n      event {\n        eventType\n        timestamp\n        details\n        eventId\n      }\n      session {\n        actionsCount\n        tradesCount\n        tradeVolume\n        lastActivityAt\n      }\n    }\n  }\n": typeof types.TrackActivityWithIdDocument,
    "\n  mutation TrackActivitiesWithIds($events: [ActivityInput!]!) {\n    trackActivities(events: $events) {\n      duplicate\n      event {\n        eventType\n        timestamp\n        eventId\n      }\n      session {\n        actionsCount\n        tradeVolume\n      }\n    }\n  }\n": typeof types.TrackActivitiesWithIdsDocument,
    "\n  query RecentEventIds($playerId: ID!) {\n    recentEvents(playerId: $playerId, limit: 500) {\n      eventType\n      eventId\n    }\n  }\n": typeof types.RecentEventIdsDocument,
};
const documents: Documents = {
    "\n  query GlobalDailyStats($date: Date) {\n    globalDailyStats(date: $date) {\n      date\n      activePlayers\n      sessions\n      playtimeSeconds\n      actions\n      trades\n      tradeVolume\n      combatEvents\n      peakOnline\n    }\n  }\n": types.GlobalDailyStatsDocument,
    "\n  query OnlineCountHistory($from: DateTime, $to: DateTime) {\n    onlineCountHistory(from: $from, to: $to) {\n      minute\n      count\n    }\n  }\n": types.OnlineCountHistoryDocument,
    "\n  fragment SessionFields on PlayerSession {\n    playerId\n    loginAt\n    lastActivityAt\n    actionsCount\n    tradesCount\n    tradeVolume\n    combatEvents\n    sectorsVisited\n  }\n": types.SessionFieldsFragmentDoc,
    "\n  mutation TrackLogin($playerId: ID!) {\n    trackLogin(playerId: $playerId) {\n      ...SessionFields\n    }\n  }\n": types.TrackLoginDocument,
    "\n  mutation TrackLogout($playerId: ID!) {\n    trackLogout(playerId: $playerId) {\n      playerId\n      loginAt\n      logoutAt\n      durationSeconds\n      actionsCount\n      tradesCount\n      tradeVolume\n      combatEvents\n      sectorsVisited\n    }\n  }\n": types.TrackLogoutDocument,
    "\n  mutation TrackActivity($playerId: ID!, $eventType: ActivityEventType!, $details: JSONObject) {\n    trackActivity(playerId: $playerId, eventType: $eventType, details: $details) {\n      event {\n        eventType\n        timestamp\n        details\n      }\n      session {\n        playerId\n        lastActivityAt\n        actionsCount\n        tradesCount\n        tradeVolume\n        combatEvents\n        sectorsVisited\n      }\n    }\n  }\n": types.TrackActivityDocument,
    "\n  query PlayerSession($playerId: ID!) {\n    playerSession(playerId: $playerId) {\n      ...SessionFields\n    }\n  }\n": types.PlayerSessionDocument,
    "\n  query PlayerSummary($playerId: ID!) {\n    playerSummary(playerId: $playerId) {\n      playerId\n      totalSessions\n      totalPlaytimeSeconds\n      totalActions\n      totalTrades\n      totalTradeVolume\n      totalCombatEvents\n      uniqueSectorsVisited\n      allSectors\n      lastUpdated\n    }\n  }\n": types.PlayerSummaryDocument,
    "\n  query RecentEvents($playerId: ID!, $limit: Int) {\n    recentEvents(playerId: $playerId, limit: $limit) {\n      eventType\n      timestamp\n      details\n    }\n  }\n": types.RecentEventsDocument,
    "\n  query RecentEventsDefaultLimit($playerId: ID!) {\n    recentEvents(playerId: $playerId) {\n      eventType\n    }\n  }\n": types.RecentEventsDefaultLimitDocument,
    "\n  query DailyStats($playerId: ID!, $date: Date) {\n    dailyStats(playerId: $playerId, date: $date) {\n      playerId\n      date\n      sessions\n      playtimeSeconds\n      actions\n      trades\n      tradeVolume\n      combatEvents\n    }\n  }\n": types.DailyStatsDocument,
    "\n  query OnlinePlayers {\n    onlinePlayerCount\n    onlinePlayerIds {\n      playerIds\n      nextCursor\n    }\n  }\n": types.OnlinePlayersDocument,
    "\n  subscription OnlineCountChanges {\n    onlinePlayerCount\n  }\n": types.OnlineCountChangesDocument,
    "\n  mutation TrackActivities($events: [ActivityInput!]!) {\n    trackActivities(events: $events) {\n      event {\n        eventType\n        timestamp\n        details\n      }\n      session {\n        playerId\n        actionsCount\n        tradeVolume\n        sectorsVisited\n      }\n    }\n  }\n": types.TrackActivitiesDocument,
    "\n  mutation TrackHeartbeat($playerId: ID!) {\n    trackHeartbeat(playerId: $playerId) {\n      playerId\n      lastActivityAt\n      lastSeenAt\n      actionsCount\n    }\n  }\n": types.TrackHeartbeatDocument,
    "\n  mutation TrackLoginWithId($playerId: ID!, $eventId: String) {\n    trackLogin(playerId: $playerId, eventId: $eventId) {\n      ...SessionFields\n    }\n  }\n": types.TrackLoginWithIdDocument,
    "\n  mutation TrackLogoutWithId($playerId: ID!, $eventId: String) {\n    trackLogout(playerId: $playerId, eventId: $eventId) {\n      loginAt\n      logoutAt\n      durationSeconds\n      actionsCount\n    }\n  }\n": types.TrackLogoutWithIdDocument,
    "\n  mutation TrackHeartbeatWithId($playerId: ID!, $eventId: String) {\n    trackHeartbeat(playerId: $playerId, eventId: $eventId) {\n      lastSeenAt\n      actionsCount\n    }\n  }\n": types.TrackHeartbeatWithIdDocument,
    "\n  mutation TrackActivityWithId($playerId: ID!, $eventType: ActivityEventType!, $details: JSONObject, $eventId: String) {\n    trackActivity(playerId: $playerId, eventType: $eventType, details: $details, eventId: $eventId) {\n      duplicate\n      event {\n        eventType\n        timestamp\n        details\n        eventId\n      }\n      session {\n        actionsCount\n        tradesCount\n        tradeVolume\n        lastActivityAt\n      }\n    }\n  }\n": types.TrackActivityWithIdDocument,
    "\n  mutation TrackActivitiesWithIds($events: [ActivityInput!]!) {\n    trackActivities(events: $events) {\n      duplicate\n      event {\n        eventType\n        timestamp\n        eventId\n      }\n      session {\n        actionsCount\n        tradeVolume\n      }\n    }\n  }\n": types.TrackActivitiesWithIdsDocument,
    "\n  query RecentEventIds($playerId: ID!) {\n    recentEvents(playerId: $playerId, limit: 500) {\n      eventType\n      eventId\n    }\n  }\n": types.RecentEventIdsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GlobalDailyStats($date: Date) {\n    globalDailyStats(date: $date) {\n      date\n      activePlayers\n      sessions\n      playtimeSeconds\n      actions\n      trades\n      tradeVolume\n      combatEvents\n      peakOnline\n    }\n  }\n"): (typeof documents)["\n  query GlobalDailyStats($date: Date) {\n    globalDailyStats(date: $date) {\n      date\n      activePlayers\n      sessions\n      playtimeSeconds\n      actions\n      trades\n      tradeVolume\n      combatEvents\n      peakOnline\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OnlineCountHistory($from: DateTime, $to: DateTime) {\n    onlineCountHistory(from: $from, to: $to) {\n      minute\n      count\n    }\n  }\n"): (typeof documents)["\n  query OnlineCountHistory($from: DateTime, $to: DateTime) {\n    onlineCountHistory(from: $from, to: $to) {\n      minute\n      count\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SessionFields on PlayerSession {\n    playerId\n    loginAt\n    lastActivityAt\n    actionsCount\n    tradesCount\n    tradeVolume\n    combatEvents\n    sectorsVisited\n  }\n"): (typeof documents)["\n  fragment SessionFields on PlayerSession {\n    playerId\n    loginAt\n    lastActivityAt\n    actionsCount\n    tradesCount\n    tradeVolume\n    combatEvents\n    sectorsVisited\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TrackLogin($playerId: ID!) {\n    trackLogin(playerId: $playerId) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation TrackLogin($playerId: ID!) {\n    trackLogin(playerId: $playerId) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TrackLogout($playerId: ID!) {\n    trackLogout(playerId: $playerId) {\n      playerId\n      loginAt\n      logoutAt\n      durationSeconds\n      actionsCount\n      tradesCount\n      tradeVolume\n      combatEvents\n      sectorsVisited\n    }\n  }\n"): (typeof documents)["\n  mutation TrackLogout($playerId: ID!) {\n    trackLogout(playerId: $playerId) {\n      playerId\n      loginAt\n      logoutAt\n      durationSeconds\n      actionsCount\n      tradesCount\n      tradeVolume\n      combatEvents\n      sectorsVisited\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TrackActivity($playerId: ID!, $eventType: ActivityEventType!, $details: JSONObject) {\n    trackActivity(playerId: $playerId, eventType: $eventType, details: $details) {\n      event {\n        eventType\n        timestamp\n        details\n      }\n      session {\n        playerId\n        lastActivityAt\n        actionsCount\n        tradesCount\n        tradeVolume\n        combatEvents\n        sectorsVisited\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation TrackActivity($playerId: ID!, $eventType: ActivityEventType!, $details: JSONObject) {\n    trackActivity(playerId: $playerId, eventType: $eventType, details: $details) {\n      event {\n        eventType\n        timestamp\n        details\n      }\n      session {\n        playerId\n        lastActivityAt\n        actionsCount\n        tradesCount\n        tradeVolume\n        combatEvents\n        sectorsVisited\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlayerSession($playerId: ID!) {\n    playerSession(playerId: $playerId) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  query PlayerSession($playerId: ID!) {\n    playerSession(playerId: $playerId) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlayerSummary($playerId: ID!) {\n    playerSummary(playerId: $playerId) {\n      playerId\n      totalSessions\n      totalPlaytimeSeconds\n      totalActions\n      totalTrades\n      totalTradeVolume\n      totalCombatEvents\n      uniqueSectorsVisited\n      allSectors\n      lastUpdated\n    }\n  }\n"): (typeof documents)["\n  query PlayerSummary($playerId: ID!) {\n    playerSummary(playerId: $playerId) {\n      playerId\n      totalSessions\n      totalPlaytimeSeconds\n      totalActions\n      totalTrades\n      totalTradeVolume\n      totalCombatEvents\n      uniqueSectorsVisited\n      allSectors\n      lastUpdated\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentEvents($playerId: ID!, $limit: Int) {\n    recentEvents(playerId: $playerId, limit: $limit) {\n      eventType\n      timestamp\n      details\n    }\n  }\n"): (typeof documents)["\n  query RecentEvents($playerId: ID!, $limit: Int) {\n    recentEvents(playerId: $playerId, limit: $limit) {\n      eventType\n      timestamp\n      details\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentEventsDefaultLimit($playerId: ID!) {\n    recentEvents(playerId: $playerId) {\n      eventType\n    }\n  }\n"): (typeof documents)["\n  query RecentEventsDefaultLimit($playerId: ID!) {\n    recentEvents(playerId: $playerId) {\n      eventType\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DailyStats($playerId: ID!, $date: Date) {\n    dailyStats(playerId: $playerId, date: $date) {\n      playerId\n      date\n      sessions\n      playtimeSeconds\n      actions\n      trades\n      tradeVolume\n      combatEvents\n    }\n  }\n"): (typeof documents)["\n  query DailyStats($playerId: ID!, $date: Date) {\n    dailyStats(playerId: $playerId, date: $date) {\n      playerId\n      date\n      sessions\n      playtimeSeconds\n      actions\n      trades\n      tradeVolume\n      combatEvents\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OnlinePlayers {\n    onlinePlayerCount\n    onlinePlayerIds {\n      playerIds\n      nextCursor\n    }\n  }\n"): (typeof documents)["\n  query OnlinePlayers {\n    onlinePlayerCount\n    onlinePlayerIds {\n      playerIds\n      nextCursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OnlineCountChanges {\n    onlinePlayerCount\n  }\n"): (typeof documents)["\n  subscription OnlineCountChanges {\n    onlinePlayerCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TrackActivities($events: [ActivityInput!]!) {\n    trackActivities(events: $events) {\n      event {\n        eventType\n        timestamp\n        details\n      }\n      session {\n        playerId\n        actionsCount\n        tradeVolume\n        sectorsVisited\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation TrackActivities($events: [ActivityInput!]!) {\n    trackActivities(events: $events) {\n      event {\n        eventType\n        timestamp\n        details\n      }\n      session {\n        playerId\n        actionsCount\n        tradeVolume\n        sectorsVisited\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TrackHeartbeat($playerId: ID!) {\n    trackHeartbeat(playerId: $playerId) {\n      playerId\n      lastActivityAt\n      lastSeenAt\n      actionsCount\n    }\n  }\n"): (typeof documents)["\n  mutation TrackHeartbeat($playerId: ID!) {\n    trackHeartbeat(playerId: $playerId) {\n      playerId\n      lastActivityAt\n      lastSeenAt\n      actionsCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TrackLoginWithId($playerId: ID!, $eventId: String) {\n    trackLogin(playerId: $playerId, eventId: $eventId) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation TrackLoginWithId($playerId: ID!, $eventId: String) {\n    trackLogin(playerId: $playerId, eventId: $eventId) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TrackLogoutWithId($playerId: ID!, $eventId: String) {\n    trackLogout(playerId: $playerId, eventId: $eventId) {\n      loginAt\n      logoutAt\n      durationSeconds\n      actionsCount\n    }\n  }\n"): (typeof documents)["\n  mutation TrackLogoutWithId($playerId: ID!, $eventId: String) {\n    trackLogout(playerId: $playerId, eventId: $eventId) {\n      loginAt\n      logoutAt\n      durationSeconds\n      actionsCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TrackHeartbeatWithId($playerId: ID!, $eventId: String) {\n    trackHeartbeat(playerId: $playerId, eventId: $eventId) {\n      lastSeenAt\n      actionsCount\n    }\n  }\n"): (typeof documents)["\n  mutation TrackHeartbeatWithId($playerId: ID!, $eventId: String) {\n    trackHeartbeat(playerId: $playerId, eventId: $eventId) {\n      lastSeenAt\n      actionsCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TrackActivityWithId($playerId: ID!, $eventType: ActivityEventType!, $details: JSONObject, $eventId: String) {\n    trackActivity(playerId: $playerId, eventType: $eventType, details: $details, eventId: $eventId) {\n      duplicate\n      event {\n        eventType\n        timestamp\n        details\n        eventId\n      }\n      session {\n        actionsCount\n        tradesCount\n        tradeVolume\n        lastActivityAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation TrackActivityWithId($playerId: ID!, $eventType: ActivityEventType!, $details: JSONObject, $eventId: String) {\n    trackActivity(playerId: $playerId, eventType: $eventType, details: $details, eventId: $eventId) {\n      duplicate\n      event {\n        eventType\n        timestamp\n        details\n        eventId\n      }\n      session {\n        actionsCount\n        tradesCount\n        tradeVolume\n        lastActivityAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TrackActivitiesWithIds($events: [ActivityInput!]!) {\n    trackActivities(events: $events) {\n      duplicate\n      event {\n        eventType\n        timestamp\n        eventId\n      }\n      session {\n        actionsCount\n        tradeVolume\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation TrackActivitiesWithIds($events: [ActivityInput!]!) {\n    trackActivities(events: $events) {\n      duplicate\n      event {\n        eventType\n        timestamp\n        eventId\n      }\n      session {\n        actionsCount\n        tradeVolume\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentEventIds($playerId: ID!) {\n    recentEvents(playerId: $playerId, limit: 500) {\n      eventType\n      eventId\n    }\n  }\n"): (typeof documents)["\n  query RecentEventIds($playerId: ID!) {\n    recentEvents(playerId: $playerId, limit: 500) {\n      eventType\n      eventId\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;