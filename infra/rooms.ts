// Every room kind the game server hosts, by Colyseus room name.
import type { Room } from '@colyseus/core';
import { battleRoom } from '../rooms/battle/room.ts';
import type { RoomServices } from '../rooms/shared/colyseusRoom.ts';

// biome-ignore lint: Colyseus room classes take framework-specific constructor arguments.
type RoomClass = new (...args: any[]) => Room;

export function roomDefinitions(services: RoomServices): Record<string, RoomClass> {
  return {
    battle: battleRoom(services),
  };
}
