// Resolves a validated cast into events: the cast itself, then each effect of the ability
// in order on its target. Draws happen here and only here, in a fixed order per effect
// (damage: critical roll then variance roll; status: one proc roll), which is part of
// the rules version: changing it changes every replay.
import { matchupPercent, type Ability, type Content, type Effect, type StatusEffect } from '../content/index.ts';
import { nextInt } from '../shared/prng.ts';
import { absorb, effectiveAttack, healAmount, hitDamage, shieldAmount } from './damage.ts';
import { emit, type Draft } from './draft.ts';
import { percentOf } from './intMath.ts';
import { oracleIn, type StatusInstance } from './model.ts';
import { endIfDecided } from './outcome.ts';

type Cast = { casterId: string; targetId: string; ability: Ability; tick: number; content: Content };

export function resolveCast(draft: Draft, cast: Cast): void {
  const { casterId, targetId, ability } = cast;
  emit(draft, { type: 'AbilityCast', data: { casterId, abilityId: ability.id, targetId, readyAtTick: cast.tick + ability.cooldownTicks } });
  for (const effect of ability.effects) {
    // A fallen target takes no further effects, and an ended battle takes nothing at all.
    if (draft.state.status !== 'active' || oracleIn(draft.state, targetId).fallen) return;
    applyEffect(draft, cast, effect);
  }
}

function applyEffect(draft: Draft, cast: Cast, effect: Effect): void {
  switch (effect.kind) {
    case 'damage':
      return strike(draft, cast, effect.power);
    case 'heal':
      return heal(draft, cast, effect.power);
    case 'shield':
      return shield(draft, cast, effect.power);
    case 'burn':
    case 'stun':
    case 'weaken':
      return afflict(draft, cast, effect);
    default: {
      const _exhaustive: never = effect;
      return _exhaustive;
    }
  }
}

function strike(draft: Draft, cast: Cast, power: number): void {
  const { casterId, targetId, ability, content } = cast;
  const tuning = content.battle;
  const caster = oracleIn(draft.state, casterId);
  const target = oracleIn(draft.state, targetId);
  const [critRoll, afterCrit] = nextInt(draft.state.prng, 100);
  const [varianceRoll, prng] = nextInt(afterCrit, tuning.varianceMaxPercent - tuning.varianceMinPercent + 1);
  const critical = critRoll < tuning.critChancePercent;
  const variancePercent = tuning.varianceMinPercent + varianceRoll;
  const elementPercent = matchupPercent(content.elements.advantage, ability.element, target.element);
  const damage = hitDamage(
    { attack: effectiveAttack(caster), power, defense: target.stats.defense, elementPercent, variancePercent, critical },
    tuning,
  );
  const { absorbed, amount } = absorb(target, damage);
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
  if (target.hp - amount === 0) {
    emit(draft, { type: 'OracleFell', data: { oracleId: targetId, cause: 'damage', byOracleId: casterId } });
    endIfDecided(draft, 'defeat');
  }
}

function heal(draft: Draft, cast: Cast, power: number): void {
  const target = oracleIn(draft.state, cast.targetId);
  const amount = healAmount(target, percentOf(effectiveAttack(oracleIn(draft.state, cast.casterId)), power));
  emit(draft, {
    type: 'HealApplied',
    data: { sourceId: cast.casterId, targetId: cast.targetId, abilityId: cast.ability.id, amount, hpAfter: target.hp + amount },
  });
}

function shield(draft: Draft, cast: Cast, power: number): void {
  const target = oracleIn(draft.state, cast.targetId);
  const raised = percentOf(effectiveAttack(oracleIn(draft.state, cast.casterId)), power);
  const amount = shieldAmount(target, raised, cast.content.battle);
  emit(draft, {
    type: 'ShieldRaised',
    data: { sourceId: cast.casterId, targetId: cast.targetId, abilityId: cast.ability.id, amount, shieldAfter: target.shield + amount },
  });
}

function afflict(draft: Draft, cast: Cast, effect: StatusEffect): void {
  const { casterId, targetId, ability, tick } = cast;
  const [roll, prng] = nextInt(draft.state.prng, 100);
  const proc = { roll, chancePercent: effect.chancePercent, prng };
  if (roll < effect.chancePercent) {
    emit(draft, { type: 'StatusApplied', data: { targetId, abilityId: ability.id, status: statusFrom(effect, casterId, tick), ...proc } });
  } else {
    emit(draft, { type: 'StatusResisted', data: { sourceId: casterId, targetId, abilityId: ability.id, kind: effect.kind, ...proc } });
  }
}

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
