// The Decider: the one shape of every rule in the game. A decider is three pure functions:
// where a stream starts (`initialState`), what a command records (`decide`: events, or a
// refusal as a value), and how an event changes the state (`evolve`). Pure means no clock,
// no Math.random, no I/O, integer math only, so folding a stream always gives the same state.
//
// Aggregates outside rooms (wallets, accounts, receipts, content) are plain Deciders, run by
// handleCommand (commandHandler.ts). Rooms are TickDeciders: the same three functions, with a
// tick in the context and an `onTick` for what happens as time passes (tick/tickCore.ts).

/** A domain refusal: a stable code (`battle/not_your_turn`) and a human message. */
export type Refusal = { readonly code: string; readonly message: string };

export type Decision<E> =
  | { readonly ok: true; readonly events: readonly E[] }
  | { readonly ok: false; readonly refusal: Refusal };

export const accept = <E>(...events: E[]): Decision<E> => ({ ok: true, events });
export const refuse = <E = never>(code: string, message: string): Decision<E> => ({ ok: false, refusal: { code, message } });

/** `refuse`, held to one kind's list of codes: `const refuseBattle = refusalsOf<BattleRefusalCode>()`. */
export const refusalsOf = <Code extends string>() => <E>(code: Code, message: string): Decision<E> => refuse<E>(code, message);

/** `Ctx` is what the caller hands `decide` besides state and command: nothing for a plain aggregate. */
export type Decider<S, C, E, Ctx = void> = {
  /** State before the stream's first event. */
  readonly initialState: () => S;
  /** Decides one command; a refusal leaves the state untouched. */
  readonly decide: (state: S, command: C, ctx: Ctx) => Decision<E>;
  /** Folds one event into the state, without changing its input. Must be total over the events. */
  readonly evolve: (state: S, event: E) => S;
};

/** What a room hands its rules each tick. Randomness lives in the state (tick/prng.ts). */
export type RuleContext = { readonly tick: number };

/** A room's rules: a Decider that knows the tick, and decides what time alone brings. */
export type TickDecider<S, C, E> = Decider<S, C, E, RuleContext> & {
  /** Time-driven events at the end of a tick (cooldowns, enrage, tick limit); usually none. */
  readonly onTick: (state: S, ctx: RuleContext) => readonly E[];
};

/** Folds events into a state. */
export function fold<S, E>(decider: Pick<Decider<S, never, E, never>, 'evolve'>, state: S, events: Iterable<E>): S {
  let current = state;
  for (const event of events) current = decider.evolve(current, event);
  return current;
}
