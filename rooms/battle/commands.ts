// What a player may ask of a battle. Clients send the payload; the room adds `type` from
// the message name and `playerId` from the authenticated session, then parses the whole
// command with BattleCommand before the rules see it.
import { z } from 'zod';
import { AbilityId } from '../../events/content/index.ts';
import { OracleId, PlayerId } from './model.ts';

export const CastAbilityPayload = z.strictObject({ oracleId: OracleId, abilityId: AbilityId, targetId: OracleId });
export const ForfeitPayload = z.strictObject({});

export const CastAbility = z.strictObject({ type: z.literal('CastAbility'), playerId: PlayerId, ...CastAbilityPayload.shape });
export type CastAbility = z.infer<typeof CastAbility>;

/** Withdraws all of the player's oracles; their side loses once none of its oracles stand. */
export const Forfeit = z.strictObject({ type: z.literal('Forfeit'), playerId: PlayerId, ...ForfeitPayload.shape });
export type Forfeit = z.infer<typeof Forfeit>;

export const BattleCommand = z.discriminatedUnion('type', [CastAbility, Forfeit]);
export type BattleCommand = z.infer<typeof BattleCommand>;

/** Client payload schema per message type, for the room's message handlers. */
export const battleCommandPayloads = { CastAbility: CastAbilityPayload, Forfeit: ForfeitPayload } as const;
