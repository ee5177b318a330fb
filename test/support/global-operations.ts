import { graphql } from '../gql/index.ts';

/** The game-wide numbers' operations (typed by npm run codegen). */

export const GlobalDailyStats = graphql(`
  query GlobalDailyStats($date: Date) {
    globalDailyStats(date: $date) {
      date
      activePlayers
      sessions
      playtimeSeconds
      actions
      trades
      tradeVolume
      combatEvents
      peakOnline
    }
  }
`);

export const OnlineCountHistory = graphql(`
  query OnlineCountHistory($from: DateTime, $to: DateTime) {
    onlineCountHistory(from: $from, to: $to) {
      minute
      count
    }
  }
`);
