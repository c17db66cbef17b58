// The Decider pattern every room kind implements. Rules are pure functions of
// (state, command, ctx): no clock, no Math.random, no I/O, integer math only.

/** What the room hands the rules each tick. Randomness lives in the state (see prng.ts). */
export type RuleContext = { readonly tick: number };

/** A domain refusal: a stable code (`battle/not_your_turn`) and a human message. */
export type Refusal = { readonly code: string; readonly message: string };

export type Decision<E> =
  | { readonly ok: true; readonly events: readonly E[] }
  | { readonly ok: false; readonly refusal: Refusal };

export const accept = <E>(...events: E[]): Decision<E> => ({ ok: true, events });
export const refuse = <E = never>(code: string, message: string): Decision<E> => ({ ok: false, refusal: { code, message } });

export type Decider<S, C, E> = {
  /** State before the creation event. */
  readonly initialState: () => S;
  /** Decides one command; a refusal leaves the state untouched. */
  readonly decide: (state: S, command: C, ctx: RuleContext) => Decision<E>;
  /** Time-driven events at the end of a tick (cooldowns, enrage, tick limit); usually none. */
  readonly onTick: (state: S, ctx: RuleContext) => readonly E[];
  /** Folds one event into the state. Must be total over the kind's events. */
  readonly evolve: (state: S, event: E) => S;
};

/** Folds events into a state. */
export function fold<S, E>(decider: Pick<Decider<S, unknown, E>, 'evolve'>, state: S, events: Iterable<E>): S {
  let current = state;
  for (const event of events) current = decider.evolve(current, event);
  return current;
}
