// Stable refusal codes: clients and tests branch on these strings, so they never change
// meaning; new situations get new codes.
import { refusalsOf } from '../../events/decider.ts';

export const battleRefusalCodes = [
  /** No BattleCreated yet, or the tick is before the battle's start tick. */
  'battle/not_started',
  'battle/ended',
  /** The acting player is not in this battle. */
  'battle/not_participant',
  /** The oracle does not exist or belongs to another player (the two are not told apart). */
  'battle/not_your_oracle',
  'battle/oracle_fallen',
  'battle/stunned',
  /** Not in the oracle's loadout. */
  'battle/unknown_ability',
  'battle/on_cooldown',
  /** Unknown, fallen, or on the wrong side for the ability. */
  'battle/invalid_target',
  'battle/already_forfeited',
  /** Returned by createBattle, not decide: the setup cannot start a fair battle. */
  'battle/invalid_setup',
] as const;
export type BattleRefusalCode = (typeof battleRefusalCodes)[number];

export const refuseBattle = refusalsOf<BattleRefusalCode>();
