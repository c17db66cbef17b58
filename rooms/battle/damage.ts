// The combat formulas, as integer functions of plain numbers, so they can be read, tested
// and tuned without a battle around them.
import type { BattleTuning } from '../../events/content/index.ts';
import { idiv, percentOf } from './intMath.ts';
import type { OracleState } from './model.ts';

/** Attack after a weaken, if any. Heals and shields scale from it too: a weakened oracle is weaker at everything. */
export function effectiveAttack(oracle: OracleState): number {
  const weaken = oracle.statuses.find((s) => s.kind === 'weaken');
  return weaken ? percentOf(oracle.stats.attack, 100 - weaken.attackReductionPercent) : oracle.stats.attack;
}

export type HitInput = {
  attack: number;
  power: number;
  defense: number;
  elementPercent: number;
  variancePercent: number;
  critical: boolean;
};

/**
 * attack × power%, reduced by defense as 100 / (100 + defense) (each point of defense is
 * worth less than the last, and no defense makes an oracle immune), then the element
 * matchup, the variance roll and a critical, truncating after each step; never below
 * the tuning's minimum damage.
 */
export function hitDamage(hit: HitInput, tuning: BattleTuning): number {
  const raw = percentOf(hit.attack, hit.power);
  const mitigated = idiv(raw * 100, 100 + hit.defense);
  const elemental = percentOf(mitigated, hit.elementPercent);
  const varied = percentOf(elemental, hit.variancePercent);
  const landed = hit.critical ? percentOf(varied, tuning.critDamagePercent) : varied;
  return Math.max(tuning.minDamage, landed);
}

/** Shields soak damage first; HP takes the rest, down to zero and no further. */
export function absorb(target: Pick<OracleState, 'hp' | 'shield'>, damage: number): { absorbed: number; amount: number } {
  const absorbed = Math.min(target.shield, damage);
  const amount = Math.min(target.hp, damage - absorbed);
  return { absorbed, amount };
}

/** Heals stop at max HP. */
export function healAmount(target: OracleState, heal: number): number {
  return Math.min(target.stats.hp - target.hp, heal);
}

/** Shields stack up to a share of max HP, so stacking support cannot make an oracle unkillable. */
export function shieldAmount(target: OracleState, shield: number, tuning: BattleTuning): number {
  const cap = percentOf(target.stats.hp, tuning.shieldCapPercent);
  return Math.max(0, Math.min(cap - target.shield, shield));
}
