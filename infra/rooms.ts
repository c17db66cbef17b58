// Every room kind the game server hosts, by Colyseus room name.
import type { Room } from '@colyseus/core';
import { foldSummary, matchKinds } from '../projections/spectator/feed.ts';
import { battleKind, battleRoom } from '../rooms/battle/room.ts';
import { battleMirror } from '../rooms/battle/state.ts';
import { raidMirror } from '../rooms/raid/state.ts';
import { ritualMirror } from '../rooms/ritual/state.ts';
import { chatRoom } from '../rooms/chat/room.ts';
import { matchmakingRoom } from '../rooms/matchmaking/room.ts';
import { partyRoom } from '../rooms/party/room.ts';
import { raidKind, raidRoom } from '../rooms/raid/room.ts';
import { ritualKind, ritualRoom } from '../rooms/ritual/room.ts';
import type { RoomServices } from '../rooms/shared/colyseusRoom.ts';
import { spectatorRoom, type SpectatedKind, type SpectatorFeed } from '../rooms/spectator/room.ts';
import { narrationStreamOf } from '../projections/narration/events.ts';

/** The kinds whose rooms are event-sourced actors, brought back after a crash. */
export const roomKinds = [battleKind, raidKind, ritualKind];

// biome-ignore lint: Colyseus room classes take framework-specific constructor arguments.
type RoomClass = new (...args: any[]) => Room;

/** Join options that pick among rooms of one name: spectators of a match share its room. */
export const roomFilters: Record<string, string[]> = { spectator: ['match'], chat: ['channel'] };

/** The spectator feed as spectator rooms fold it: the read model's own fold, so every watcher sees what the feed holds. */
export const spectatorFeed: SpectatorFeed<{ revision: number }> = {
  matchKinds,
  narrationStreamOf,
  fold: (events, previous) => foldSummary(events, previous as Parameters<typeof foldSummary>[1]),
};

/** The kinds whose live state spectator rooms show, by stream category. */
export const spectatedKinds: Record<string, SpectatedKind> = {
  battle: { kind: battleKind, view: battleMirror } as SpectatedKind,
  raid: { kind: raidKind, view: raidMirror } as SpectatedKind,
  ritual: { kind: ritualKind, view: ritualMirror } as SpectatedKind,
};

export type RoomDefinitionOptions = { spectatorShardSize?: number; spectatorPollMs?: number };

export function roomDefinitions(services: RoomServices, options: RoomDefinitionOptions = {}): Record<string, RoomClass> {
  return {
    battle: battleRoom(services),
    raid: raidRoom(services),
    ritual: ritualRoom(services),
    matchmaking: matchmakingRoom(services),
    spectator: spectatorRoom({
      ...services,
      feed: spectatorFeed,
      kinds: spectatedKinds,
      ...(options.spectatorShardSize ? { shardSize: options.spectatorShardSize } : {}),
      ...(options.spectatorPollMs ? { pollMs: options.spectatorPollMs } : {}),
    }),
    // Friends gather, talk and queue together; channels of legions and matches.
    ...(services.social ? { party: partyRoom(services), chat: chatRoom(services) } : {}),
  };
}
