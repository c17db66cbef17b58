// Public boundary of the spectator feed read model: the pure fold, the projection and the
// queries the Discord publisher, the interactions endpoint and the spectator room use.
export { evolveSummary, feedEventTypes, feedStreamOf, Fighter, FeedSide, foldSummary, LAST_ACTIONS, MatchSummary } from './feed.ts';
export { SPECTATOR, SPECTATOR_VERSION, spectatorProjection } from './projection.ts';
export { liveMatches, MatchRef, summariesOf, summaryOf } from './queries.ts';
