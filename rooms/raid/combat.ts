// Resolves an ability's effects from one combatant on one target, for party casts and boss
// abilities alike. Each effect's event comes from battle's effectEvent (resolve.ts): the
// same formulas and the same draw order as battle (damage: critical roll then variance
// roll; status: one proc roll), which is part of the rules version. What a blow leads to
// (a fall, a new phase, victory) is the raid's own.
import type { Content, Effect, Element, RaidBoss } from '../../events/content/index.ts';
import { effectiveAttack } from '../battle/damage.ts';
import { percentOf } from '../battle/intMath.ts';
import { effectEvent } from '../battle/resolve.ts';
import { advancePhase } from './phases.ts';
import { emit, type Draft } from './draft.ts';
import { combatantIn, isBoss } from './model.ts';
import { victory } from './outcome.ts';

export type Action = {
  casterId: string;
  targetId: string;
  ability: { readonly id: string; readonly element: Element; readonly effects: readonly Effect[] };
  tick: number;
  /** Multiplier on the caster's attack: the boss's phase and enrage; 100 for oracles. */
  attackPercent: number;
  content: Content;
  boss: RaidBoss;
};

export function resolveEffects(draft: Draft, action: Action): void {
  for (const effect of action.ability.effects) {
    // A fallen target takes no further effects, and an ended raid takes nothing at all.
    if (draft.state.status !== 'active' || combatantIn(draft.state, action.targetId).fallen) return;
    const landed = effectEvent(draft.state.prng, action, effect, attackOf(draft, action), combatantIn(draft.state, action.targetId));
    emit(draft, landed);
    if (landed.type === 'DamageDealt') afterDamage(draft, action.targetId, 'damage', action.casterId, action.boss);
  }
}

/** Weakens count first (battle's effectiveAttack), then the boss's multiplier. */
function attackOf(draft: Draft, action: Action): number {
  return percentOf(effectiveAttack(combatantIn(draft.state, action.casterId)), action.attackPercent);
}

/**
 * What a hit or a burn pulse leads to: a fall at 0 HP (the boss's ends the raid in
 * victory), otherwise, for the boss, perhaps a new phase. The party's defeat is checked by
 * the caller once every blow of the tick has landed.
 */
export function afterDamage(draft: Draft, targetId: string, cause: 'damage' | 'burn', byOracleId: string, boss: RaidBoss): void {
  const target = combatantIn(draft.state, targetId);
  if (isBoss(draft.state, targetId)) {
    if (target.hp === 0) victory(draft, { cause, byOracleId }, boss);
    else advancePhase(draft, boss);
    return;
  }
  if (target.hp === 0) emit(draft, { type: 'OracleFell', data: { oracleId: targetId, cause, byOracleId } });
}
