// A room as an event-sourced actor, free of any network framework: it queues inputs,
// runs them through the rules once per tick, appends the tick's batch with the expected
// version and adopts the new state only once the append is durable. If the store fails,
// the actor keeps the batch (same event ids) and retries it before anything else, so
// nothing is applied twice and nothing is lost; meanwhile it takes no new input.
import { uuidv7 } from '../../events/ids.ts';
import type { EventStore } from '../../events/store.ts';
import type { FlagValue, RoomKind, KindCommand, KindEvent } from '../../events/tick/roomKind.ts';
import { roomEventTypes } from '../../events/tick/roomEvents.ts';
import { runTick, type BatchEvent, type InputOutcome, type TickInput } from '../../events/tick/tickCore.ts';

export type ActorStatus = 'running' | 'store_unavailable' | 'over';

export type TickReport<S, E> = {
  tick: number;
  state: S;
  /** The domain events the tick produced, in order. */
  events: E[];
  outcomes: InputOutcome[];
  version: number;
  /** Events appended for this tick (domain and room events). */
  appended: number;
};

type Pending<S, E> = { tick: number; state: S; events: BatchEvent<E>[]; ids: string[]; outcomes: InputOutcome[] };

export class RoomActor<S, C extends KindCommand, E extends KindEvent, Setup> {
  readonly kind: RoomKind<S, C, E, Setup>;
  readonly streamId: string;
  readonly #store: EventStore;
  #state: S;
  #version: number;
  #tick: number;
  #inputs: TickInput<C>[] = [];
  #pending: Pending<S, E> | undefined;
  #status: ActorStatus;

  private constructor(kind: RoomKind<S, C, E, Setup>, store: EventStore, streamId: string, state: S, version: number, tick: number) {
    this.kind = kind;
    this.#store = store;
    this.streamId = streamId;
    this.#state = state;
    this.#version = version;
    this.#tick = tick;
    this.#status = kind.isOver(state) ? 'over' : 'running';
  }

  static streamOf(kindName: string, roomId: string): string {
    return `${kindName}-${roomId}`;
  }

  /** Appends the creation event of a new room; throws if the setup is refused or the stream exists. */
  static async create<S, C extends KindCommand, E extends KindEvent, Setup>(
    kind: RoomKind<S, C, E, Setup>,
    store: EventStore,
    roomId: string,
    setup: Setup,
    seed: string,
    flags?: Readonly<Record<string, FlagValue>>,
  ): Promise<RoomActor<S, C, E, Setup>> {
    const decision = kind.create(setup, { roomId, seed, startTick: 1, ...(flags ? { flags } : {}) });
    if (!decision.ok) throw Object.assign(new Error(decision.refusal.message), { code: decision.refusal.code });
    const streamId = RoomActor.streamOf(kind.name, roomId);
    const result = await store.append(
      streamId,
      'no_stream',
      decision.events.map((event) => ({ type: event.type, data: event.data, metadata: { tick: 0, actor: 'room' } })),
    );
    const state = decision.events.reduce(kind.decider.evolve, kind.decider.initialState());
    return new RoomActor(kind, store, streamId, state, result.nextExpectedVersion, 0);
  }

  /** Rebuilds a room from its stream: the fold of its domain events, at its last durable tick. */
  static async load<S, C extends KindCommand, E extends KindEvent, Setup>(
    kind: RoomKind<S, C, E, Setup>,
    store: EventStore,
    streamId: string,
  ): Promise<RoomActor<S, C, E, Setup>> {
    const events = await store.readStream(streamId);
    if (events.length === 0) throw Object.assign(new Error(`no stream ${streamId}`), { code: 'room/not_found' });
    let state = kind.decider.initialState();
    const acceptedRefs = new Map<string, string>();
    for (const event of events) {
      if (!roomEventTypes.has(event.type)) state = kind.decider.evolve(state, { type: event.type, data: event.data } as E);
      else if (event.type === 'CommandAccepted') {
        const { playerId, ref } = event.data as { playerId: string; ref?: string };
        if (ref !== undefined) acceptedRefs.set(playerId, ref);
      }
    }
    const last = events.at(-1)!;
    const actor = new RoomActor(kind, store, streamId, state, last.version, last.metadata.tick ?? 0);
    actor.acceptedRefs = acceptedRefs;
    return actor;
  }

  /**
   * Each player's last accepted command ref in the stream, as loaded (empty for a new room):
   * a resumed room shows them again, so a client that rejoins learns which of its commands landed.
   */
  acceptedRefs: ReadonlyMap<string, string> = new Map();

  get state(): S {
    return this.#state;
  }
  get tick(): number {
    return this.#tick;
  }
  get version(): number {
    return this.#version;
  }
  get status(): ActorStatus {
    return this.#status;
  }

  /** Queues an input for the next tick. Refused (false) while the store is unavailable or the room is over. */
  enqueue(input: TickInput<C>): boolean {
    if (this.#status !== 'running') return false;
    this.#inputs.push(input);
    return true;
  }

  /**
   * Runs the next tick: decides it (or takes the batch that failed to append last time),
   * appends it, then adopts its state. Throws StoreUnavailable-like errors after marking
   * the actor unavailable; call again to retry.
   */
  async step(): Promise<TickReport<S, E> | undefined> {
    if (this.#status === 'over') return undefined;
    const pending = this.#pending ?? this.#decideNext();
    this.#pending = pending;
    if (pending.events.length > 0) {
      try {
        const result = await this.#store.append(
          this.streamId,
          this.#version,
          pending.events.map((event, i) => ({ id: pending.ids[i]!, type: event.type, data: event.data, metadata: event.metadata })),
        );
        this.#version = result.nextExpectedVersion;
      } catch (error) {
        this.#status = 'store_unavailable';
        throw error;
      }
    }
    this.#pending = undefined;
    this.#state = pending.state;
    this.#tick = pending.tick;
    this.#status = this.kind.isOver(pending.state) ? 'over' : 'running';
    return {
      tick: pending.tick,
      state: pending.state,
      events: pending.events.flatMap((event) => (event.domain ? [event.event] : [])),
      outcomes: pending.outcomes,
      version: this.#version,
      appended: pending.events.length,
    };
  }

  #decideNext(): Pending<S, E> {
    const inputs = this.#inputs;
    this.#inputs = [];
    const tick = this.#tick + 1;
    const result = runTick(this.kind.decider, this.#state, tick, inputs, { hashEvery: this.kind.hashEvery });
    return { tick, state: result.state, events: result.events, ids: result.events.map(() => uuidv7()), outcomes: result.outcomes };
  }
}
