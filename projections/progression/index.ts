// Public boundary of the progression read model: the projection, the query the read API
// calls and its result schema, and the pure rules (XP, levels, crowns, Glicko-2) behind them.
export { PROGRESSION, PROGRESSION_VERSION, progressionProjection, progressionRulesFingerprint } from './projection.ts';
export { progressionOf, ProgressionView, PROVISIONAL_RD, RatingChange, XpAward } from './queries.ts';
export { levelProgress, MAX_LEVEL, XP_PER_ASCENSION, xpToAdvance } from './levels.ts';
export type { LevelProgress } from './levels.ts';
export { xpTable } from './xp.ts';
export type { AwardReason } from './xp.ts';
export { isRated, outcomeOf } from './outcomes.ts';
export type { MatchOutcome } from './outcomes.ts';
export { initialRating, rateBattle, rateGame, RATING_SCALE, TAU, VOLATILITY_SCALE } from './rating.ts';
export type { StoredRating } from './rating.ts';
export { rate } from './glicko2.ts';
