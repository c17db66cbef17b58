// The spectator room: the spectator feed for game and web clients over Colyseus. A room
// watches one battle, raid or ritual; every client in it receives `summary` messages (the
// feed's MatchSummary, projections/spectator) on joining and whenever the match moves on.
//
// It folds the match's stream and its narration stream with the feed's own pure fold, so it
// shows exactly what the read model and Discord show, without a database of its own: it
// reads the event store (which every game server process has) a few times a second, from
// the versions it has already folded. Watching never writes anything.
//
// Live narration: with `services.narration`, the room also relays the narrator's pieces for
// its match as they are produced (streamed sentences, a retraction, then the recorded text),
// as `narration` messages: a preview; the narration to keep arrives as `recorded` and in the
// next `summary`. Pieces produced before a client joined are not replayed.
//
// Create one per match (`client.create('spectator', { match, spectator: true })`) and share
// it by room id; registered with `.filterBy(['match'])`, `joinOrCreate` shares it too.
import { ErrorCode, Room, ServerError, type AuthContext, type Client } from '@colyseus/core';
import { z } from 'zod';
import type { RecordedEvent } from '../../events/envelope.ts';
import { narrationStreamOf } from '../../projections/narration/events.ts';
import { foldSummary, matchKinds, type MatchSummary } from '../../projections/spectator/feed.ts';
import { MatchRef } from '../../projections/spectator/queries.ts';
import { AccessDenied, type Principal } from '../shared/access.ts';
import { joinError, peerOf, type RoomServices } from '../shared/colyseusRoom.ts';

export const spectatorCodes = {
  invalid: 'spectator/invalid_options',
  unknownMatch: 'spectator/unknown_match',
  otherMatch: 'spectator/other_match',
} as const;

export const SpectatorOptions = z.object({ match: MatchRef, spectator: z.boolean().optional(), playerId: z.string().max(64).optional() });

/** How often the room looks for new events of its match. */
export const SPECTATOR_POLL_MS = 250;

export type SpectatorRoomServices = Pick<RoomServices, 'store' | 'log' | 'access' | 'narration'> & { pollMs?: number };

/** The `narration` message: a live piece of a narration of this match (docs/protocol.md). */
export type NarrationMessage = { type: 'delta' | 'retracted' | 'recorded'; narrationId: string; text?: string };

export function spectatorRoom(services: SpectatorRoomServices) {
  const { store } = services;

  /** The stream a match reference names: a stream id as given, or the first kind with such a room. */
  async function resolve(match: string): Promise<string | null> {
    const candidates = matchKinds.some((kind) => match.startsWith(`${kind}-`)) ? [match] : matchKinds.map((kind) => `${kind}-${match}`);
    for (const streamId of candidates) {
      if ((await store.readStream(streamId, { limit: 1 })).length > 0) return streamId;
    }
    return null;
  }

  return class SpectatorRoom extends Room {
    streamId = '';
    summary: MatchSummary | undefined;
    /** Next versions to read: the match's stream and its narration stream. */
    #next = { room: 0, narration: 0 };
    #polling = false;
    #stopNarration: (() => void) | undefined;

    static override async onAuth(token: string | undefined, _options: unknown, context: AuthContext): Promise<Principal> {
      try {
        return await services.access.admit(token, { ip: peerOf(services.access, context), roomName: 'spectator' });
      } catch (error) {
        throw error instanceof AccessDenied ? joinError(error) : error;
      }
    }

    override async onCreate(rawOptions: unknown) {
      const options = SpectatorOptions.safeParse(rawOptions);
      if (!options.success) throw new ServerError(ErrorCode.APPLICATION_ERROR, `${spectatorCodes.invalid}: ${z.prettifyError(options.error)}`);
      const streamId = await resolve(options.data.match);
      if (!streamId) throw new ServerError(ErrorCode.APPLICATION_ERROR, `${spectatorCodes.unknownMatch}: no battle, raid or ritual called ${options.data.match}`);
      this.streamId = streamId;
      this.maxClients = 500;
      await this.setMetadata({ match: options.data.match, streamId });
      this.#stopNarration = services.narration?.subscribe(streamId, (piece) => this.#relay(piece));
      await this.#poll();
      this.clock.setInterval(() => void this.#poll(), services.pollMs ?? SPECTATOR_POLL_MS);
      services.log.info({ room: this.roomId, stream: streamId }, 'spectator room opened');
    }

    override onJoin(client: Client, rawOptions: unknown) {
      const options = SpectatorOptions.safeParse(rawOptions);
      // Without filterBy, joinOrCreate may land in another match's room: refuse rather than mislead.
      if (options.success && options.data.match !== this.metadata.match && options.data.match !== this.streamId) {
        throw new ServerError(ErrorCode.APPLICATION_ERROR, `${spectatorCodes.otherMatch}: this room shows ${this.streamId}; create one for ${options.data.match}`);
      }
      if (this.summary) client.send('summary', this.summary);
    }

    override onDispose() {
      this.#stopNarration?.();
      this.#stopNarration = undefined;
    }

    #relay(piece: NarrationMessage) {
      const message: NarrationMessage = { type: piece.type, narrationId: piece.narrationId };
      if (piece.type !== 'retracted' && piece.text !== undefined) message.text = piece.text;
      this.broadcast('narration', message);
    }

    async #poll() {
      if (this.#polling) return;
      this.#polling = true;
      try {
        // Both streams up to one head, folded in global order as the projection folds them:
        // an event past the head waits for the next poll, so the two streams interleave alike.
        const head = await store.headPosition();
        const upToHead = (events: RecordedEvent[]) => events.filter((e) => e.position <= head);
        const [room, narration] = await Promise.all([
          store.readStream(this.streamId, { fromVersion: this.#next.room }).then(upToHead),
          store.readStream(narrationStreamOf(this.streamId), { fromVersion: this.#next.narration }).then(upToHead),
        ]);
        if (room.length + narration.length === 0) return;
        this.#next.room += room.length;
        this.#next.narration += narration.length;
        const events: RecordedEvent[] = [...room, ...narration].sort((a, b) => a.position - b.position);
        const next = foldSummary(events, this.summary);
        if (next && next.revision !== this.summary?.revision) {
          this.summary = next;
          this.broadcast('summary', next);
        }
      } catch (error) {
        services.log.warn({ room: this.roomId, stream: this.streamId, err: error }, 'spectator room could not read its match; trying again');
      } finally {
        this.#polling = false;
      }
    }
  };
}
