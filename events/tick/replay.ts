// Re-simulates a room from its stream: the creation events as recorded, then every tick
// from 1 to the last recorded one through the same tick core, fed the inputs the stream
// says arrived at each tick. A faithful stream is reproduced event for event; the first
// difference names the tick and version where the log and the rules part ways.
import { canonicalJson } from '../canonical.ts';
import type { RecordedEvent } from '../envelope.ts';
import { CommandAccepted, CommandRejected } from './roomEvents.ts';
import type { KindCommand, KindEvent, RoomKind } from './roomKind.ts';
import { runTick, type TickInput } from './tickCore.ts';

export type Divergence = {
  tick: number;
  version: number;
  expected: { type: string; data: unknown } | null;
  actual: { type: string; data: unknown } | null;
};

export type ReplayResult<S> = { ok: true; state: S; ticks: number } | { ok: false; state: S; divergence: Divergence };

export function replay<S, C extends KindCommand, E extends KindEvent, Setup>(
  kind: RoomKind<S, C, E, Setup>,
  stored: readonly RecordedEvent[],
): ReplayResult<S> {
  const steps = replaySteps(kind, stored, 0);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same replay, pausing (yielding) after every `yieldEveryTicks` ticks, so a caller that
 * shares its thread with live rooms (the audit worker) can let them run in between.
 */
export function* replaySteps<S, C extends KindCommand, E extends KindEvent, Setup>(
  kind: RoomKind<S, C, E, Setup>,
  stored: readonly RecordedEvent[],
  yieldEveryTicks: number,
): Generator<void, ReplayResult<S>, void> {
  const tickOf = (event: RecordedEvent) => event.metadata.tick ?? 0;
  let state = kind.decider.initialState();
  let index = 0;
  while (index < stored.length && tickOf(stored[index]!) === 0) {
    const event = stored[index++]!;
    state = kind.decider.evolve(state, { type: event.type, data: event.data } as E);
  }
  const inputs = inputsByTick<C>(stored.slice(index));
  const lastTick = stored.length > 0 ? tickOf(stored.at(-1)!) : 0;
  for (let tick = 1; tick <= lastTick; tick++) {
    const result = runTick(kind.decider, state, tick, inputs.get(tick) ?? [], { hashEvery: kind.hashEvery });
    for (const produced of result.events) {
      const recorded = stored[index];
      const actual = { type: produced.type, data: produced.data };
      if (!recorded || tickOf(recorded) !== tick || !same(recorded, actual)) {
        return { ok: false, state, divergence: { tick, version: recorded?.version ?? stored.length, expected: recorded ? { type: recorded.type, data: recorded.data } : null, actual } };
      }
      index++;
    }
    if (index < stored.length && tickOf(stored[index]!) === tick) {
      const extra = stored[index]!;
      return { ok: false, state, divergence: { tick, version: extra.version, expected: { type: extra.type, data: extra.data }, actual: null } };
    }
    state = result.state;
    if (yieldEveryTicks > 0 && tick % yieldEveryTicks === 0) yield;
  }
  return { ok: true, state, ticks: lastTick };
}

/** The inputs each tick received, in arrival order, as the stream recorded them. */
function inputsByTick<C>(events: readonly RecordedEvent[]): Map<number, TickInput<C>[]> {
  const byTick = new Map<number, TickInput<C>[]>();
  const add = (tick: number, input: TickInput<C>) => {
    const inputs = byTick.get(tick);
    if (inputs) inputs.push(input);
    else byTick.set(tick, [input]);
  };
  for (const event of events) {
    if (event.type === CommandAccepted.type) {
      const data = event.data as ReturnType<typeof CommandAccepted.schema.parse>;
      add(data.tick, { kind: 'command', playerId: data.playerId, command: data.command as C & { type: string }, ...(data.ref ? { ref: data.ref } : {}) });
    } else if (event.type === CommandRejected.type) {
      const data = event.data as ReturnType<typeof CommandRejected.schema.parse>;
      const ref = data.ref ? { ref: data.ref } : {};
      add(data.tick, data.command
        ? { kind: 'command', playerId: data.playerId, command: data.command as C & { type: string }, ...ref }
        : { kind: 'invalid', playerId: data.playerId, commandType: data.commandType, code: data.code, message: data.message, ...ref });
    }
  }
  return byTick;
}

function same(recorded: RecordedEvent, produced: { type: string; data: unknown }): boolean {
  return recorded.type === produced.type && canonicalJson(recorded.data) === canonicalJson(produced.data);
}
