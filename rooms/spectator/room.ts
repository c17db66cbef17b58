// The spectator room: a match (battle, raid or ritual) for any number of watchers, apart from
// the match room so they never take a player's place or slow its tick. Every client gets
// the match's public state — the same @colyseus/schema state players sync, without anyone's
// private fields — and `summary` messages (the spectator feed's MatchSummary) on joining and
// whenever the match moves on.
//
// It is fed from the log, not from the match room: it folds the match's stream with the
// kind's own rules (the state) and with the feed's fold (the summary), so it shows exactly
// what the log holds, in any process that has the store. The rooms of one match in a process
// share one reader of its streams (tail.ts); watching never writes anything.
//
// Sharded: a room holds at most `shardSize` watchers (SPECTATOR_SHARD_SIZE); registered with
// `.filterBy(['match'])`, `joinOrCreate('spectator', { match })` fills a match's rooms and opens
// another when they are full. Each watcher's connection counts against its token's, address's
// and account's watch limits (RoomAccess.watch).
//
// Live narration: with `services.narration`, the room also relays the narrator's pieces for
// its match as they are produced (streamed sentences, a retraction, then the recorded text),
// as `narration` messages: a preview; the narration to keep arrives as `recorded` and in the
// next `summary`. Pieces produced before a client joined are not replayed.
import { ErrorCode, Room, ServerError, type AuthContext, type Client } from '@colyseus/core';
import type { Schema } from '@colyseus/schema';
import { z } from 'zod';
import type { RecordedEvent } from '../../events/envelope.ts';
import { PlayerId } from '../../events/players.ts';
import { type WatchLease } from '../shared/access.ts';
import { admitJoin, joinError, peerOfClient, principalOf, type Admitted, type RoomServices, type StateMirror } from '../shared/colyseusRoom.ts';
import { roomEventTypes } from '../../events/tick/roomEvents.ts';
import type { KindCommand, KindEvent, RoomKind } from '../../events/tick/roomKind.ts';
import { matchTails, type MatchTails } from './tail.ts';

export const spectatorCodes = {
  invalid: 'spectator/invalid_options',
  unknownMatch: 'spectator/unknown_match',
  otherMatch: 'spectator/other_match',
} as const;

/** A match as a client names it: a room id, or a stream id such as battle-7f3a. */
export const MatchRef = z.string().trim().regex(/^[A-Za-z0-9_.:@-]{1,200}$/, 'a match is a room id or a stream id such as battle-7f3a');

export const SpectatorOptions = z.object({ match: MatchRef, spectator: z.boolean().optional(), playerId: PlayerId.optional() });

/** How often a match's streams are read for new events. */
export const SPECTATOR_POLL_MS = 100;
/** Watchers per spectator room; a match gets as many rooms as its watchers fill. */
export const SPECTATOR_SHARD_SIZE = 500;

/** The spectator feed, composed in by infra (its fold lives with the read model). */
export type SpectatorFeed<Summary extends { revision: number }> = {
  /** Stream categories a match may be (`battle`, `raid`, `ritual`). */
  readonly matchKinds: readonly string[];
  narrationStreamOf(roomStreamId: string): string;
  fold(events: readonly RecordedEvent[], previous: Summary | undefined): Summary | undefined;
};

// biome-ignore lint: a registry of kinds whose rules and states differ.
export type SpectatedKind = { kind: RoomKind<any, KindCommand, KindEvent, any>; view: StateMirror<any, Schema> };

export type SpectatorRoomServices = Pick<RoomServices, 'store' | 'log' | 'access' | 'narration'> & {
  feed: SpectatorFeed<{ revision: number }>;
  /** The kinds whose state a watcher sees, by stream category. */
  kinds: Readonly<Record<string, SpectatedKind>>;
  pollMs?: number;
  shardSize?: number;
};

/** The `narration` message: a live piece of a narration of this match (docs/protocol.md). */
export type NarrationMessage = { type: 'delta' | 'retracted' | 'recorded'; narrationId: string; text?: string };

export function spectatorRoom(services: SpectatorRoomServices) {
  const { store, feed } = services;
  const tails: MatchTails = matchTails(store, {
    pollMs: services.pollMs ?? SPECTATOR_POLL_MS,
    onError: (streamId, error) => services.log.warn({ stream: streamId, err: error }, 'spectator rooms could not read their match; trying again'),
  });

  /** The stream a match reference names: a stream id as given, or the first kind with such a room. */
  async function resolve(match: string): Promise<string | null> {
    const candidates = feed.matchKinds.some((kind) => match.startsWith(`${kind}-`)) ? [match] : feed.matchKinds.map((kind) => `${kind}-${match}`);
    for (const streamId of candidates) {
      if ((await store.readStream(streamId, { limit: 1 })).length > 0) return streamId;
    }
    return null;
  }

  return class SpectatorRoom extends Room {
    streamId = '';
    summary: { revision: number } | undefined;
    #spectated: SpectatedKind | undefined;
    // biome-ignore lint: the rules state of whichever kind this room shows.
    #ruleState: any;
    #tick = 0;
    readonly #leases = new Map<string, WatchLease>();
    #stopTail: (() => void) | undefined;
    #stopNarration: (() => void) | undefined;

    static override async onAuth(token: string | undefined, options: unknown, context: AuthContext): Promise<Admitted> {
      // A watcher needs no seat: every token may watch, and only watch, here.
      const match = options !== null && typeof options === 'object' ? { ...(options as object), spectator: true } : { spectator: true };
      return admitJoin(services.access, 'spectator', token, match, context);
    }

    override async onCreate(rawOptions: unknown) {
      const options = SpectatorOptions.safeParse(rawOptions);
      if (!options.success) throw new ServerError(ErrorCode.APPLICATION_ERROR, `${spectatorCodes.invalid}: ${z.prettifyError(options.error)}`);
      const streamId = await resolve(options.data.match);
      if (!streamId) throw new ServerError(ErrorCode.APPLICATION_ERROR, `${spectatorCodes.unknownMatch}: no battle, raid or ritual called ${options.data.match}`);
      this.streamId = streamId;
      this.maxClients = services.shardSize ?? SPECTATOR_SHARD_SIZE;
      // Patches go out as soon as the log has moved on, not on a timer of their own.
      this.patchRate = null;
      const spectated = services.kinds[streamId.slice(0, streamId.indexOf('-'))];
      if (spectated) {
        this.#spectated = spectated;
        this.#ruleState = spectated.kind.decider.initialState();
        this.state = spectated.view.createState();
      }
      await this.setMetadata({ match: options.data.match, streamId });
      this.#stopNarration = services.narration?.subscribe(streamId, (piece) => this.#relay(piece));
      let first: () => void = () => {};
      const caughtUp = new Promise<void>((resolve) => (first = resolve));
      this.#stopTail = tails.follow(streamId, feed.narrationStreamOf(streamId), (events) => {
        this.#apply(events);
        first();
      });
      await Promise.race([caughtUp, new Promise((resolve) => this.clock.setTimeout(resolve, 5000))]);
      services.log.info({ room: this.roomId, stream: streamId }, 'spectator room opened');
    }

    override async onJoin(client: Client, rawOptions: unknown) {
      const options = SpectatorOptions.safeParse(rawOptions);
      // Without filterBy, joinOrCreate may land in another match's room: refuse rather than mislead.
      if (options.success && options.data.match !== this.metadata.match && options.data.match !== this.streamId) {
        throw new ServerError(ErrorCode.APPLICATION_ERROR, `${spectatorCodes.otherMatch}: this room shows ${this.streamId}; create one for ${options.data.match}`);
      }
      if (services.access.watch) {
        try {
          this.#leases.set(client.sessionId, await services.access.watch.acquire(client.sessionId, principalOf(client), peerOfClient(client)));
        } catch (error) {
          throw joinError(error);
        }
      }
      if (this.summary) client.send('summary', this.summary);
    }

    override onLeave(client: Client) {
      this.#leases.get(client.sessionId)?.release();
      this.#leases.delete(client.sessionId);
    }

    override onDispose() {
      this.#stopNarration?.();
      this.#stopNarration = undefined;
      this.#stopTail?.();
      this.#stopTail = undefined;
      for (const lease of this.#leases.values()) lease.release();
      this.#leases.clear();
    }

    #relay(piece: NarrationMessage) {
      const message: NarrationMessage = { type: piece.type, narrationId: piece.narrationId };
      if (piece.type !== 'retracted' && piece.text !== undefined) message.text = piece.text;
      this.broadcast('narration', message);
    }

    /** Folds newly read events into the state watchers sync and the summary they are sent. */
    #apply(events: readonly RecordedEvent[]) {
      const spectated = this.#spectated;
      if (spectated) {
        let moved = false;
        for (const event of events) {
          if (event.streamId !== this.streamId) continue;
          this.#tick = event.metadata.tick ?? this.#tick;
          moved = true;
          if (!roomEventTypes.has(event.type)) this.#ruleState = spectated.kind.decider.evolve(this.#ruleState, { type: event.type, data: event.data });
        }
        if (moved) {
          const status = spectated.kind.isOver(this.#ruleState) ? 'over' : 'running';
          spectated.view.mirror(this.state as Schema, this.#ruleState, { tick: this.#tick, status, lastRefs: new Map() });
        }
      }
      const next = feed.fold(events, this.summary);
      if (next && next.revision !== this.summary?.revision) {
        this.summary = next;
        this.broadcast('summary', next);
      }
      this.broadcastPatch();
    }
  };
}
