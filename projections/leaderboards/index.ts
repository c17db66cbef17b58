// Public boundary of the leaderboards read model: the projection, the queries the read API
// calls with their input and result schemas, and the season rule.
export { LEADERBOARDS, LEADERBOARDS_VERSION, leaderboardsProjection } from './projection.ts';
export { Board, boards, leaderboard, LeaderboardEntry, LeaderboardPage, LeaderboardQuery, PlayerRank, playerRank, seasons } from './queries.ts';
export { GLOBAL, SeasonId, seasonOf } from './seasons.ts';
