// What a player may ask of a raid: the same two commands as a battle, reused from battle
// so clients send one shape to either room. Clients send the payload; the room adds
// `type` from the message name and `playerId` from the authenticated session.
import { z } from 'zod';
import { CastAbility, CastAbilityPayload, Forfeit, ForfeitPayload } from '../battle/commands.ts';

export { CastAbility, Forfeit };

export const RaidCommand = z.discriminatedUnion('type', [CastAbility, Forfeit]);
export type RaidCommand = z.infer<typeof RaidCommand>;

/** Client payload schema per message type, for the room's message handlers. */
export const raidCommandPayloads = { CastAbility: CastAbilityPayload, Forfeit: ForfeitPayload } as const;
