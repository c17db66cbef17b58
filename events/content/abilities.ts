// Abilities as data: what they cost (cooldown), what element they carry and which effects
// they resolve, in order. Oracle abilities and boss abilities share the effect vocabulary
// and differ only in how they pick targets.
import { z } from 'zod';
import { Element } from './elements.ts';

export const AbilityId = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'ability ids are kebab-case, e.g. solar-flare');
export type AbilityId = z.infer<typeof AbilityId>;

/** Durations and cooldowns count room ticks (battles run at ~20 Hz, so 20 ticks ≈ 1 s). */
export const Ticks = z.int().min(1).max(72_000);
/** Scales with the caster's attack, in integer percent (120 = 1.2 × attack). */
const Power = z.int().min(1).max(1000);
const ChancePercent = z.int().min(0).max(100);

export const DamageEffect = z.strictObject({ kind: z.literal('damage'), power: Power });
export const HealEffect = z.strictObject({ kind: z.literal('heal'), power: Power });
export const ShieldEffect = z.strictObject({ kind: z.literal('shield'), power: Power });
export const BurnEffect = z.strictObject({
  kind: z.literal('burn'),
  chancePercent: ChancePercent,
  durationTicks: Ticks,
  /** Flat damage per pulse: burns ignore attack, defense and element. */
  damagePerPulse: z.int().min(1).max(100_000),
  pulseEveryTicks: Ticks,
});
export const StunEffect = z.strictObject({ kind: z.literal('stun'), chancePercent: ChancePercent, durationTicks: Ticks });
export const WeakenEffect = z.strictObject({
  kind: z.literal('weaken'),
  chancePercent: ChancePercent,
  durationTicks: Ticks,
  /** Capped below 100 so a weakened attacker still deals damage. */
  attackReductionPercent: z.int().min(1).max(90),
});

export const Effect = z.discriminatedUnion('kind', [DamageEffect, HealEffect, ShieldEffect, BurnEffect, StunEffect, WeakenEffect]);
export type Effect = z.infer<typeof Effect>;
export type StatusEffect = Extract<Effect, { kind: StatusKind }>;

export const statusKinds = ['burn', 'stun', 'weaken'] as const;
export const StatusKind = z.enum(statusKinds);
export type StatusKind = z.infer<typeof StatusKind>;

export function isStatusEffect(effect: Effect): effect is StatusEffect {
  return effect.kind === 'burn' || effect.kind === 'stun' || effect.kind === 'weaken';
}

/** Heals and shields help; everything else harms. An ability must not mix the two. */
export function isHelpful(effect: Effect): boolean {
  return effect.kind === 'heal' || effect.kind === 'shield';
}

const abilityFields = {
  id: AbilityId,
  name: z.string().min(1).max(60),
  element: Element,
  cooldownTicks: Ticks,
  effects: z.array(Effect).min(1).max(4),
};

/** Harmful effects must aim at enemies and helpful ones at allies, so content cannot heal a foe. */
function effectsMatchTarget(ability: { target: string; effects: readonly Effect[] }, aimsAtEnemies: boolean, ctx: z.RefinementCtx): void {
  for (const effect of ability.effects) {
    if (isHelpful(effect) === aimsAtEnemies) {
      const side = aimsAtEnemies ? 'an enemy' : 'an ally or self';
      ctx.addIssue({ code: 'custom', message: `${effect.kind} effect cannot be used by an ability aimed at ${side} (target ${ability.target})` });
    }
  }
}

export const AbilityTarget = z.enum(['enemy', 'ally', 'self']);
export type AbilityTarget = z.infer<typeof AbilityTarget>;

/** An oracle ability: the caster picks one target; `ally` includes the caster. */
export const Ability = z
  .strictObject({ ...abilityFields, target: AbilityTarget })
  .superRefine((ability, ctx) => effectsMatchTarget(ability, ability.target === 'enemy', ctx));
export type Ability = z.infer<typeof Ability>;

/** Bosses pick targets by rule, since a raid has many players and no one aims for the boss. */
export const BossTarget = z.enum(['random_enemy', 'all_enemies', 'highest_hp_enemy', 'lowest_hp_enemy', 'self']);
export type BossTarget = z.infer<typeof BossTarget>;

export const BossAbility = z
  .strictObject({
    ...abilityFields,
    target: BossTarget,
    /** Telegraph before the effects land, so players can react (0 = instant). */
    windUpTicks: z.int().min(0).max(600),
  })
  .superRefine((ability, ctx) => effectsMatchTarget(ability, ability.target !== 'self', ctx));
export type BossAbility = z.infer<typeof BossAbility>;
