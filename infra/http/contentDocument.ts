// The game's content as a client needs it to build its UI, from one content version:
// oracles (signs, elements, how a chart becomes stats and abilities), abilities with their
// targeting, cooldowns and effects, battle tuning, raid bosses and their phases, ritual rites
// and rhythms, the codex's public parts (no lore: that is earned) and the shop. The zod
// schemas below are the response of GET /content/:version, its OpenAPI description, and the
// source of the generated C# and TypeScript classes (infra/codegen/contentTypes.ts).
//
// Unions are flattened (an effect is one object whose fields depend on its `kind`), and
// every nested object has a name, so the generated classes are plain and the same in every
// language.
import { z } from 'zod';
import type { Content } from '../../events/content/content.ts';
import type { Codex } from '../../events/content/codex.ts';
import type { RitualContent } from '../../rooms/ritual/content.ts';
import type { ProductCatalog } from '../../commands/purchases/catalog.ts';

const Int = z.int();
const Element = z.enum(['fire', 'earth', 'air', 'water']);
const Target = z.enum(['enemy', 'ally', 'self']).describe('enemy: a standing oracle of the other side (battle) or the boss (raid); ally: a standing oracle of your side or party, yourself included; self: the casting oracle only');

export const ContentStats = z.object({ hp: Int, attack: Int, defense: Int, speed: Int }).meta({ id: 'ContentStats' });

export const ContentEffect = z
  .object({
    kind: z.enum(['damage', 'heal', 'shield', 'burn', 'stun', 'weaken']),
    /** damage, heal, shield: percent of the caster's attack. */
    power: Int.optional(),
    /** burn, stun, weaken: the chance to apply, in percent. */
    chancePercent: Int.optional(),
    durationTicks: Int.optional(),
    damagePerPulse: Int.optional(),
    pulseEveryTicks: Int.optional(),
    attackReductionPercent: Int.optional(),
  })
  .meta({ id: 'ContentEffect', description: 'One effect of an ability, resolved in order. damage/heal/shield carry power; burn, stun and weaken a chance and a duration (burn: damage per pulse; weaken: attack reduction).' });

export const ContentAbility = z
  .object({
    id: z.string(),
    name: z.string(),
    element: Element,
    target: Target,
    /** Abilities cost nothing but their cooldown. */
    cooldownTicks: Int,
    effects: z.array(ContentEffect),
  })
  .meta({ id: 'ContentAbility', description: 'An oracle ability: what CastAbility may name, whom it may target (targetId), and its cooldown in room ticks (20 a second).' });

export const ContentTargeting = z
  .object({ target: Target, battle: z.string(), raid: z.string() })
  .meta({ id: 'ContentTargeting', description: 'What targetId a CastAbility of an ability with this target must name, per room kind; anything else is refused with battle/invalid_target or raid/invalid_target.' });

export const ContentElement = z
  .object({ id: Element, advantagePercent: z.record(z.string(), Int).describe('damage multiplier in percent against each defending element') })
  .meta({ id: 'ContentElement' });

export const ContentSign = z.object({ id: z.string(), name: z.string(), element: Element, modality: z.enum(['cardinal', 'fixed', 'mutable']) }).meta({ id: 'ContentSign' });

export const ContentOracleRules = z
  .object({
    baseStats: ContentStats,
    placementWeights: z.record(z.string(), Int).describe('affinity points per placement (sun, moon, rising)'),
    statsPerAffinity: z.record(z.string(), ContentStats).describe('stats added per affinity point of an element'),
    statsPerModality: z.record(z.string(), ContentStats).describe('stats added per placement weight of a sign of that modality'),
    loadout: z.record(z.string(), z.record(z.string(), z.string())).describe('placement → element of its sign → the ability id it grants'),
  })
  .meta({ id: 'ContentOracleRules', description: 'How a chart (sun, moon, rising) becomes an oracle: its element, stats and three abilities.' });

export const ContentBattleTuning = z
  .object({
    critChancePercent: Int, critDamagePercent: Int, varianceMinPercent: Int, varianceMaxPercent: Int,
    minDamage: Int, shieldCapPercent: Int, defaultTickLimit: Int, maxTickLimit: Int,
  })
  .meta({ id: 'ContentBattleTuning' });

export const ContentBossAbility = z
  .object({
    id: z.string(), name: z.string(), element: Element,
    target: z.enum(['random_enemy', 'all_enemies', 'highest_hp_enemy', 'lowest_hp_enemy', 'self']),
    cooldownTicks: Int, windUpTicks: Int.describe('telegraph before it lands (castingLandsAtTick in RaidBoss)'), effects: z.array(ContentEffect),
  })
  .meta({ id: 'ContentBossAbility' });

export const ContentBossPhase = z
  .object({ id: z.string(), name: z.string(), fromHpPercent: Int, abilityIds: z.array(z.string()), attackPercent: Int })
  .meta({ id: 'ContentBossPhase' });

export const ContentEnrage = z.object({ atTick: Int, attackPercent: Int, abilityIds: z.array(z.string()) }).meta({ id: 'ContentEnrage' });
export const ContentDrop = z.object({ itemId: z.string(), weight: Int, minQuantity: Int, maxQuantity: Int }).meta({ id: 'ContentDrop' });

export const ContentBoss = z
  .object({
    id: z.string(), name: z.string(), element: Element, stats: ContentStats,
    abilities: z.array(ContentBossAbility), phases: z.array(ContentBossPhase), enrage: ContentEnrage,
    dropRolls: Int, drops: z.array(ContentDrop),
  })
  .meta({ id: 'ContentBoss', description: 'A raid boss (raid setup bossId): phases by remaining HP, an enrage timer, a weighted drop table.' });

export const ContentRitualStep = z
  .object({ rite: z.enum(['invoke', 'offer', 'chant', 'seal']), seat: Int.describe('seat index, or -1 for any seat'), earliest: Int, latest: Int })
  .meta({ id: 'ContentRitualStep', description: 'One rite and its rhythm window, in ritual ticks (5 a second) after the previous rite.' });

export const ContentRitual = z
  .object({
    id: z.string(), name: z.string(), minParticipants: Int, maxParticipants: Int, allowedMissteps: Int,
    steps: z.array(ContentRitualStep), codexEntries: z.array(z.string()), anointments: z.array(z.string()),
    omenAnointment: z.string().nullable(), omenChancePercent: z.number().describe('chance of the omen on success, in percent (0 when there is none)'),
  })
  .meta({ id: 'ContentRitual' });

export const ContentCodexEntry = z
  .object({
    id: z.string(), title: z.string(), category: z.string(), hint: z.string(),
    unlockKind: z.string(), unlockAtLeast: Int.optional(), unlockBossId: z.string().optional(), unlockElement: z.string().optional(), unlockDeed: z.string().optional(),
  })
  .meta({ id: 'ContentCodexEntry', description: 'A codex entry as anyone may see it: title, category, the hint and what unlocks it; its lore comes with the unlock (GET /players/{id}/codex).' });

export const ContentGrant = z.object({ currency: z.string(), amount: Int }).meta({ id: 'ContentGrant' });
export const ContentShopItem = z
  .object({ sku: z.string(), name: z.string(), grants: z.array(ContentGrant), productIds: z.record(z.string(), z.array(z.string())).describe('platform → the platform product ids that buy this sku') })
  .meta({ id: 'ContentShopItem' });

export const ClientContent = z
  .object({
    contentVersion: z.string(),
    active: z.boolean().describe('whether new rooms take this version now'),
    tickHz: z.object({ battle: Int, raid: Int, ritual: Int }).meta({ id: 'ContentTickRates' }),
    targeting: z.array(ContentTargeting),
    elements: z.array(ContentElement),
    signs: z.array(ContentSign),
    oracle: ContentOracleRules,
    abilities: z.array(ContentAbility),
    battle: ContentBattleTuning,
    raidBosses: z.array(ContentBoss),
    ritualContentVersion: z.string(),
    rituals: z.array(ContentRitual),
    codexVersion: z.string(),
    codex: z.array(ContentCodexEntry),
    shopVersion: z.string(),
    shop: z.array(ContentShopItem),
  })
  .meta({ id: 'ClientContent', description: 'Everything a client needs to build its UI for one content version.' });
export type ClientContent = z.infer<typeof ClientContent>;

export const targetingRules: z.infer<typeof ContentTargeting>[] = [
  { target: 'enemy', battle: 'a standing oracle of the other side', raid: 'the boss, by its bossId' },
  { target: 'ally', battle: 'a standing oracle of your own side, the caster included', raid: 'a standing party oracle (any player\'s), the caster included' },
  { target: 'self', battle: 'the casting oracle itself', raid: 'the casting oracle itself' },
];

type Effect = Content['abilities'][number]['effects'][number];

function effect(e: Effect): z.infer<typeof ContentEffect> {
  return { ...e };
}

export type ContentSources = { content: Content; active: boolean; codex: Codex; rituals: RitualContent; products: ProductCatalog };

/** The client view of one content version. Pure: the same sources give the same document, byte for byte. */
export function clientContent({ content, active, codex, rituals, products }: ContentSources): ClientContent {
  const skuProducts = (sku: string) =>
    Object.fromEntries(Object.entries(products.platforms).map(([platform, ids]) => [platform, Object.entries(ids).filter(([, s]) => s === sku).map(([id]) => id)]));
  return {
    contentVersion: content.contentVersion,
    active,
    tickHz: { battle: 20, raid: 20, ritual: 5 },
    targeting: targetingRules,
    elements: Object.entries(content.elements.advantage).map(([id, advantagePercent]) => ({ id: id as z.infer<typeof Element>, advantagePercent: { ...advantagePercent } })),
    signs: content.signs.map((sign) => ({ ...sign })),
    oracle: {
      baseStats: { ...content.oracle.baseStats },
      placementWeights: { ...content.oracle.placementWeights },
      statsPerAffinity: Object.fromEntries(Object.entries(content.oracle.statsPerAffinity).map(([k, v]) => [k, { ...v }])),
      statsPerModality: Object.fromEntries(Object.entries(content.oracle.statsPerModality).map(([k, v]) => [k, { ...v }])),
      loadout: Object.fromEntries(Object.entries(content.oracle.loadout).map(([k, v]) => [k, { ...v }])),
    },
    abilities: content.abilities.map((a) => ({ id: a.id, name: a.name, element: a.element, target: a.target, cooldownTicks: a.cooldownTicks, effects: a.effects.map(effect) })),
    battle: { ...content.battle },
    raidBosses: content.raidBosses.map((boss) => ({
      id: boss.id, name: boss.name, element: boss.element, stats: { ...boss.stats },
      abilities: boss.abilities.map((a) => ({ id: a.id, name: a.name, element: a.element, target: a.target, cooldownTicks: a.cooldownTicks, windUpTicks: a.windUpTicks, effects: a.effects.map(effect) })),
      phases: boss.phases.map((p) => ({ ...p, abilityIds: [...p.abilityIds] })),
      enrage: { ...boss.enrage, abilityIds: [...boss.enrage.abilityIds] },
      dropRolls: boss.drops.rolls,
      drops: boss.drops.entries.map((d) => ({ ...d })),
    })),
    ritualContentVersion: rituals.version,
    rituals: rituals.rituals.map((r) => ({
      id: r.id, name: r.name, minParticipants: r.minParticipants, maxParticipants: r.maxParticipants, allowedMissteps: r.allowedMistakes,
      steps: r.steps.map((s) => ({ rite: s.rite, seat: s.seat === 'any' ? -1 : s.seat, earliest: s.window.earliest, latest: s.window.latest })),
      codexEntries: [...r.unlocks.codexEntries], anointments: [...r.unlocks.anointments],
      omenAnointment: r.omen?.anointment ?? null,
      omenChancePercent: r.omen ? Math.round((r.omen.numerator * 10_000) / r.omen.denominator) / 100 : 0,
    })),
    codexVersion: codex.codexVersion,
    codex: codex.entries.map((entry) => {
      const { kind, ...rule } = entry.unlock;
      const unlock = rule as { atLeast?: number; bossId?: string; element?: string; deed?: string };
      return {
        id: entry.id, title: entry.title, category: entry.category, hint: entry.hint, unlockKind: kind,
        ...(unlock.atLeast === undefined ? {} : { unlockAtLeast: unlock.atLeast }),
        ...(unlock.bossId === undefined ? {} : { unlockBossId: unlock.bossId }),
        ...(unlock.element === undefined ? {} : { unlockElement: unlock.element }),
        ...(unlock.deed === undefined ? {} : { unlockDeed: unlock.deed }),
      };
    }),
    shopVersion: products.version,
    shop: Object.entries(products.skus).map(([sku, bundle]) => ({ sku, name: bundle.name, grants: bundle.grants.map((g) => ({ ...g })), productIds: skuProducts(sku) })),
  };
}
