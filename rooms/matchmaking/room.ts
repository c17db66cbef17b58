// The matchmaking room: one shared Colyseus room holding the pure queue (queue.ts). Players
// join it with their ticket (rating, mode, party, oracles); on a fixed interval it forms
// matches on its own integer clock, opens each battle or raid room server-side, reserves a
// seat there for every player and hands each client its reservation in a `matched` message.
// It writes nothing to the event store: the game room it opens records the line-up in its
// creation event.
import { CloseCode, ErrorCode, matchMaker, Room, ServerError, type AuthContext, type Client } from '@colyseus/core';
import { StateView } from '@colyseus/schema';
import { z } from 'zod';
import type { Side } from '../battle/model.ts';
import type { BattleRoomSetup } from '../battle/room.ts';
import { FieldedOracles } from '../battle/setup.ts';
import { loadContent } from '../../events/content/index.ts';
import type { RaidRoomSetup } from '../raid/room.ts';
import { PlayerId } from '../../events/players.ts';
import { type Principal } from '../shared/access.ts';
import { admitJoin, principalOf, type RoomServices } from '../shared/colyseusRoom.ts';
import { loggableText } from '../../events/players.ts';
import { messageTypeOf, type Refused } from '../shared/messages.ts';
import {
  defaultMatchmakingConfig, dequeue, emptyQueue, enqueue, formMatches, modeShapes, QueueMode,
  type Match, type MatchmakingConfig, type QueueState,
} from './queue.ts';
import { MatchmakingView, QueueEntryView } from './state.ts';

/** An oracle a player brings to the queue: the same shape a battle fields. */
export const QueuedOracle = FieldedOracles.element;
export type QueuedOracle = z.infer<typeof QueuedOracle>;

/** What a player joins the matchmaking room with. The player is the session token's; `playerId`, if given, must be it. */
export const MatchmakingJoinOptions = z
  .strictObject({
    playerId: PlayerId.optional(),
    rating: z.int().min(0).max(100_000),
    mode: QueueMode,
    /**
     * The whole party, this player included. Every member joins with the same list and mode;
     * the party enters the queue (as one ticket, at its mean rating) once all have joined.
     */
    party: z.array(PlayerId).min(1).max(6).optional(),
    /** In a battle each player fields the first k, k being the fewest any player of the match brought (at most 3 per side). */
    oracles: z.array(QueuedOracle).min(1).max(3),
  })
  .superRefine((options, ctx) => {
    if (options.party && options.playerId !== undefined && !options.party.includes(options.playerId)) {
      ctx.addIssue({ code: 'custom', path: ['party'], message: `the party must list the joining player ${options.playerId}` });
    }
    if (options.party && new Set(options.party).size !== options.party.length) {
      ctx.addIssue({ code: 'custom', path: ['party'], message: 'a party lists a player twice' });
    }
    const oracleIds = options.oracles.map((o) => o.oracleId);
    if (new Set(oracleIds).size !== oracleIds.length) ctx.addIssue({ code: 'custom', path: ['oracles'], message: 'oracle ids must be unique' });
    const bosses = new Set(loadContent().raidBosses.map((b) => b.id));
    for (const id of oracleIds) {
      if (bosses.has(id)) ctx.addIssue({ code: 'custom', path: ['oracles'], message: `${id} is a raid boss's id; an oracle may not take it` });
    }
  });
export type MatchmakingJoinOptions = z.infer<typeof MatchmakingJoinOptions>;

export const matchmakingCodes = {
  invalidTicket: 'matchmaking/invalid_ticket',
  alreadyQueued: 'matchmaking/already_queued',
  partyTooLarge: 'matchmaking/party_too_large',
  partyMismatch: 'matchmaking/party_mismatch',
  notQueued: 'matchmaking/not_queued',
  alreadyMatched: 'matchmaking/already_matched',
  unknownMessage: 'matchmaking/unknown_message',
  matchFailed: 'matchmaking/match_failed',
} as const;

export type SeatReservation = Awaited<ReturnType<typeof matchMaker.reserveSeatFor>>;
export type GameRoomName = 'battle' | 'raid';

/** Server -> client: your game room is open; `client.consumeSeatReservation(reservation)` takes your seat. */
export type Matched = {
  mode: QueueMode;
  roomName: GameRoomName;
  roomId: string;
  /** Battle side of this player; null in a raid. */
  side: Side | null;
  /** Player ids per side (a raid has one side). */
  sides: string[][];
  reservation: SeatReservation;
};
/** Server -> client: answer to `leave`; the server then closes the connection. */
export type Left = { playerId: string };

export type MatchmakingTuning = {
  /** Milliseconds between matching passes; one pass is one unit of the queue's clock. */
  intervalMs?: number;
  config?: MatchmakingConfig;
};

// --- pure: from a match to a game room's setup ---------------------------------------------

const battleSides: readonly Side[] = ['a', 'b'];

export function gameRoomOf(mode: QueueMode): GameRoomName {
  return mode.startsWith('battle-') ? 'battle' : 'raid';
}

/**
 * Battle sides must field equal squads of one to three oracles, so every player fields the
 * same number: the fewest any of them brought, capped so a side stays within three.
 */
export function battleSetupFor(match: Match, oraclesOf: (playerId: string) => readonly QueuedOracle[]): z.input<typeof BattleRoomSetup> {
  const shape = modeShapes[match.mode];
  const players = match.sides.flatMap((s) => s.players);
  const perPlayer = Math.min(Math.floor(3 / shape.sideSize), ...players.map((p) => oraclesOf(p).length));
  return {
    participants: match.sides.flatMap((side, index) =>
      side.players.map((playerId) => ({ playerId, side: battleSides[index]!, oracles: oraclesOf(playerId).slice(0, perPlayer).map((o) => ({ ...o })) }))),
    wager: null,
  };
}

/** The same party always meets the same boss: a hash of the sorted player ids picks it. */
export function raidBossFor(players: readonly string[], bossIds: readonly string[]): string {
  const ids = [...bossIds].sort();
  if (ids.length === 0) throw new Error('the content has no raid bosses');
  let hash = 0x811c9dc5; // FNV-1a, 32 bits
  for (const char of [...players].sort().join('\n')) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return ids[hash % ids.length]!;
}

export function raidSetupFor(match: Match, oraclesOf: (playerId: string) => readonly QueuedOracle[], bossIds: readonly string[]): z.input<typeof RaidRoomSetup> {
  const players = match.sides.flatMap((s) => s.players);
  return {
    participants: players.map((playerId) => ({ playerId, oracles: oraclesOf(playerId).map((o) => ({ ...o })) })),
    bossId: raidBossFor(players, bossIds),
  };
}

// --- the room ------------------------------------------------------------------------------

type MemberStatus = 'gathering' | 'queued' | 'matching';
type Member = {
  readonly client: Client;
  readonly playerId: string;
  /** Verified at join; the game room's seat is reserved for it. */
  readonly principal: Principal;
  readonly rating: number;
  readonly mode: QueueMode;
  /** Sorted, this player included. */
  readonly party: readonly string[];
  readonly partyKey: string;
  readonly oracles: readonly QueuedOracle[];
  status: MemberStatus;
  ticketId: string | null;
  readonly view: QueueEntryView;
};
type Party = { readonly mode: QueueMode; readonly players: readonly string[]; readonly present: Set<string> };

const refusal = (code: string, message: string) => new ServerError(ErrorCode.APPLICATION_ERROR, `${code}: ${message}`);

export function matchmakingRoom(services: Pick<RoomServices, 'log' | 'access' | 'social'>, tuning: MatchmakingTuning = {}) {
  const intervalMs = tuning.intervalMs ?? 500;
  const config = tuning.config ?? defaultMatchmakingConfig;

  return class MatchmakingRoom extends Room<{ state: MatchmakingView }> {
    #tick = 0;
    #ticketSeq = 0;
    #queue: QueueState = emptyQueue();
    /** By session id. */
    readonly #members = new Map<string, Member>();
    readonly #byPlayer = new Map<string, Member>();
    /** Oracle id -> the player who queued it: an oracle waits in one ticket at a time. */
    readonly #oracles = new Map<string, string>();
    /** By party key; a solo player is a party of one. Also holds parties still gathering. */
    readonly #parties = new Map<string, Party>();
    /** Player id -> key of the party that lists them (present or awaited). */
    readonly #partyOf = new Map<string, string>();

    static override async onAuth(token: string | undefined, options: unknown, context: AuthContext): Promise<Principal> {
      return admitJoin(services.access, 'matchmaking', token, options, context);
    }

    override onCreate() {
      // The first joiner's options arrive here too; they are checked in onJoin like everyone's.
      this.state = new MatchmakingView();
      // Clients send nothing here but `leave`: a few frames a second is plenty.
      this.maxMessagesPerSecond = 20;
      this.onMessage('*', (client, type, payload) => this.#receive(client, messageTypeOf(type), payload));
      this.clock.setInterval(() => this.#pass(), intervalMs);
      services.log.info({ room: this.roomId, intervalMs }, 'matchmaking opened');
    }

    override onJoin(client: Client, rawOptions: unknown) {
      const principal = principalOf(client);
      const parsed = MatchmakingJoinOptions.safeParse(rawOptions ?? {});
      if (!parsed.success) throw refusal(matchmakingCodes.invalidTicket, z.prettifyError(parsed.error));
      // The ticket is the token's player's (onAuth refused any other playerId).
      const options = { ...parsed.data, playerId: principal.playerId };
      if (options.party && !options.party.includes(options.playerId)) {
        throw refusal(matchmakingCodes.invalidTicket, `party: the party must list the joining player ${options.playerId}`);
      }
      const party = [...(options.party ?? [options.playerId])].sort();
      const partyKey = JSON.stringify(party);
      const { sideSize } = modeShapes[options.mode];
      if (party.length > sideSize) {
        throw refusal(matchmakingCodes.partyTooLarge, `${options.mode} fits parties of up to ${sideSize}, not ${party.length}`);
      }
      if (this.#byPlayer.has(options.playerId)) throw refusal(matchmakingCodes.alreadyQueued, `${options.playerId} is already in the queue`);
      const takenOracle = options.oracles.find((o) => this.#oracles.has(o.oracleId));
      if (takenOracle) throw refusal(matchmakingCodes.alreadyQueued, `oracle ${takenOracle.oracleId} is already in the queue`);
      for (const playerId of party) {
        const theirs = this.#partyOf.get(playerId);
        if (theirs !== undefined && theirs !== partyKey) {
          throw refusal(matchmakingCodes.partyMismatch, `${playerId} is in another party that is waiting or being gathered`);
        }
      }
      const existing = this.#parties.get(partyKey);
      if (existing && existing.mode !== options.mode) {
        throw refusal(matchmakingCodes.partyMismatch, `the party is queued for ${existing.mode}, not ${options.mode}`);
      }

      const view = new QueueEntryView();
      const member: Member = {
        client, playerId: options.playerId, principal, rating: options.rating, mode: options.mode, party, partyKey,
        oracles: options.oracles, status: 'gathering', ticketId: null, view,
      };
      const entry = existing ?? { mode: options.mode, players: party, present: new Set<string>() };
      if (entry.present.size + 1 === party.length) {
        // The last member is here: the party enters the queue as one ticket.
        const members = [...party.map((p) => this.#byPlayer.get(p)).filter((m) => m !== undefined), member];
        const ticketId = `t${String(++this.#ticketSeq).padStart(8, '0')}`;
        const rating = Math.round(members.reduce((sum, m) => sum + m.rating, 0) / members.length);
        const update = enqueue(this.#queue, { id: ticketId, players: party, rating, mode: options.mode, joinedAt: this.#tick });
        if (!update.ok) throw refusal(update.refusal.code, update.refusal.message);
        this.#queue = update.state;
        for (const m of members) {
          m.status = 'queued';
          m.ticketId = ticketId;
        }
      }

      this.#members.set(client.sessionId, member);
      this.#byPlayer.set(member.playerId, member);
      for (const o of member.oracles) this.#oracles.set(o.oracleId, member.playerId);
      entry.present.add(member.playerId);
      this.#parties.set(partyKey, entry);
      for (const p of party) this.#partyOf.set(p, partyKey);
      client.view = new StateView();
      this.state.entries.set(member.playerId, view);
      client.view.add(view);
      this.#showParty(partyKey);
      this.#count();
      void services.social?.presence.set(member.playerId, 'queue', { status: 'in_queue', mode: member.mode }).catch(() => {});
      services.log.info({ room: this.roomId, player: member.playerId, mode: member.mode, party, status: member.status }, 'player joined the queue');
    }

    // No onDrop: a dropped client is not waited for; it leaves the queue at once.
    override onLeave(client: Client) {
      const member = this.#members.get(client.sessionId);
      if (member) this.#forget(member, 'left');
    }

    #receive(client: Client, type: string, _payload: unknown) {
      const refuse = (code: string, message: string) => client.send('refused', { code, message, commandType: loggableText(type, 64) } satisfies Refused);
      if (type !== 'leave') return refuse(matchmakingCodes.unknownMessage, `the matchmaking room takes only "leave", not ${JSON.stringify(loggableText(type, 64))}`);
      const member = this.#members.get(client.sessionId);
      if (!member) return refuse(matchmakingCodes.notQueued, 'you are not in the queue');
      if (member.status === 'matching') return refuse(matchmakingCodes.alreadyMatched, 'your game room is being opened; your seat follows in `matched`');
      this.#forget(member, 'left');
      client.send('left', { playerId: member.playerId } satisfies Left);
      client.leave(CloseCode.NORMAL_CLOSURE);
    }

    /** Takes a player out: their ticket leaves the queue and the rest of their party gathers again. */
    #forget(member: Member, why: 'left' | 'matched' | 'failed') {
      if (this.#members.get(member.client.sessionId) !== member) return;
      this.#members.delete(member.client.sessionId);
      this.#byPlayer.delete(member.playerId);
      for (const o of member.oracles) this.#oracles.delete(o.oracleId);
      this.state.entries.delete(member.playerId);
      const party = this.#parties.get(member.partyKey);
      party?.present.delete(member.playerId);
      if (member.status === 'queued' && member.ticketId !== null) {
        const update = dequeue(this.#queue, member.ticketId);
        if (update.ok) this.#queue = update.state;
        for (const playerId of member.party) {
          const mate = this.#byPlayer.get(playerId);
          if (mate && mate.ticketId === member.ticketId) {
            mate.status = 'gathering';
            mate.ticketId = null;
          }
        }
      }
      if (party && party.present.size === 0) {
        this.#parties.delete(member.partyKey);
        for (const p of member.party) if (this.#partyOf.get(p) === member.partyKey) this.#partyOf.delete(p);
      }
      this.#showParty(member.partyKey);
      this.#count();
      void services.social?.presence.clear(member.playerId, 'queue').catch(() => {});
      services.log.info({ room: this.roomId, player: member.playerId, mode: member.mode, why }, 'player left the queue');
    }

    #pass() {
      this.#tick += 1;
      this.state.tick = this.#tick;
      const { matches, state } = formMatches(this.#queue, this.#tick, config);
      this.#queue = state;
      for (const match of matches) {
        const players = match.sides.flatMap((side) => side.players);
        const members = players.map((p) => this.#byPlayer.get(p)).filter((m) => m !== undefined);
        for (const m of members) m.status = 'matching';
        if (members.length !== players.length) {
          // Leaving dequeues, so every player of a queued ticket is here; if not, it is a bug.
          services.log.error({ room: this.roomId, mode: match.mode, players, present: members.map((m) => m.playerId) }, 'a match names players who are not in the room');
          this.#fail(members);
          continue;
        }
        this.state.matchesFormed += 1;
        void this.#open(match, members);
      }
      if (matches.length === 0) return;
      for (const member of this.#members.values()) if (member.status === 'matching') this.#show(member);
      this.#count();
    }

    /** Opens the game room, reserves every seat, then hands each player theirs. */
    async #open(match: Match, members: readonly Member[]) {
      const roomName = gameRoomOf(match.mode);
      const oraclesOf = (playerId: string) => members.find((m) => m.playerId === playerId)?.oracles ?? [];
      const sides = match.sides.map((s) => [...s.players]);
      let roomId: string | undefined;
      try {
        const setup = roomName === 'battle'
          ? battleSetupFor(match, oraclesOf)
          : raidSetupFor(match, oraclesOf, loadContent().raidBosses.map((b) => b.id));
        const room = await matchMaker.createRoom(roomName, { setup });
        roomId = room.roomId;
        // The principal verified here goes with the seat: the game room trusts it as client.auth.
        const seats = await Promise.all(members.map((m) => matchMaker.reserveSeatFor(room, { playerId: m.playerId }, m.principal)));
        services.log.info({ room: this.roomId, gameRoom: room.roomId, kind: roomName, mode: match.mode, sides }, 'match formed');
        members.forEach((member, index) => {
          // Someone who disconnected meanwhile simply never takes their seat.
          if (this.#members.get(member.client.sessionId) !== member) return;
          const sideIndex = sides.findIndex((side) => side.includes(member.playerId));
          const matched: Matched = {
            mode: match.mode, roomName, roomId: room.roomId, side: roomName === 'battle' ? (battleSides[sideIndex] ?? null) : null, sides, reservation: seats[index]!,
          };
          member.client.send('matched', matched);
          // Friends see the match, and watch it by its id, for as long as its room is open.
          void services.social?.presence.set(member.playerId, 'match', { status: 'in_match', roomId: room.roomId, mode: match.mode }, 3 * 3600_000).catch(() => {});
          this.#forget(member, 'matched');
          member.client.leave(CloseCode.NORMAL_CLOSURE);
        });
      } catch (error) {
        services.log.error({ room: this.roomId, gameRoom: roomId, kind: roomName, mode: match.mode, sides, err: error }, 'could not open the matched game room');
        if (roomId !== undefined) {
          // A half-seated room would run to its tick limit with nobody in it.
          await matchMaker.remoteRoomCall(roomId, 'disconnect').catch(() => {});
        }
        this.#fail(members);
      }
    }

    /** The match could not be opened: its players are told, and must queue again. */
    #fail(members: readonly Member[]) {
      for (const member of members) {
        if (this.#members.get(member.client.sessionId) !== member) continue;
        member.client.send('refused', { code: matchmakingCodes.matchFailed, message: 'the game room could not be opened; join the queue again', commandType: 'match' } satisfies Refused);
        this.#forget(member, 'failed');
        member.client.leave(CloseCode.NORMAL_CLOSURE);
      }
    }

    #showParty(partyKey: string) {
      const party = this.#parties.get(partyKey);
      if (!party) return;
      for (const playerId of party.present) {
        const member = this.#byPlayer.get(playerId);
        if (member) this.#show(member);
      }
    }

    #show(member: Member) {
      const view = member.view;
      view.playerId = member.playerId;
      view.mode = member.mode;
      view.status = member.status;
      if (view.party.length !== member.party.length) {
        view.party.clear();
        for (const p of member.party) view.party.push(p);
      }
      const present = this.#parties.get(member.partyKey)?.present;
      const missing = member.party.filter((p) => !present?.has(p));
      if (missing.join('\n') !== view.missing.toArray().join('\n')) {
        view.missing.clear();
        for (const p of missing) view.missing.push(p);
      }
      const ticket = member.ticketId === null ? undefined : this.#queue.tickets.find((t) => t.id === member.ticketId);
      view.queuedAtTick = ticket?.joinedAt ?? view.queuedAtTick;
      if (member.status === 'gathering') view.queuedAtTick = 0;
    }

    #count() {
      let queued = 0;
      const byMode = new Map<string, number>();
      for (const ticket of this.#queue.tickets) {
        queued += ticket.players.length;
        byMode.set(ticket.mode, (byMode.get(ticket.mode) ?? 0) + ticket.players.length);
      }
      let gathering = 0;
      for (const member of this.#members.values()) if (member.status === 'gathering') gathering += 1;
      this.state.queued = queued;
      this.state.gathering = gathering;
      for (const mode of [...this.state.modes.keys()]) if (!byMode.has(mode)) this.state.modes.delete(mode);
      for (const [mode, count] of byMode) if (this.state.modes.get(mode) !== count) this.state.modes.set(mode, count);
    }
  };
}
