// Every room kind the game server hosts, by Colyseus room name.
import type { Room } from '@colyseus/core';
import { battleKind, battleRoom } from '../rooms/battle/room.ts';
import { chatRoom } from '../rooms/chat/room.ts';
import { matchmakingRoom } from '../rooms/matchmaking/room.ts';
import { partyRoom } from '../rooms/party/room.ts';
import { raidKind, raidRoom } from '../rooms/raid/room.ts';
import { ritualKind, ritualRoom } from '../rooms/ritual/room.ts';
import type { RoomServices } from '../rooms/shared/colyseusRoom.ts';
import { spectatorRoom } from '../rooms/spectator/room.ts';

/** The kinds whose rooms are event-sourced actors, brought back after a crash. */
export const roomKinds = [battleKind, raidKind, ritualKind];

// biome-ignore lint: Colyseus room classes take framework-specific constructor arguments.
type RoomClass = new (...args: any[]) => Room;

/** Join options that pick among rooms of one name: spectators of a match share its room. */
export const roomFilters: Record<string, string[]> = { spectator: ['match'], chat: ['channel'] };

export function roomDefinitions(services: RoomServices): Record<string, RoomClass> {
  return {
    battle: battleRoom(services),
    raid: raidRoom(services),
    ritual: ritualRoom(services),
    matchmaking: matchmakingRoom(services),
    spectator: spectatorRoom(services),
    // Friends gather, talk and queue together; channels of legions and matches.
    ...(services.social ? { party: partyRoom(services), chat: chatRoom(services) } : {}),
  };
}
