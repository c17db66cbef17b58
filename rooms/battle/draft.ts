// The battle's decisions in progress (events/tick/draft.ts), folded by the battle's own evolve.
import { draftWith, type Draft as DraftOf } from '../../events/tick/draft.ts';
import { evolve, type BattleEvent } from './events.ts';
import type { BattleState } from './model.ts';

export { emit } from '../../events/tick/draft.ts';
export type Draft = DraftOf<BattleState, BattleEvent>;

export const draftOf = (state: BattleState): Draft => draftWith(state, evolve);
