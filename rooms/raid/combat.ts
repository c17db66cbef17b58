// Resolves an ability's effects from one combatant on one target, for party casts and boss
// abilities alike, with battle's formulas (damage.ts) and the same draw order as battle
// (damage: critical roll then variance roll; status: one proc roll), which is part of the
// rules version: changing it changes every replay.
import { matchupPercent, type Content, type Effect, type Element, type RaidBoss, type StatusEffect } from '../content/index.ts';
import { absorb, effectiveAttack, healAmount, hitDamage, shieldAmount } from '../battle/damage.ts';
import { percentOf } from '../battle/intMath.ts';
import type { OracleState, StatusInstance } from '../battle/model.ts';
import { nextInt } from '../shared/prng.ts';
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
    applyEffect(draft, action, effect);
  }
}

function applyEffect(draft: Draft, action: Action, effect: Effect): void {
  switch (effect.kind) {
    case 'damage':
      return strike(draft, action, effect.power);
    case 'heal':
      return heal(draft, action, effect.power);
    case 'shield':
      return shield(draft, action, effect.power);
    case 'burn':
    case 'stun':
    case 'weaken':
      return afflict(draft, action, effect);
    default: {
      const _exhaustive: never = effect;
      return _exhaustive;
    }
  }
}

/** Weakens count first (battle's effectiveAttack), then the boss's multiplier. */
function attackOf(draft: Draft, action: Action): number {
  return percentOf(effectiveAttack(combatantIn(draft.state, action.casterId)), action.attackPercent);
}

function strike(draft: Draft, action: Action, power: number): void {
  const { casterId, targetId, ability, content } = action;
  const tuning = content.battle;
  const target = combatantIn(draft.state, targetId);
  const [critRoll, afterCrit] = nextInt(draft.state.prng, 100);
  const [varianceRoll, prng] = nextInt(afterCrit, tuning.varianceMaxPercent - tuning.varianceMinPercent + 1);
  const critical = critRoll < tuning.critChancePercent;
  const variancePercent = tuning.varianceMinPercent + varianceRoll;
  const elementPercent = matchupPercent(content.elements.advantage, ability.element, target.element);
  const damage = hitDamage(
    { attack: attackOf(draft, action), power, defense: target.stats.defense, elementPercent, variancePercent, critical },
    tuning,
  );
  const { absorbed, amount } = soak(target, damage);
  emit(draft, {
    type: 'DamageDealt',
    data: {
      sourceId: casterId,
      targetId,
      amount,
      absorbed,
      hpAfter: target.hp - amount,
      shieldAfter: target.shield - absorbed,
      cause: { kind: 'ability', abilityId: ability.id, elementPercent, variancePercent, critical, prng },
    },
  });
  afterDamage(draft, targetId, 'damage', casterId, action.boss);
}

/**
 * Shields soak first (battle's absorb), then HP takes the rest down to 0 and no further.
 * The cap is applied here because battle's absorb leaves HP loss uncapped (at the time of
 * writing); once it caps, this is a no-op.
 */
export function soak(target: Pick<OracleState, 'hp' | 'shield'>, damage: number): { absorbed: number; amount: number } {
  const { absorbed, amount } = absorb(target, damage);
  return { absorbed, amount: Math.min(amount, target.hp) };
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

function heal(draft: Draft, action: Action, power: number): void {
  const target = combatantIn(draft.state, action.targetId);
  const amount = healAmount(target, percentOf(attackOf(draft, action), power));
  emit(draft, {
    type: 'HealApplied',
    data: { sourceId: action.casterId, targetId: action.targetId, abilityId: action.ability.id, amount, hpAfter: target.hp + amount },
  });
}

function shield(draft: Draft, action: Action, power: number): void {
  const target = combatantIn(draft.state, action.targetId);
  const amount = shieldAmount(target, percentOf(attackOf(draft, action), power), action.content.battle);
  emit(draft, {
    type: 'ShieldRaised',
    data: { sourceId: action.casterId, targetId: action.targetId, abilityId: action.ability.id, amount, shieldAfter: target.shield + amount },
  });
}

function afflict(draft: Draft, action: Action, effect: StatusEffect): void {
  const { casterId, targetId, ability, tick } = action;
  const [roll, prng] = nextInt(draft.state.prng, 100);
  const proc = { roll, chancePercent: effect.chancePercent, prng };
  if (roll < effect.chancePercent) {
    emit(draft, { type: 'StatusApplied', data: { targetId, abilityId: ability.id, status: statusFrom(effect, casterId, tick), ...proc } });
  } else {
    emit(draft, { type: 'StatusResisted', data: { sourceId: casterId, targetId, abilityId: ability.id, kind: effect.kind, ...proc } });
  }
}

// Battle keeps its equivalent private to resolve.ts; the status shapes themselves are battle's.
function statusFrom(effect: StatusEffect, sourceId: string, tick: number): StatusInstance {
  const timing = { sourceId, appliedAtTick: tick, expiresAtTick: tick + effect.durationTicks };
  switch (effect.kind) {
    case 'burn':
      return { kind: 'burn', ...timing, damagePerPulse: effect.damagePerPulse, pulseEveryTicks: effect.pulseEveryTicks };
    case 'stun':
      return { kind: 'stun', ...timing };
    case 'weaken':
      return { kind: 'weaken', ...timing, attackReductionPercent: effect.attackReductionPercent };
    default: {
      const _exhaustive: never = effect;
      return _exhaustive;
    }
  }
}
