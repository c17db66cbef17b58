// given(events).when(command).then(events | refusal): specs for any Decider (a plain one
// takes no context: `when(command)`; a TickDecider takes the tick and can be ticked).
//
//   const given = specFor(battleDecider);
//   given([created]).when(cast, { tick: 3 }).then([abilityCast, damageDealt]);
//   given([created]).when(cast, { tick: 0 }).thenRefused('battle/not_started');
//   given([created, burned]).whenTick({ tick: 20 }).then([burnPulse]);
//
// Beyond comparing events, every outcome checks what any decider owes its room: the rules
// never mutate the state they are given (a refused command must leave it untouched), and
// the produced events fold without throwing.
import assert from 'node:assert/strict';
import { fold, type Decider, type Decision, type RuleContext, type TickDecider } from '../decider.ts';

export type SpecOutcome<S, E> = {
  readonly decision: Decision<E>;
  /** The state after folding the produced events (the given state on a refusal). */
  readonly stateAfter: S;
  /** Asserts acceptance with exactly these events, in this order. */
  then(expected: readonly E[]): void;
  /** Asserts a refusal with this code. */
  thenRefused(code: string): void;
  /** Asserts acceptance and returns the events, for specs that check them piecemeal. */
  events(): readonly E[];
};

export type SpecGiven<S, C, E, Ctx = RuleContext> = {
  readonly state: S;
  when(command: C, ctx: Ctx): SpecOutcome<S, E>;
  /** Only for a TickDecider. */
  whenTick(ctx: RuleContext): SpecOutcome<S, E>;
};

export type SpecOptions<E> = {
  /** Called on every produced event, e.g. to check it against its zod schema. */
  readonly checkEvent?: (event: E) => void;
};

/** Starts a spec from a history of events, folded from the decider's initial state. */
export type Given<S, C, E, Ctx = RuleContext> = (history: readonly E[]) => SpecGiven<S, C, E, Ctx>;

export function specFor<S, C, E, Ctx = void>(decider: Decider<S, C, E, Ctx> | (Ctx extends RuleContext ? TickDecider<S, C, E> : never), options: SpecOptions<E> = {}): Given<S, C, E, Ctx> {
  return function given(history) {
    const state = fold(decider, decider.initialState(), history);
    const run = (produce: (given: S) => Decision<E>): SpecOutcome<S, E> => {
      const before = structuredClone(state);
      const decision = produce(state);
      assert.deepEqual(state, before, 'the rules mutated the state they were given');
      if (decision.ok) decision.events.forEach((event) => options.checkEvent?.(event));
      const stateAfter = decision.ok ? fold(decider, state, decision.events) : state;
      return outcome(decision, stateAfter);
    };
    return {
      state,
      when: (command, ctx) => run((s) => (decider as Decider<S, C, E, Ctx>).decide(s, command, ctx)),
      whenTick: (ctx) => run((s) => {
        if (!('onTick' in decider)) assert.fail('only a TickDecider can be ticked');
        return { ok: true, events: decider.onTick(s, ctx) };
      }),
    };
  };
}

function outcome<S, E>(decision: Decision<E>, stateAfter: S): SpecOutcome<S, E> {
  const events = (): readonly E[] => {
    if (!decision.ok) assert.fail(`expected acceptance, got refusal ${decision.refusal.code}: ${decision.refusal.message}`);
    return decision.events;
  };
  return {
    decision,
    stateAfter,
    events,
    then: (expected) => assert.deepEqual(events(), expected),
    thenRefused: (code) => {
      if (decision.ok) assert.fail(`expected refusal ${code}, got events ${JSON.stringify(decision.events)}`);
      assert.equal(decision.refusal.code, code, decision.refusal.message);
    },
  };
}
