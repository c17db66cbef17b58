// The ritual room kind: its rules, commands and setup, wired into the generic
// event-sourced Colyseus room. Rituals are about rhythm, not reflexes, so they tick slower
// than battles (RITUAL_TICK_HZ: the rhythm windows in content.ts are written for it).
import { z } from 'zod';
import { PlayerId } from '../../events/players.ts';
import { eventSourcedRoom, type RoomServices } from '../shared/colyseusRoom.ts';
import type { RoomKind } from '../../events/tick/roomKind.ts';
import { ritualCommandPayloads, type RitualCommand } from './commands.ts';
import { findRitual, ritualContent } from './content.ts';
import { ritualEventDefinitions, type RitualEvent } from './events.ts';
import { type RitualState } from './model.ts';
import { createRitual, ritualDecider } from './rules.ts';
import { RITUAL_TICK_HZ, ritualMirror } from './state.ts';

/**
 * What creating a ritual room takes; the room adds a seed it draws and the start tick.
 * Everything createRitual would refuse (an unknown ritual, a party of the wrong size, a
 * player seated twice) is checked here too, so a bad setup is refused at the edge as
 * `ritual/invalid_setup: …` before anything is written.
 */
export const RitualRoomSetup = z.strictObject({
  ritualId: z.string().min(1).max(100),
  /** In seat order: participants[0] sits in seat 0. (Join ids are at most 64 characters.) */
  participants: z.array(PlayerId).min(2).max(5),
  /**
   * Ticks between creation and the tick the first step's window counts from, so players
   * have joined before the rhythm starts (15 = 3 s at 5 Hz, like battle's 60 at 20 Hz).
   */
  countdownTicks: z.int().min(0).max(300).default(15),
}).superRefine((setup, ctx) => {
  const definition = findRitual(setup.ritualId);
  if (!definition) {
    const known = ritualContent.rituals.map((r) => r.id).join(', ');
    ctx.addIssue({ code: 'custom', message: `there is no ritual called ${setup.ritualId} (known: ${known})`, path: ['ritualId'] });
  } else if (setup.participants.length < definition.minParticipants || setup.participants.length > definition.maxParticipants) {
    const { name, minParticipants: min, maxParticipants: max } = definition;
    ctx.addIssue({ code: 'custom', message: `${name} needs ${min} to ${max} participants, not ${setup.participants.length}`, path: ['participants'] });
  }
  if (new Set(setup.participants).size !== setup.participants.length) ctx.addIssue({ code: 'custom', message: 'each participant must be a distinct player id', path: ['participants'] });
});
export type RitualRoomSetup = z.output<typeof RitualRoomSetup>;

export const ritualKind: RoomKind<RitualState, RitualCommand, RitualEvent, RitualRoomSetup> = {
  name: 'ritual',
  tickHz: RITUAL_TICK_HZ,
  hashEvery: 25,
  decider: ritualDecider,
  events: ritualEventDefinitions,
  commands: ritualCommandPayloads,
  setup: RitualRoomSetup,
  create(setup, room) {
    const input = { ritualId: setup.ritualId, participants: setup.participants, seed: room.seed };
    return createRitual(ritualDecider.initialState(), input, { tick: room.startTick + setup.countdownTicks });
  },
  seats: (state) => (state.status === 'not_started' ? [] : state.participants),
  isOver: (state) => state.status === 'ended',
  endedBy: ['RitualCompleted'],
};

export const ritualRoom = (services: RoomServices) => eventSourcedRoom(ritualKind, ritualMirror, services);
