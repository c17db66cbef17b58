// The tally room kind, wired into the generic event-sourced Colyseus room.
import { z } from 'zod';
import { accept } from '../../../events/decider.ts';
import type { RoomKind } from '../../../events/tick/roomKind.ts';
import { eventSourcedRoom, type RoomServices } from '../../shared/colyseusRoom.ts';
import { tallyCommandPayloads, type TallyCommand } from './commands.ts';
import { tallyEventDefinitions, type TallyEvent } from './events.ts';
import { Players, TALLY_RULES_VERSION, type TallyState } from './model.ts';
import { tallyDecider } from './rules.ts';
import { tallyMirror } from './state.ts';

export const TallyRoomSetup = z.strictObject({ players: Players, target: z.int().min(3).max(100).default(10) });
export type TallyRoomSetup = z.output<typeof TallyRoomSetup>;

export const tallyKind: RoomKind<TallyState, TallyCommand, TallyEvent, TallyRoomSetup> = {
  name: 'tally',
  tickHz: 10,
  hashEvery: 5,
  decider: tallyDecider,
  events: tallyEventDefinitions,
  commands: tallyCommandPayloads,
  setup: TallyRoomSetup,
  create: (setup, room) => accept({ type: 'TallyCreated', data: { rulesVersion: TALLY_RULES_VERSION, players: setup.players, target: setup.target, startTick: room.startTick } }),
  seats: (state) => state.players,
  isOver: (state) => state.status === 'won',
  endedBy: ['TallyWon'],
};

export const tallyRoom = (services: RoomServices) => eventSourcedRoom(tallyKind, tallyMirror, services);
