// The raid room kind: its rules, commands and setup, wired into the generic
// event-sourced Colyseus room.
import { z } from 'zod';
import { loadContent, raidBossById } from '../../events/content/index.ts';
import { eventSourcedRoom, type RoomServices } from '../shared/colyseusRoom.ts';
import type { RoomKind } from '../../events/tick/roomKind.ts';
import { createRaid, raidCommandPayloads, raidDecider, raidEventDefinitions, raidTuning, type RaidCommand, type RaidEvent, type RaidState } from './index.ts';
import { ContentId } from './model.ts';
import { RaidParty, partyProblems } from './setup.ts';
import { raidMirror } from './state.ts';

/**
 * What creating a raid room takes; the room adds its id (the raid id), a seed it draws, and
 * the start tick. Everything createRaid would refuse is checked here too, so a bad setup is
 * refused at the edge as `raid/invalid_setup: …` before anything is written.
 */
export const RaidRoomSetup = z.strictObject({
  participants: RaidParty,
  bossId: ContentId,
  /** Playable ticks; defaults to the boss's enrage plus a grace period. */
  tickLimit: z.int().min(raidTuning.minTickLimit).max(raidTuning.maxTickLimit).optional(),
  /** Ticks between creation and the first accepted command (a countdown for clients). */
  countdownTicks: z.int().min(0).max(600).default(60),
}).superRefine((setup, ctx) => {
  for (const message of partyProblems(setup.participants, setup.bossId)) ctx.addIssue({ code: 'custom', message, path: ['participants'] });
  const content = loadContent();
  if (!raidBossById(content, setup.bossId)) {
    const known = content.raidBosses.map((b) => b.id).join(', ');
    ctx.addIssue({ code: 'custom', message: `content ${content.contentVersion} has no raid boss ${setup.bossId} (known: ${known})`, path: ['bossId'] });
  }
});
export type RaidRoomSetup = z.output<typeof RaidRoomSetup>;

export const raidKind: RoomKind<RaidState, RaidCommand, RaidEvent, RaidRoomSetup> = {
  name: 'raid',
  tickHz: 20,
  hashEvery: 100,
  decider: raidDecider,
  events: raidEventDefinitions,
  commands: raidCommandPayloads,
  setup: RaidRoomSetup,
  create(setup, room) {
    const { countdownTicks, tickLimit, ...rest } = setup;
    const input = { ...rest, raidId: room.roomId, seed: room.seed, startTick: room.startTick + countdownTicks, ...(tickLimit === undefined ? {} : { tickLimit }) };
    return createRaid(raidDecider.initialState(), input, { tick: room.startTick }, loadContent());
  },
  seats: (state) => state.participants.map((p) => p.playerId),
  isOver: (state) => state.status === 'ended',
  endedBy: ['RaidEnded'],
};

export const raidRoom = (services: RoomServices) => eventSourcedRoom(raidKind, raidMirror, services);
