// Story encounters as rooms: a chapter's ritual or raid, created with the seed and setup its
// content fixes and recorded like any match. The quest log decides that the player may open
// it (StoryEncounterOpened names the room); this writes the room's creation event with the
// fixed seed, then has the game server host the room from its stream, as it does for rooms
// it brings back after a restart. Players join it by room id.
import { z } from 'zod';
import type { StoryEncounter } from '../../events/content/quests.ts';
import type { EventStore } from '../../events/store.ts';
import { FieldedOracles } from '../../rooms/battle/setup.ts';
import { raidKind } from '../../rooms/raid/room.ts';
import { ritualKind } from '../../rooms/ritual/room.ts';
import { RoomActor } from '../../rooms/shared/actor.ts';
import { PlayerId } from '../../events/players.ts';

/** What a raid encounter needs besides the content: each player's oracles. */
export const EncounterParty = z.strictObject({
  /** Companions to fill the encounter's seats, besides the player. */
  party: z.array(PlayerId).max(5).default([]),
  /** Raids only: the oracles each seated player fields, by player id. */
  oracles: z.record(PlayerId, FieldedOracles).default({}),
});
export type EncounterParty = z.output<typeof EncounterParty>;

export type EncounterRooms = {
  /** Hosts the room of a stream that holds its creation event (GameServer.hostRoom). */
  host(kind: string, roomId: string): Promise<void>;
};

export type EncounterSetup = { kind: 'ritual' | 'raid'; setup: unknown };

/** The room setup of `encounter` for these players, validated as the room kind would; or why it cannot be. */
export function encounterSetup(encounter: StoryEncounter, players: readonly string[], oracles: EncounterParty['oracles']): { ok: true; value: EncounterSetup } | { ok: false; message: string } {
  const raw = encounter.kind === 'ritual'
    ? { ritualId: encounter.ritualId, participants: [...players] }
    : { bossId: encounter.bossId, participants: players.map((playerId) => ({ playerId, oracles: oracles[playerId] ?? [] })) };
  const kind = encounter.kind === 'ritual' ? ritualKind : raidKind;
  const parsed = kind.setup.safeParse(raw);
  if (!parsed.success) return { ok: false, message: z.prettifyError(parsed.error).replaceAll('\n', '; ') };
  return { ok: true, value: { kind: encounter.kind, setup: parsed.data } };
}

/** Writes the encounter room's creation event with the content's seed (once) and has it hosted. */
export async function openEncounterRoom(store: EventStore, rooms: EncounterRooms, opened: { roomId: string; encounter: StoryEncounter }, setup: EncounterSetup): Promise<void> {
  const kind = setup.kind === 'ritual' ? ritualKind : raidKind;
  if ((await store.streamVersion(RoomActor.streamOf(kind.name, opened.roomId))) < 0) {
    await RoomActor.create(kind as typeof ritualKind, store, opened.roomId, setup.setup as never, opened.encounter.seed);
  }
  await rooms.host(kind.name, opened.roomId);
}
