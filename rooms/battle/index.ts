// Public boundary of the battle kind: what the room, the store's catalog and audits use.
export { BattleCommand, CastAbility, CastAbilityPayload, Forfeit, ForfeitPayload, battleCommandPayloads } from './commands.ts';
export {
  AbilityCast, BattleCreated, BattleEnded, DamageDealt, HealApplied, OracleFell, PlayerForfeited, ShieldRaised,
  StatusApplied, StatusExpired, StatusResisted, battleEventDefinitions, evolve, initialState,
} from './events.ts';
export type { BattleEvent } from './events.ts';
export {
  BATTLE_RULES_VERSION, EndReason, OracleId, OracleSnapshot, Participant, PlayerId, Prng, Side, StatusInstance, Wager,
  WagerSettlement, findOracle, lastTick, sides,
} from './model.ts';
export type { BattleState, OracleState, ParticipantState } from './model.ts';
export { sideHpPercent, settleWager } from './outcome.ts';
export { battleRefusalCodes } from './refusals.ts';
export type { BattleRefusalCode } from './refusals.ts';
export { battleDecider, castAbility, createBattleDecider, decide, forfeit } from './rules.ts';
export type { ContentResolver } from './rules.ts';
export { BattleSetup, createBattle } from './setup.ts';
export { onTick } from './tick.ts';
