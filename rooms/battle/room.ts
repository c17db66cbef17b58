// The battle room kind: its rules, commands and setup, wired into the generic
// event-sourced Colyseus room.
import { z } from 'zod';
import { loadContent } from '../../events/content/index.ts';
import { eventSourcedRoom, type RoomServices } from '../shared/colyseusRoom.ts';
import type { RoomKind } from '../../events/tick/roomKind.ts';
import { battleCommandPayloads, type BattleCommand } from './commands.ts';
import { battleEventDefinitions, type BattleEvent } from './events.ts';
import { PlayerId } from '../../events/players.ts';
import { Side, Wager, type BattleState } from './model.ts';
import { battleDecider } from './rules.ts';
import { createBattle, FieldedOracles } from './setup.ts';
import { battleMirror } from './state.ts';

/** What creating a battle room takes; the room adds its id, a seed it draws, and the start tick. */
export const BattleRoomSetup = z.strictObject({
  participants: z
    .array(
      z.strictObject({
        // Player ids as sessions name them: text a client chose, so held to their charset.
        playerId: PlayerId,
        side: Side,
        oracles: FieldedOracles,
      }),
    )
    .min(2)
    .max(6),
  wager: Wager.nullable().optional(),
  tickLimit: z.int().min(20).optional(),
  /** Ticks between creation and the first accepted command (a countdown for clients). */
  countdownTicks: z.int().min(0).max(600).default(60),
});
export type BattleRoomSetup = z.output<typeof BattleRoomSetup>;

export const battleKind: RoomKind<BattleState, BattleCommand, BattleEvent, BattleRoomSetup> = {
  name: 'battle',
  tickHz: 20,
  hashEvery: 100,
  decider: battleDecider,
  events: battleEventDefinitions,
  commands: battleCommandPayloads,
  setup: BattleRoomSetup,
  // What live operations may tune per battle (rules.ts withFlags), with the value when unset.
  flags: { 'battle.damage_percent': 100 },
  create(setup, room) {
    const { countdownTicks, ...rest } = setup;
    return createBattle({ ...rest, battleId: room.roomId, seed: room.seed, startTick: room.startTick + countdownTicks }, loadContent(), room.flags);
  },
  seats: (state) => state.participants.map((p) => p.playerId),
  isOver: (state) => state.status === 'ended',
  endedBy: ['BattleEnded'],
};

export const battleRoom = (services: RoomServices) => eventSourcedRoom(battleKind, battleMirror, services);
