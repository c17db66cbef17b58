// Plays a whole room with the real rules and bots, without a server: each tick's inputs
// go through runTick exactly as the room would run them, and each tick's batch comes out
// as the events the room would append. Benchmarks, read-model tests and audits use it to
// fill a store with realistic matches quickly.
import type { NewEvent } from '../../events/envelope.ts';
import type { KindCommand, KindEvent, RoomKind } from '../../rooms/shared/roomKind.ts';
import { runTick, type TickInput } from '../../rooms/shared/tickCore.ts';

/** The commands players send in a tick, given the state they see. */
export type Bot<S, C> = (state: S, tick: number) => readonly (C & { type: string; playerId: string })[];

export type SimulatedRoom<S> = {
  streamId: string;
  /** One batch per tick that produced events, as the room appends them (creation first). */
  batches: NewEvent[][];
  state: S;
  ticks: number;
};

export function simulateRoom<S, C extends KindCommand, E extends KindEvent, Setup>(
  kind: RoomKind<S, C, E, Setup>,
  setup: Setup,
  options: { roomId: string; seed: string; bot: Bot<S, C>; maxTicks?: number },
): SimulatedRoom<S> {
  const creation = kind.create(setup, { roomId: options.roomId, seed: options.seed, startTick: 0 });
  if (!creation.ok) throw new Error(`${kind.name} setup refused: ${creation.refusal.code} ${creation.refusal.message}`);
  let state = creation.events.reduce(kind.decider.evolve, kind.decider.initialState());
  const batches: NewEvent[][] = [creation.events.map((event) => ({ type: event.type, data: event.data, metadata: { tick: 0, actor: 'room' } }))];
  const maxTicks = options.maxTicks ?? 200_000;
  let tick = 1;
  for (; tick < maxTicks && !kind.isOver(state); tick++) {
    const inputs: TickInput<C>[] = options.bot(state, tick).map((command) => ({ kind: 'command', playerId: command.playerId, command }));
    const result = runTick(kind.decider, state, tick, inputs, { hashEvery: kind.hashEvery });
    state = result.state;
    if (result.events.length > 0) batches.push(result.events.map(({ type, data, metadata }) => ({ type, data, metadata })));
  }
  return { streamId: `${kind.name}-${options.roomId}`, batches, state, ticks: tick };
}
