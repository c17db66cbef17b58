// A decision in progress: events emitted so far and the state they fold to. Rules read
// `draft.state` after every emit, so a later step sees the effect of an earlier one (a
// hit's damage before the fall check, one draw's generator state before the next), and
// the state the rules saw is by construction the fold of the events they produced.
import { evolve, type RaidEvent } from './events.ts';
import type { RaidState } from './model.ts';

export type Draft = { state: RaidState; readonly events: RaidEvent[] };

export function draftOf(state: RaidState): Draft {
  return { state, events: [] };
}

export function emit(draft: Draft, event: RaidEvent): void {
  draft.events.push(event);
  draft.state = evolve(draft.state, event);
}
