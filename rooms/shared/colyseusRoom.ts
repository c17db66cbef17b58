// The Colyseus face of an event-sourced room: validates client input, queues it on the
// actor, steps the actor on a fixed tick, and mirrors the durable state into the
// @colyseus/schema state clients sync. Nothing reaches a client before the log has it.
import { pause } from '../../events/backoff.ts';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CloseCode, ErrorCode, Room, ServerError, type AuthContext, type Client, type Deferred } from '@colyseus/core';
import { StateView, type Schema } from '@colyseus/schema';
import { z } from 'zod';
import type { EventStore } from '../../events/store.ts';
import { isStoreOutage } from '../../events/errors.ts';
import { AccessDenied, accessCodes, checkJoin, Principal, type RoomAccess, type WatchLease } from './access.ts';
import { admissionCodes, CLOSE_REPLACED, closedForAbuse, SPECTATORS_PER_ROOM } from './admission.ts';
import { RoomActor, type ActorStatus, type TickReport } from './actor.ts';
import { LocalRateLimiter } from './gcra.ts';
import { loggableText } from '../../events/players.ts';
import { CommandRef, CreateOptions, JoinOptions, MAX_COMMAND_BYTES, messageTypeOf, refusalCodes, type Refused, type RoomStatusMessage } from './messages.ts';
import type { FlagValue, KindCommand, KindEvent, RoomKind } from '../../events/tick/roomKind.ts';
import type { TickInput } from '../../events/tick/tickCore.ts';
import type { SocialRoomServices } from '../social/ports.ts';

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
  /** Watchers a match room admits beside its players (SPECTATORS_PER_ROOM); beyond it they watch in `spectator` rooms. */
  spectatorsPerRoom?: number;
  /** How long a finished room stays open so clients see the result. */
  lingerMs?: number;
  /** Proves a resume request comes from this server's own recovery, not a client. */
  resumeKey: string;
  /** Observes every completed tick (duration includes the append): metrics, benchmarks. */
  onTick?: (tick: { kind: string; durationMs: number; appended: number; commands?: number; refused?: number; tick?: number; roomId?: string }) => void;
  /** Told of every room handler that failed (a bug): metrics, the rollout health guard. */
  onRoomError?: (error: { kind: string }) => void;
  /**
   * Flag values for a new room of a kind that declares flags (RoomKind.flags), evaluated for
   * the room (infra/flags): recorded in its creation event, so replays never evaluate them again.
   */
  flags?: { values(kind: string, declared: Readonly<Record<string, FlagValue>>, context: { targetingKey: string }): Promise<Record<string, FlagValue>> };
  /** Verifies every join's session token and holds the join and command limits. */
  access: RoomAccess;
  /** Graceful drain at shutdown (infra/drain.ts); without it a room hands over at once. */
  drain?: RoomDrain;
  /**
   * Live narration pieces of a match as the narrator produces them, in whichever process
   * (infra/narrator/bus.ts), for the spectator room; returns the function that stops them.
   * Absent: spectators see a narration once it is recorded (in `summary`).
   */
  narration?: {
    subscribe(roomStreamId: string, listener: (piece: { type: 'delta' | 'retracted' | 'recorded'; narrationId: string; text?: string }) => void): () => void;
  };
  /** Friends, chat, presence and invites (infra/social): the party and chat rooms need them; the queue reports presence through them. */
  social?: SocialRoomServices;
  /** This process's lease on its rooms (infra/failover): absent with one process. */
  host?: HostLease;
};

/**
 * The lease a process holds on the rooms it hosts. While it is not known to be valid (Redis
 * unreachable, the process was paused) a room appends nothing: another process may have
 * taken it over. A process that lost its lease relinquishes its rooms.
 */
export type HostLease = {
  valid(): boolean;
  /** Called once a room is open; returns the function to call when it closes. */
  register(room: HostedRoom): () => void;
};

/** What the lease holder may ask of a room it hosts. */
export type HostedRoom = {
  readonly roomId: string;
  readonly kind: string;
  /** Closes the room without appending (and without removing its listing, which may name its new host now). */
  relinquish(reason: string): Promise<void>;
};

/**
 * What a room does when its process shuts down gracefully (Colyseus has locked it, so no
 * new player joins, and waits for it to dispose): it plays on for up to `graceMs` hoping
 * to finish; if it has not by then it hands over: no new tick starts, the tick in flight
 * lands, and it closes (4001) without an end event, so its stream stays open and another
 * process resumes it under the same id (players rejoin by room id).
 */
export type RoomDrain = {
  /** Read when shutdown begins, so the caller may set it then. */
  graceMs: number;
  onDrained?(room: DrainedRoom): void;
};

export type DrainedRoom = { kind: string; roomId: string; streamId: string; outcome: 'finished' | 'handed_over'; version: number; tick: number };

type Seat = { playerId: string } | { spectator: true; key: string; lease?: WatchLease };

/**
 * Colyseus' static onAuth runs on the HTTP matchmaking request, before any room is created
 * or seat reserved: a join without a valid token never creates a room or writes to the log.
 * What it returns becomes `client.auth`. (Seats the server reserves itself, as matchmaking
 * does, carry the principal it verified.) The error a client sees is `<code>: <message>`.
 */
/** Behind the HTTP edge (infra/http/edge.ts) the peer address is the socket's, not a header a client can forge. */
export function peerOf(access: RoomAccess, context: AuthContext): string | undefined {
  if (access.peerOf) return access.peerOf(context);
  const peer = context.headers?.get('x-pantheon-peer') ?? context.ip;
  return (Array.isArray(peer) ? peer[0] : peer) ?? undefined;
}

/** What a join's onAuth hands the room (`client.auth`): the verified principal and the address it came from. */
export type Admitted = Principal & { peer?: string };

export async function admitJoin(access: RoomAccess, roomName: string, token: string | undefined, rawOptions: unknown, context: AuthContext, seatsOf?: (setup: unknown) => readonly string[] | undefined): Promise<Admitted> {
  try {
    const peer = peerOf(access, context);
    const principal = await access.admit(token, { ip: peer, roomName });
    const options = JoinOptions.safeParse(rawOptions ?? {});
    if (!options.success) throw new ServerError(ErrorCode.APPLICATION_ERROR, `${refusalCodes.badJoin}: ${z.prettifyError(options.error)}`);
    const setup = rawOptions !== null && typeof rawOptions === 'object' && 'setup' in rawOptions ? (rawOptions as { setup: unknown }).setup : undefined;
    const denied = checkJoin(principal, options.data, setup === undefined ? undefined : seatsOf?.(setup));
    if (denied) throw denied;
    return peer === undefined ? principal : { ...principal, peer };
  } catch (error) {
    throw joinError(error);
  }
}

/** AccessDenied as the matchmaking error the SDK surfaces (`MatchMakeError`): 525 for auth, 429 for rates, 526 for the rest (`spectate/limit`). */
export function joinError(error: unknown): unknown {
  if (!(error instanceof AccessDenied)) return error;
  if (error.code === accessCodes.rateLimited) {
    return new ServerError(429, `${error.code}: ${error.message} (retryAfterMs=${error.retryAfterMs ?? 1000})`);
  }
  return new ServerError(error.code.startsWith('auth/') ? ErrorCode.AUTH_FAILED : ErrorCode.APPLICATION_ERROR, `${error.code}: ${error.message}`);
}

/** The address a client joined from, as onAuth saw it (absent for seats the server reserved). */
export function peerOfClient(client: Client): string | undefined {
  const auth = client.auth as { peer?: unknown } | undefined;
  return typeof auth?.peer === 'string' ? auth.peer : undefined;
}

/** The principal Colyseus kept for a client (from onAuth, or from a server-side reservation). */
export function principalOf(client: Client): Principal {
  const { peer: _peer, ...auth } = (client.auth ?? {}) as Record<string, unknown>;
  const parsed = Principal.safeParse(auth);
  if (!parsed.success) throw new ServerError(ErrorCode.AUTH_FAILED, `${accessCodes.missingToken}: join with a session token (client.auth.token)`);
  return parsed.data;
}

export function eventSourcedRoom<S, C extends KindCommand, E extends KindEvent, Setup, SS extends Schema>(
  kind: RoomKind<S, C, E, Setup>,
  view: StateMirror<S, SS>,
  services: RoomServices,
) {
  /** Players a setup seats, from its creation event: who may create a room with it. Undefined if the rules refuse it (onCreate says why). */
  const seatsOfSetup = (raw: unknown): readonly string[] | undefined => {
    const setup = kind.setup.safeParse(raw);
    if (!setup.success) return undefined;
    const decision = kind.create(setup.data, { roomId: 'probe', seed: '0'.repeat(32), startTick: 1 });
    if (!decision.ok) return undefined;
    return kind.seats(decision.events.reduce(kind.decider.evolve, kind.decider.initialState()));
  };

  return class EventSourcedRoom extends Room<{ state: SS }> {
    actor!: RoomActor<S, C, E, Setup>;
    readonly seats = new Map<string, Seat>();
    readonly lastRefs = new Map<string, string>();
    /** Commands per player (per session for spectators), decided here: every command of this room arrives at this process. */
    readonly #commandRate = new LocalRateLimiter({ now: () => performance.now() });
    /** Commands each player sent since the last report to the shared budget, and who is over it (until when). */
    #spent = new Map<string, number>();
    readonly #overBudgetUntil = new Map<string, number>();
    #stepping = false;
    #announced: ActorStatus = 'running';
    /** Reconnection seats held for dropped players, by player: one each, cancelled when the player joins anew. */
    readonly #held = new Map<string, Deferred<Client>>();
    /** Sessions closed because a newer connection of the same player replaced them: no seat is held for them. */
    readonly #replaced = new Set<string>();
    /** Watchers admitted or being admitted (their lease is taken while they wait). */
    #watchers = 0;
    /** Set once the room gave up its stream (lease lost, or another writer appended): nothing is appended any more. */
    #relinquished = false;
    #unregister: (() => void) | undefined;

    static override async onAuth(token: string | undefined, options: unknown, context: AuthContext): Promise<Admitted> {
      return admitJoin(services.access, kind.name, token, options, context, seatsOfSetup);
    }

    override async onCreate(rawOptions: unknown) {
      const options = CreateOptions.safeParse(rawOptions);
      if (!options.success) throw new ServerError(ErrorCode.APPLICATION_ERROR, `${refusalCodes.invalid}: ${z.prettifyError(options.error)}`);
      if ('resume' in options.data) {
        const { roomId, key } = options.data.resume;
        if (key !== services.resumeKey) throw new ServerError(ErrorCode.APPLICATION_ERROR, `${refusalCodes.invalid}: rooms are resumed by the server only`);
        this.roomId = roomId;
        this.actor = await RoomActor.load(kind, services.store, RoomActor.streamOf(kind.name, roomId));
        for (const [playerId, ref] of this.actor.acceptedRefs) this.lastRefs.set(playerId, ref);
      } else {
        const setup = kind.setup.safeParse(options.data.setup);
        if (!setup.success) throw new ServerError(ErrorCode.APPLICATION_ERROR, `${kind.name}/invalid_setup: ${z.prettifyError(setup.error)}`);
        try {
          // Flags the kind reads, evaluated once for this room and recorded with its creation.
          const flags = kind.flags && services.flags ? await services.flags.values(kind.name, kind.flags, { targetingKey: this.roomId }) : undefined;
          this.actor = await RoomActor.create(kind, services.store, this.roomId, setup.data, randomBytes(16).toString('hex'), flags);
        } catch (error) {
          // A refused setup carries its rules' code; hand it to the client as a matchmaking error.
          // Anything else (the store away, a driver error with a code like ECONNREFUSED) is room/create_failed.
          const own = error instanceof Error && 'code' in error ? String(error.code) : '';
          const code = own.includes('/') && !isStoreOutage(error) ? own : refusalCodes.createFailed;
          throw new ServerError(ErrorCode.APPLICATION_ERROR, `${code}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      // Never full, never locked for capacity: a seated player always gets in. What the room
      // admits is decided per role in onJoin (one connection per player, a bounded number of watchers).
      this.maxClients = Number.POSITIVE_INFINITY;
      this.maxMessagesPerSecond = services.access.maxMessagesPerSecond;
      // The game goes on (to its tick limit) even if everyone leaves; it closes itself once over.
      this.autoDispose = false;
      this.state = view.createState();
      this.#mirror();
      this.onMessage('*', (client, type, payload) => this.#receive(client, messageTypeOf(type), payload));
      this.clock.setInterval(() => void this.#step(), Math.round(1000 / kind.tickHz));
      this.#unregister = services.host?.register({ roomId: this.roomId, kind: kind.name, relinquish: (reason) => this.#relinquish(reason) });
      services.log.info({ room: this.roomId, stream: this.actor.streamId, version: this.actor.version, tick: this.actor.tick, ...('resume' in options.data ? { resumed: true } : {}) }, 'room opened');
    }

    override onDispose() {
      this.#unregister?.();
    }

    /**
     * Gives the stream up: no tick starts, the one in flight is awaited (its append is
     * refused if another process wrote first), clients are told where to go (4001, `room/moved`:
     * rejoin by room id) and the room closes. Its listing stays: it may name the new host.
     */
    async #relinquish(reason: string) {
      if (this.#relinquished) return;
      this.#relinquished = true;
      this.clock.clear();
      while (this.#stepping) await pause(5);
      services.log.warn({ room: this.roomId, stream: this.actor.streamId, version: this.actor.version, tick: this.actor.tick, reason }, 'room relinquished');
      const listing = (this as unknown as { _listing: { roomId: string } })._listing;
      // Colyseus removes a disposed room's listing by its roomId: point it elsewhere first.
      (this as unknown as { _listing: object })._listing = Object.assign(Object.create(Object.getPrototypeOf(listing) as object) as object, listing, { roomId: `relinquished:${this.roomId}` });
      this.broadcast('room/status', { status: 'store_unavailable', code: refusalCodes.moved, message: 'this room moved to another server; rejoin it by room id' } satisfies RoomStatusMessage);
      await this.disconnect(CloseCode.SERVER_SHUTDOWN);
    }

    override async onJoin(client: Client, rawOptions: unknown) {
      const principal = principalOf(client);
      const options = JoinOptions.safeParse(rawOptions ?? {});
      if (!options.success) throw new ServerError(ErrorCode.APPLICATION_ERROR, `${refusalCodes.badJoin}: ${z.prettifyError(options.error)}`);
      // Checked again here: a seat the server reserved did not pass through onAuth.
      const denied = checkJoin(principal, options.data, undefined);
      if (denied) throw joinError(denied);
      // The seat is the token's player's: a player acts only as themself.
      const { playerId } = principal;
      if (options.data.spectator) return this.#admitWatcher(client, principal);
      if (!kind.seats(this.actor.state).includes(playerId)) {
        throw new ServerError(ErrorCode.APPLICATION_ERROR, `${refusalCodes.notParticipant}: ${playerId} has no seat in ${this.actor.streamId}; watch with { spectator: true }`);
      }
      // One live connection per player: a new join replaces the old one and any seat held for it.
      this.#held.get(playerId)?.reject(new Error('replaced by a new join'));
      this.#held.delete(playerId);
      for (const other of this.clients) {
        const seat = this.seats.get(other.sessionId);
        if (other !== client && seat && 'playerId' in seat && seat.playerId === playerId) {
          this.#replaced.add(other.sessionId);
          this.seats.delete(other.sessionId);
          other.leave(CLOSE_REPLACED, `${admissionCodes.replaced}: this seat was taken by a newer connection of the same player`);
        }
      }
      this.seats.set(client.sessionId, { playerId });
      client.view = new StateView();
      for (const item of view.privateTo(this.state, playerId)) client.view.add(item);
    }

    /** Watchers never take a player's place: a bounded number of them, each within its token's, address's and account's limits. */
    async #admitWatcher(client: Client, principal: Principal) {
      const allowance = services.spectatorsPerRoom ?? SPECTATORS_PER_ROOM;
      if (this.#watchers >= allowance) {
        throw new ServerError(ErrorCode.APPLICATION_ERROR, `${admissionCodes.seatReserved}: this room's places are kept for its players and ${allowance} watchers; watch it in a spectator room (joinOrCreate('spectator', { match: '${this.actor.streamId}' }))`);
      }
      this.#watchers++;
      let lease: WatchLease | undefined;
      try {
        lease = await services.access.watch?.acquire(client.sessionId, principal, peerOfClient(client));
      } catch (error) {
        this.#watchers--;
        throw joinError(error);
      }
      this.seats.set(client.sessionId, { spectator: true, key: `watcher:${client.sessionId}`, ...(lease ? { lease } : {}) });
    }

    override async onDrop(client: Client, code?: number) {
      const seat = this.seats.get(client.sessionId);
      // A client kicked for a protocol error (4002), or whose socket broke the protocol (an
      // oversize or malformed frame), or that a newer connection replaced, keeps no seat open.
      if (code === CloseCode.WITH_ERROR || closedForAbuse(client) || this.#replaced.has(client.sessionId) || !seat || !('playerId' in seat)) return;
      const { playerId } = seat;
      const held = this.allowReconnection(client, services.reconnectSeconds ?? 30);
      this.#held.set(playerId, held);
      try {
        await held;
      } catch {
        // expired, replaced by a new join, or the room is closing: onLeave follows
      } finally {
        if (this.#held.get(playerId) === held) this.#held.delete(playerId);
      }
    }

    // --- graceful drain (see RoomDrain) ---
    override onBeforeShutdown() {
      void this.#drain().catch((error: unknown) => {
        services.log.error({ room: this.roomId, stream: this.actor.streamId, err: error }, 'drain failed; closing the room');
        void this.disconnect(CloseCode.SERVER_SHUTDOWN).catch(() => {});
      });
    }

    async #drain() {
      const deadline = performance.now() + (services.drain?.graceMs ?? 0);
      while (this.actor.status !== 'over' && performance.now() < deadline) await pause(50);
      // No new tick starts (the clock drives them); the one in flight is awaited, so the
      // stream is not appended to after another process may have loaded it.
      this.clock.clear();
      while (this.#stepping) await pause(5);
      const outcome = this.actor.status === 'over' ? 'finished' : 'handed_over';
      const drained: DrainedRoom = { kind: kind.name, roomId: this.roomId, streamId: this.actor.streamId, outcome, version: this.actor.version, tick: this.actor.tick };
      services.log.info({ room: this.roomId, stream: this.actor.streamId, version: drained.version, tick: drained.tick, storeUnavailable: this.actor.status === 'store_unavailable' }, outcome === 'finished' ? 'room finished before shutdown' : 'room handed over');
      this.#mirror();
      this.broadcastPatch();
      await this.disconnect(CloseCode.SERVER_SHUTDOWN);
      services.drain?.onDrained?.(drained);
    }
    // --- end graceful drain ---

    /**
     * A handler that throws (a bug, never a client's doing) is logged and the room goes on:
     * one bad message must not take down every room of the process.
     */
    override onUncaughtException(error: Error, methodName: string) {
      // Refusals (a ServerError thrown on purpose by onCreate/onJoin) reach here too; they are rethrown to the client.
      if ((error as { cause?: unknown }).cause instanceof ServerError) return;
      services.log.error({ room: this.roomId, stream: this.actor?.streamId, method: methodName, err: error }, 'room handler failed');
      services.onRoomError?.({ kind: kind.name });
    }

    override onLeave(client: Client) {
      const seat = this.seats.get(client.sessionId);
      if (seat && 'spectator' in seat) {
        this.#commandRate.forget(seat.key);
        seat.lease?.release();
        this.#watchers--;
      }
      this.#replaced.delete(client.sessionId);
      this.seats.delete(client.sessionId);
    }

    #receive(client: Client, rawType: string, payload: unknown) {
      const seat = this.seats.get(client.sessionId);
      const ref = refOf(payload);
      const type = loggableText(rawType, 64);
      const refuse = (code: string, message: string, extra: Partial<Refused> = {}) =>
        client.send('refused', { code, message, commandType: type, ...(ref ? { ref } : {}), ...extra } satisfies Refused);
      // Before anything else, and not recorded: a flood must not become a flood of log entries.
      const rate = this.#commandRate.take(services.access.commandRate, seat && 'playerId' in seat ? seat.playerId : (seat?.key ?? client.sessionId));
      if (!rate.allowed) return refuse(refusalCodes.rateLimited, 'too many commands; slow down', { retryAfterMs: rate.retryAfterMs });
      if (!seat || 'spectator' in seat) return refuse(refusalCodes.spectator, 'spectators cannot send commands');
      const overUntil = this.#overBudgetUntil.get(seat.playerId);
      if (overUntil !== undefined) {
        const wait = overUntil - performance.now();
        if (wait > 0) return refuse(refusalCodes.rateLimited, 'too many commands across your rooms; slow down', { retryAfterMs: Math.ceil(wait) });
        this.#overBudgetUntil.delete(seat.playerId);
      }
      this.#spent.set(seat.playerId, (this.#spent.get(seat.playerId) ?? 0) + 1);
      if (this.actor.status === 'store_unavailable' || this.#relinquished || (services.host && !services.host.valid())) {
        return refuse(refusalCodes.unavailable, 'the room is waiting for its event store; try again shortly');
      }
      if (this.actor.status === 'over') return refuse(refusalCodes.over, 'this room has finished');
      const input = this.#parse(seat.playerId, type, payload, ref);
      this.actor.enqueue(input);
    }

    #parse(playerId: string, type: string, payload: unknown, ref: string | undefined): TickInput<C> {
      const withRef = ref === undefined ? {} : { ref };
      // Everything recorded from the client is cut to size and made well-formed (loggableText).
      const invalid = (code: string, message: string): TickInput<C> => ({ kind: 'invalid', playerId, commandType: type, code, message: loggableText(message, 500), ...withRef });
      const schema = Object.hasOwn(kind.commands, type) ? kind.commands[type] : undefined;
      if (!schema) return invalid(refusalCodes.unknown, `${kind.name} rooms take no command ${JSON.stringify(type)}`);
      if (jsonSize(payload) > MAX_COMMAND_BYTES) return invalid(refusalCodes.tooLarge, `commands are limited to ${MAX_COMMAND_BYTES} bytes`);
      const body = payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? withoutRef(payload as Record<string, unknown>) : payload;
      const parsed = schema.safeParse(body ?? {});
      if (!parsed.success) return invalid(refusalCodes.invalid, z.prettifyError(parsed.error));
      return { kind: 'command', playerId, command: { ...(parsed.data as object), type, playerId } as C, ...withRef };
    }

    /** Once a tick, off the command path: what this room's players sent, to their budget over all rooms. */
    #reportSpent() {
      const budget = services.access.commandBudget;
      if (!budget || this.#spent.size === 0) return;
      const counts = this.#spent;
      this.#spent = new Map();
      budget.spend(counts).then(
        (over) => {
          for (const [playerId, waitMs] of over) this.#overBudgetUntil.set(playerId, performance.now() + waitMs);
        },
        (error: unknown) => services.log.warn({ room: this.roomId, err: error }, 'command budget unavailable; this room limits alone meanwhile'),
      );
    }

    async #step() {
      this.#reportSpent();
      if (this.#stepping || this.actor.status === 'over' || this.#relinquished) return;
      // Without a valid lease another process may be taking this room over: append nothing, say so.
      if (services.host && !services.host.valid()) return this.#announce('store_unavailable');
      this.#stepping = true;
      const started = performance.now();
      try {
        const report = await this.actor.step();
        if (report) {
          this.#afterTick(report);
          services.onTick?.({ kind: kind.name, durationMs: performance.now() - started, appended: report.appended, commands: report.outcomes.length, refused: report.outcomes.filter((o) => !o.accepted).length, tick: report.tick, roomId: this.roomId });
        }
      } catch (error) {
        // Another process appended to this stream: it hosts the room now. Stop, do not fight.
        if (error instanceof Error && 'code' in error && error.code === 'store/expected_version_conflict') {
          this.#stepping = false;
          void this.#relinquish('another process appended to the stream');
          return;
        }
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
    #announce(override?: ActorStatus) {
      const status = override ?? this.actor.status;
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
