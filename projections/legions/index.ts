export { legionsProjection, LEGION_RATING_START, LEGION_RATING_STEP } from './projection.ts';
export { LegionHall, legionHall, legionOfPlayer } from './queries.ts';
