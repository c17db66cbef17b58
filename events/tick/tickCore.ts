// One tick of a room, as a pure function: the queued inputs in arrival order through
// decide (each seeing the state its predecessors left), then the tick's own events, then
// a state hash when due. The result is the batch to append and the state to adopt once
// the append is durable. The Colyseus room, the crash recovery and the audit all use it.
import type { TickDecider } from '../decider.ts';
import type { RoomEvent } from './roomEvents.ts';
import { stateHash } from './stateHash.ts';

/** What a client sent, already parsed: a command the rules will judge, or input that failed validation. */
export type TickInput<C> =
  | { kind: 'command'; playerId: string; command: C & { type: string }; ref?: string }
  | { kind: 'invalid'; playerId: string; commandType: string; code: string; message: string; ref?: string };

export type BatchEvent<E> = { type: string; data: unknown; metadata: { tick: number; actor?: string } } & ({ domain: true; event: E } | { domain: false });

/** The outcome for one input, for telling its sender. */
export type InputOutcome =
  | { playerId: string; ref?: string; accepted: true; commandType: string }
  | { playerId: string; ref?: string; accepted: false; commandType: string; code: string; message: string };

export type TickResult<S, E> = { state: S; events: BatchEvent<E>[]; outcomes: InputOutcome[] };

export type TickOptions = { hashEvery: number };

export function runTick<S, C, E extends { type: string; data: unknown }>(
  decider: TickDecider<S, C & { type: string }, E>,
  state: S,
  tick: number,
  inputs: readonly TickInput<C>[],
  options: TickOptions,
): TickResult<S, E> {
  const events: BatchEvent<E>[] = [];
  const outcomes: InputOutcome[] = [];
  let current = state;
  const room = (event: RoomEvent, actor: string) => events.push({ ...event, metadata: { tick, actor }, domain: false });
  const domain = (event: E, actor?: string) => {
    events.push({ type: event.type, data: event.data, metadata: actor ? { tick, actor } : { tick }, domain: true, event });
    current = decider.evolve(current, event);
  };

  for (const input of inputs) {
    const ref = input.ref === undefined ? {} : { ref: input.ref };
    if (input.kind === 'invalid') {
      const { playerId, commandType, code, message } = input;
      room({ type: 'CommandRejected', data: { tick, playerId, commandType, command: null, code, message, ...ref } }, playerId);
      outcomes.push({ playerId, accepted: false, commandType, code, message, ...ref });
      continue;
    }
    const { playerId, command } = input;
    const decision = decider.decide(current, command, { tick });
    if (!decision.ok) {
      const { code, message } = decision.refusal;
      room({ type: 'CommandRejected', data: { tick, playerId, commandType: command.type, command, code, message, ...ref } }, playerId);
      outcomes.push({ playerId, accepted: false, commandType: command.type, code, message, ...ref });
      continue;
    }
    room({ type: 'CommandAccepted', data: { tick, playerId, command, ...ref } }, playerId);
    for (const event of decision.events) domain(event, playerId);
    outcomes.push({ playerId, accepted: true, commandType: command.type, ...ref });
  }

  for (const event of decider.onTick(current, { tick })) domain(event);
  if (options.hashEvery > 0 && tick % options.hashEvery === 0) {
    room({ type: 'StateHashed', data: { tick, hash: stateHash(current) } }, 'room');
  }
  return { state: current, events, outcomes };
}
