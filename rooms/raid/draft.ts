// The raid's decisions in progress (events/tick/draft.ts), folded by the raid's own evolve.
import { draftWith, type Draft as DraftOf } from '../../events/tick/draft.ts';
import { evolve, type RaidEvent } from './events.ts';
import type { RaidState } from './model.ts';

export { emit } from '../../events/tick/draft.ts';
export type Draft = DraftOf<RaidState, RaidEvent>;

export const draftOf = (state: RaidState): Draft => draftWith(state, evolve);
