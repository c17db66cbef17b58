// Resolves a validated cast into events: the cast itself, then each effect of the ability
// in order on its target. Draws happen here and only here, in a fixed order per effect
// (damage: critical roll then variance roll; status: one proc roll), which is part of
// the rules version: changing it changes every replay. Raid resolves its casts and boss
// abilities with effectEvent too, so both kinds share one draw order and one set of formulas.
import { matchupPercent, type Ability, type Content, type Effect, type Element, type StatusEffect } from '../../events/content/index.ts';
import { nextInt, type PrngState } from '../../events/tick/prng.ts';
import { absorb, effectiveAttack, healAmount, hitDamage, shieldAmount } from './damage.ts';
import { emit, type Draft } from './draft.ts';
import type { AbilityCast, DamageDealt, HealApplied, ShieldRaised, StatusApplied, StatusResisted } from './events.ts';
import { percentOf } from './intMath.ts';
import { oracleIn, type OracleState, type StatusInstance } from './model.ts';
import { endIfDecided } from './outcome.ts';

type Cast = { casterId: string; targetId: string; ability: Ability; tick: number; content: Content };

export function resolveCast(draft: Draft, cast: Cast): void {
  const { casterId, targetId, ability } = cast;
  emit(draft, castEvent(casterId, ability, targetId, cast.tick));
  for (const effect of ability.effects) {
    // A fallen target takes no further effects, and an ended battle takes nothing at all.
    if (draft.state.status !== 'active' || oracleIn(draft.state, targetId).fallen) return;
    const attack = effectiveAttack(oracleIn(draft.state, casterId));
    const landed = effectEvent(draft.state.prng, cast, effect, attack, oracleIn(draft.state, targetId));
    emit(draft, landed);
    if (landed.type === 'DamageDealt' && landed.data.hpAfter === 0) {
      emit(draft, { type: 'OracleFell', data: { oracleId: targetId, cause: 'damage', byOracleId: casterId } });
      endIfDecided(draft, 'defeat');
    }
  }
}

/** The cast itself, before its effects: the ability's cooldown runs from the tick of the cast. */
export function castEvent(casterId: string, ability: Pick<Ability, 'id' | 'cooldownTicks'>, targetId: string, tick: number): AbilityCast {
  return { type: 'AbilityCast', data: { casterId, abilityId: ability.id, targetId, readyAtTick: tick + ability.cooldownTicks } };
}

/** Who uses which ability on whom, when, and under which content. */
export type EffectUse = {
  readonly casterId: string;
  readonly targetId: string;
  readonly ability: { readonly id: string; readonly element: Element };
  readonly tick: number;
  readonly content: Content;
};

export type EffectEvent = DamageDealt | HealApplied | ShieldRaised | StatusApplied | StatusResisted;

/**
 * The event one effect of an ability produces on `target`. Damage, heals and shields scale
 * from `attack`, the caster's attack as the kind reckons it (battle: effectiveAttack).
 * Damage and status procs draw from `prng` and carry the generator state after their
 * draws; heals and shields draw nothing. What the event leads to (a fall, the end) is the
 * kind's to decide.
 */
export function effectEvent(prng: PrngState, use: EffectUse, effect: Effect, attack: number, target: OracleState): EffectEvent {
  switch (effect.kind) {
    case 'damage':
      return strike(prng, use, attack, effect.power, target);
    case 'heal': {
      const amount = healAmount(target, percentOf(attack, effect.power));
      return {
        type: 'HealApplied',
        data: { sourceId: use.casterId, targetId: use.targetId, abilityId: use.ability.id, amount, hpAfter: target.hp + amount },
      };
    }
    case 'shield': {
      const amount = shieldAmount(target, percentOf(attack, effect.power), use.content.battle);
      return {
        type: 'ShieldRaised',
        data: { sourceId: use.casterId, targetId: use.targetId, abilityId: use.ability.id, amount, shieldAfter: target.shield + amount },
      };
    }
    case 'burn':
    case 'stun':
    case 'weaken':
      return afflict(prng, use, effect);
    default: {
      const _exhaustive: never = effect;
      return _exhaustive;
    }
  }
}

function strike(from: PrngState, use: EffectUse, attack: number, power: number, target: OracleState): DamageDealt {
  const { casterId, targetId, ability, content } = use;
  const tuning = content.battle;
  const [critRoll, afterCrit] = nextInt(from, 100);
  const [varianceRoll, prng] = nextInt(afterCrit, tuning.varianceMaxPercent - tuning.varianceMinPercent + 1);
  const critical = critRoll < tuning.critChancePercent;
  const variancePercent = tuning.varianceMinPercent + varianceRoll;
  const elementPercent = matchupPercent(content.elements.advantage, ability.element, target.element);
  const damage = hitDamage({ attack, power, defense: target.stats.defense, elementPercent, variancePercent, critical }, tuning);
  const { absorbed, amount } = absorb(target, damage);
  return {
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
  };
}

function afflict(from: PrngState, use: EffectUse, effect: StatusEffect): StatusApplied | StatusResisted {
  const { casterId, targetId, ability, tick } = use;
  const [roll, prng] = nextInt(from, 100);
  const proc = { roll, chancePercent: effect.chancePercent, prng };
  if (roll < effect.chancePercent) {
    return { type: 'StatusApplied', data: { targetId, abilityId: ability.id, status: statusFrom(effect, casterId, tick), ...proc } };
  }
  return { type: 'StatusResisted', data: { sourceId: casterId, targetId, abilityId: ability.id, kind: effect.kind, ...proc } };
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
