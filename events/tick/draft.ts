// A decision in progress: events emitted so far and the state they fold to. Rules read
// `draft.state` after every emit, so a later step sees the effect of an earlier one (a
// hit's damage before the fall check, one draw's generator state before the next), and
// the state the rules saw is by construction the fold of the events they produced.
export type Draft<S, E> = { state: S; readonly events: E[]; readonly evolve: (state: S, event: E) => S };

export function draftWith<S, E>(state: S, evolve: (state: S, event: E) => S): Draft<S, E> {
  return { state, events: [], evolve };
}

export function emit<S, E>(draft: Draft<S, E>, event: E): void {
  draft.events.push(event);
  draft.state = draft.evolve(draft.state, event);
}
