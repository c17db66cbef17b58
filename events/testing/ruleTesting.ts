// Test support for any room kind's rules, used by each kind's fixtures and property tests:
// re-drawing rolls, checking events against their definitions, extending a history by what
// the rules produce, freezing inputs, and taking a log through the store's encoding.
import assert from 'node:assert/strict';
import type { EventCatalog, EventDefinition } from '../catalog.ts';
import { fold, type Decider, type TickDecider } from '../decider.ts';
import { nextInt, type PrngState } from '../tick/prng.ts';

type AnyEvent = { type: string; data: unknown };

/** The values drawn for the given bounds, in order, and the generator state after them. */
export function draws(from: PrngState, ...bounds: number[]): { values: number[]; prng: PrngState } {
  const values: number[] = [];
  let prng = from;
  for (const bound of bounds) {
    const [value, next] = nextInt(prng, bound);
    values.push(value);
    prng = next;
  }
  return { values, prng };
}

/** Checks an event against its zod schema among `definitions`, as the store would on append. */
export function checkAgainst(definitions: readonly EventDefinition[]): (event: AnyEvent) => void {
  return (event) => {
    const definition = definitions.find((d) => d.type === event.type);
    if (!definition) throw new Error(`no definition for ${event.type}`);
    definition.schema.parse(event.data);
  };
}

/** A step of play: a command decided at a tick, or the end of a tick. */
export type PlayStep<C> = [command: C | 'tick', tick: number];

/** Extends a history by what the decider produces for each step; a refused command is a broken setup. */
export function playOn<S, C, E>(decider: TickDecider<S, C, E>): (history: readonly E[], ...steps: PlayStep<C>[]) => E[] {
  return (history, ...steps) => {
    const events = [...history];
    for (const [command, tick] of steps) {
      const state = fold(decider, decider.initialState(), events);
      if (command === 'tick') {
        events.push(...decider.onTick(state, { tick }));
        continue;
      }
      const decision = decider.decide(state, command, { tick });
      if (!decision.ok) throw new Error(`setup step refused: ${decision.refusal.code} ${decision.refusal.message}`);
      events.push(...decision.events);
    }
    return events;
  };
}

/** Freezes a value and everything in it: handed to the rules, any write becomes a TypeError (decide and onTick must be pure). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A log as a reader gets it back from the store: validated and encoded, serialized, decoded. */
export function throughStore<E extends AnyEvent>(catalog: EventCatalog, streamId: string, log: readonly E[]): E[] {
  const encoded = log.map((e, version) => ({ type: e.type, ...catalog.encode(e.type, e.data, { streamId, version }) }));
  const stored = JSON.parse(JSON.stringify(encoded)) as { type: string; schemaVersion: number; data: unknown }[];
  return stored.map((e, version) => ({ type: e.type, data: catalog.decode(e.type, e.schemaVersion, e.data, { streamId, version }) }) as E);
}

/**
 * Replay, checked on a whole simulated run: the same inputs give identical events, and
 * folding the stream as the store hands it back gives the live state, which is plain JSON.
 */
export function assertReplays<S, E extends AnyEvent>(
  decider: Pick<Decider<S, never, E, never>, 'evolve' | 'initialState'>,
  catalog: EventCatalog,
  streamId: string,
  simulate: () => { log: readonly E[]; state: S },
): void {
  const live = simulate();
  assert.deepEqual(simulate().log, live.log);
  assert.deepEqual(fold(decider, decider.initialState(), throughStore(catalog, streamId, live.log)), live.state);
  assert.deepEqual(JSON.parse(JSON.stringify(live.state)), live.state, 'state is plain JSON');
}
