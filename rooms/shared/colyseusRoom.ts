// The Colyseus face of an event-sourced room: validates client input, queues it on the
// actor, steps the actor on a fixed tick, and mirrors the durable state into the
// @colyseus/schema state clients sync. Nothing reaches a client before the log has it.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CloseCode, ErrorCode, Room, ServerError, type Client } from '@colyseus/core';
import { StateView, type Schema } from '@colyseus/schema';
import { z } from 'zod';
import type { EventStore } from '../../events/store.ts';
import { RoomActor, type ActorStatus, type TickReport } from './actor.ts';
import { CommandRef, CreateOptions, JoinOptions, MAX_COMMAND_BYTES, refusalCodes, type Refused, type RoomStatusMessage } from './messages.ts';
import type { KindCommand, KindEvent, RoomKind } from './roomKind.ts';
import type { TickInput } from './tickCore.ts';

/** How a kind's rules state is shown: the shared schema state, and what each seat alone may see. */
export type StateMirror<S, SS extends Schema> = {
  createState(): SS;
  /** Brings the schema state in line with the rules state after a durable tick. */
  mirror(target: SS, state: S, room: { tick: number; status: ActorStatus; lastRefs: ReadonlyMap<string, string> }): void;
  /** Schema instances only this player's clients may see (their cooldowns, hidden rolls). */
  privateTo(target: SS, playerId: string): Schema[];
};

export type RoomServices = {
  store: EventStore;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void };
  /** Seconds a dropped player's seat is held for reconnection. */
  reconnectSeconds?: number;
  /** How long a finished room stays open so clients see the result. */
  lingerMs?: number;
  /** Proves a resume request comes from this server's own recovery, not a client. */
  resumeKey: string;
  /** Observes every completed tick (duration includes the append): metrics, benchmarks. */
  onTick?: (tick: { kind: string; durationMs: number; appended: number }) => void;
};

type Seat = { playerId: string } | { spectator: true };

export function eventSourcedRoom<S, C extends KindCommand, E extends KindEvent, Setup, SS extends Schema>(
  kind: RoomKind<S, C, E, Setup>,
  view: StateMirror<S, SS>,
  services: RoomServices,
) {
  return class EventSourcedRoom extends Room<{ state: SS }> {
    actor!: RoomActor<S, C, E, Setup>;
    readonly seats = new Map<string, Seat>();
    readonly lastRefs = new Map<string, string>();
    #stepping = false;
    #announced: ActorStatus = 'running';

    override async onCreate(rawOptions: unknown) {
      const options = CreateOptions.safeParse(rawOptions);
      if (!options.success) throw new ServerError(ErrorCode.APPLICATION_ERROR, `${refusalCodes.invalid}: ${z.prettifyError(options.error)}`);
      if ('resume' in options.data) {
        const { roomId, key } = options.data.resume;
        if (key !== services.resumeKey) throw new ServerError(ErrorCode.APPLICATION_ERROR, `${refusalCodes.invalid}: rooms are resumed by the server only`);
        this.roomId = roomId;
        this.actor = await RoomActor.load(kind, services.store, RoomActor.streamOf(kind.name, roomId));
      } else {
        const setup = kind.setup.safeParse(options.data.setup);
        if (!setup.success) throw new ServerError(ErrorCode.APPLICATION_ERROR, `${kind.name}/invalid_setup: ${z.prettifyError(setup.error)}`);
        try {
          this.actor = await RoomActor.create(kind, services.store, this.roomId, setup.data, randomBytes(16).toString('hex'));
        } catch (error) {
          // A refused setup carries its rules' code; hand it to the client as a matchmaking error.
          const code = error instanceof Error && 'code' in error ? String(error.code) : 'room/create_failed';
          throw new ServerError(ErrorCode.APPLICATION_ERROR, `${code}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      this.maxClients = 64;
      // The game goes on (to its tick limit) even if everyone leaves; it closes itself once over.
      this.autoDispose = false;
      this.state = view.createState();
      this.#mirror();
      this.onMessage('*', (client, type, payload) => this.#receive(client, String(type), payload));
      this.clock.setInterval(() => void this.#step(), Math.round(1000 / kind.tickHz));
      services.log.info({ room: this.roomId, stream: this.actor.streamId, version: this.actor.version, tick: this.actor.tick }, 'room opened');
    }

    override onJoin(client: Client, rawOptions: unknown) {
      const options = JoinOptions.safeParse(rawOptions ?? {});
      if (!options.success) throw new ServerError(ErrorCode.APPLICATION_ERROR, `${refusalCodes.badJoin}: ${z.prettifyError(options.error)}`);
      const { playerId, spectator } = options.data;
      if (spectator || playerId === undefined) {
        this.seats.set(client.sessionId, { spectator: true });
      } else if (kind.seats(this.actor.state).includes(playerId)) {
        this.seats.set(client.sessionId, { playerId });
        client.view = new StateView();
        for (const item of view.privateTo(this.state, playerId)) client.view.add(item);
      } else {
        throw new ServerError(ErrorCode.APPLICATION_ERROR, `${refusalCodes.notParticipant}: ${playerId} has no seat in ${this.actor.streamId}`);
      }
    }

    override async onDrop(client: Client, code?: number) {
      // A client kicked for a protocol error does not keep its seat open.
      if (code === CloseCode.WITH_ERROR || !('playerId' in (this.seats.get(client.sessionId) ?? {}))) return;
      try {
        await this.allowReconnection(client, services.reconnectSeconds ?? 30);
      } catch {
        // expired or the room is closing: onLeave follows
      }
    }

    override onLeave(client: Client) {
      this.seats.delete(client.sessionId);
    }

    #receive(client: Client, type: string, payload: unknown) {
      const seat = this.seats.get(client.sessionId);
      const ref = refOf(payload);
      const refuse = (code: string, message: string) => client.send('refused', { code, message, commandType: type, ...(ref ? { ref } : {}) } satisfies Refused);
      if (!seat || 'spectator' in seat) return refuse(refusalCodes.spectator, 'spectators cannot send commands');
      if (this.actor.status === 'store_unavailable') return refuse(refusalCodes.unavailable, 'the room is waiting for its event store; try again shortly');
      if (this.actor.status === 'over') return refuse(refusalCodes.over, 'this room has finished');
      const input = this.#parse(seat.playerId, type, payload, ref);
      this.actor.enqueue(input);
    }

    #parse(playerId: string, type: string, payload: unknown, ref: string | undefined): TickInput<C> {
      const withRef = ref === undefined ? {} : { ref };
      const invalid = (code: string, message: string): TickInput<C> => ({ kind: 'invalid', playerId, commandType: type.slice(0, 64), code, message, ...withRef });
      const schema = Object.hasOwn(kind.commands, type) ? kind.commands[type] : undefined;
      if (!schema) return invalid(refusalCodes.unknown, `${kind.name} rooms take no command ${JSON.stringify(type.slice(0, 64))}`);
      if (jsonSize(payload) > MAX_COMMAND_BYTES) return invalid(refusalCodes.tooLarge, `commands are limited to ${MAX_COMMAND_BYTES} bytes`);
      const body = payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? withoutRef(payload as Record<string, unknown>) : payload;
      const parsed = schema.safeParse(body ?? {});
      if (!parsed.success) return invalid(refusalCodes.invalid, z.prettifyError(parsed.error).slice(0, 500));
      return { kind: 'command', playerId, command: { ...(parsed.data as object), type, playerId } as C, ...withRef };
    }

    async #step() {
      if (this.#stepping || this.actor.status === 'over') return;
      this.#stepping = true;
      const started = performance.now();
      try {
        const report = await this.actor.step();
        if (report) {
          this.#afterTick(report);
          services.onTick?.({ kind: kind.name, durationMs: performance.now() - started, appended: report.appended });
        }
      } catch (error) {
        // Logged once per outage: the retry runs every tick until the store answers.
        if (this.#announced !== 'store_unavailable') {
          services.log.warn({ room: this.roomId, stream: this.actor.streamId, err: error }, 'append failed; room paused until the store answers');
        }
        this.#announce();
      } finally {
        this.#stepping = false;
      }
    }

    #afterTick(report: TickReport<S, E>) {
      for (const outcome of report.outcomes) {
        if (outcome.accepted) {
          if (outcome.ref) this.lastRefs.set(outcome.playerId, outcome.ref);
          continue;
        }
        const refused: Refused = { code: outcome.code, message: outcome.message, commandType: outcome.commandType, ...(outcome.ref ? { ref: outcome.ref } : {}) };
        for (const client of this.clients) {
          const seat = this.seats.get(client.sessionId);
          if (seat && 'playerId' in seat && seat.playerId === outcome.playerId) client.send('refused', refused);
        }
      }
      // Mirroring an unchanged state still moves `tick`, and every moved field is a patch
      // to every client: sync the clock alone only once a second.
      if (report.events.length > 0 || report.outcomes.length > 0 || report.tick % kind.tickHz === 0) this.#mirror();
      if (this.#announced === 'store_unavailable') services.log.info({ room: this.roomId, stream: this.actor.streamId, tick: report.tick }, 'store answered; room resumed');
      this.#announce();
      if (this.actor.status === 'over') {
        services.log.info({ room: this.roomId, stream: this.actor.streamId, tick: report.tick }, 'room finished');
        this.clock.setTimeout(() => void this.disconnect(), services.lingerMs ?? 30_000);
      }
    }

    #mirror() {
      view.mirror(this.state, this.actor.state, { tick: this.actor.tick, status: this.actor.status, lastRefs: this.lastRefs });
    }

    /** Tells everyone when the room stops or resumes taking commands. */
    #announce() {
      const status = this.actor.status;
      if (status === this.#announced) return;
      this.#announced = status;
      const message: RoomStatusMessage = status === 'store_unavailable'
        ? { status, code: refusalCodes.unavailable, message: 'the event store is unreachable; commands are paused and nothing is lost' }
        : { status };
      this.broadcast('room/status', message);
      this.#mirror();
    }
  };
}

function refOf(payload: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object' || !('ref' in payload)) return undefined;
  const ref = CommandRef.safeParse((payload as { ref: unknown }).ref);
  return ref.success ? ref.data : undefined;
}

function withoutRef(payload: Record<string, unknown>): Record<string, unknown> {
  const { ref: _ref, ...rest } = payload;
  return rest;
}

function jsonSize(payload: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(payload) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
