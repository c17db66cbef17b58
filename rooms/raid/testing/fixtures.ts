// Test support for raid specs: battle's round-numbered oracles, a test boss (the golem)
// with round numbers and one ability per phase (so its picks are forced and expected
// damage can be worked out by hand), content variants, and builders for events/commands.
import { contentByVersion, parseContent, type Content, type ContentInput } from '../../../events/content/index.ts';
import { ember, statusesAfter, tide, zephyr } from '../../battle/testing/fixtures.ts';
import { seedPrng } from '../../../events/tick/prng.ts';
import { checkAgainst, playOn } from '../../../events/testing/ruleTesting.ts';
import { specFor } from '../../../events/testing/specs.ts';
import { raidEventDefinitions, type RaidCreated } from '../events.ts';
import { raidRulesVersion, type RaidParticipant } from '../model.ts';
import { createRaidDecider } from '../rules.ts';

export const SEED = 'raid-spec-seed-0001';
export const START = 10;
export const TICK_LIMIT = 2000;
export const CADENCE = 40;

type BossInput = ContentInput['raidBosses'][number];

/** 1000 HP, 100 attack, no defense. Phases at 50 % (×150 % attack) and 20 % (×200 %); enrage at +600 (×200 %). */
export const golem = {
  id: 'golem', name: 'The Golem', element: 'earth',
  stats: { hp: 1000, attack: 100, defense: 0, speed: 0 },
  abilities: [
    { id: 'slam', name: 'Slam', element: 'earth', target: 'random_enemy', cooldownTicks: 40, windUpTicks: 0, effects: [{ kind: 'damage', power: 100 }] },
    { id: 'rockfall', name: 'Rockfall', element: 'earth', target: 'all_enemies', cooldownTicks: 80, windUpTicks: 20,
      effects: [{ kind: 'damage', power: 50 }, { kind: 'stun', chancePercent: 100, durationTicks: 10 }] },
    { id: 'crush', name: 'Crush', element: 'earth', target: 'highest_hp_enemy', cooldownTicks: 100, windUpTicks: 0, effects: [{ kind: 'damage', power: 200 }] },
    { id: 'harden', name: 'Harden', element: 'earth', target: 'self', cooldownTicks: 200, windUpTicks: 0, effects: [{ kind: 'shield', power: 100 }] },
    { id: 'frenzy', name: 'Frenzy', element: 'earth', target: 'lowest_hp_enemy', cooldownTicks: 40, windUpTicks: 0, effects: [{ kind: 'damage', power: 300 }] },
  ],
  phases: [
    { id: 'intact', name: 'Intact', fromHpPercent: 100, abilityIds: ['slam'], attackPercent: 100 },
    { id: 'cracked', name: 'Cracked', fromHpPercent: 50, abilityIds: ['rockfall'], attackPercent: 150 },
    { id: 'crumbling', name: 'Crumbling', fromHpPercent: 20, abilityIds: ['crush', 'harden'], attackPercent: 200 },
  ],
  enrage: { atTick: 600, attackPercent: 200, abilityIds: ['frenzy'] },
  drops: { rolls: 2, entries: [{ itemId: 'golem-core', weight: 3, minQuantity: 1, maxQuantity: 1 }, { itemId: 'golem-eye', weight: 1, minQuantity: 2, maxQuantity: 2 }] },
} satisfies BossInput;

const published = contentByVersion('2026.11.1');

/** Published content plus the golem, with the given tuning and status chances pinned by ability id. */
function variant(contentVersion: string, tuning: Partial<Content['battle']>, chances: Record<string, number>, bosses: (b: BossInput) => BossInput): Content {
  const base = structuredClone(published) as ContentInput;
  const pin = <A extends { id: string; effects: ContentInput['abilities'][number]['effects'] }>(ability: A): A => ({
    ...ability,
    effects: ability.effects.map((e) => ('chancePercent' in e && chances[ability.id] !== undefined ? { ...e, chancePercent: chances[ability.id] } : e)),
  });
  return parseContent({
    ...base,
    contentVersion,
    battle: { ...base.battle, ...tuning },
    abilities: base.abilities.map(pin),
    raidBosses: [...base.raidBosses, golem].map(bosses).map((b) => ({ ...b, abilities: b.abilities.map(pin) })),
  });
}

/** No crits, no variance; solar-flare burns and thunderclap stuns always, tidal-crash never weakens. */
export const steadyContent = variant('0000.1.1', { critChancePercent: 0, varianceMinPercent: 100, varianceMaxPercent: 100 },
  { 'solar-flare': 100, thunderclap: 100, 'tidal-crash': 0 }, (b) => b);

/** Dice on, and every boss shrunk (published ones: HP / 60, enrage / 40; the golem: HP / 4) so random raids end every way. */
export const quickContent = variant('0000.1.2', {}, {}, (b) =>
  b.id === 'golem'
    ? { ...b, stats: { ...b.stats, hp: Math.trunc(b.stats.hp / 4) } }
    : { ...b, stats: { ...b.stats, hp: Math.trunc(b.stats.hp / 60) }, enrage: { ...b.enrage, atTick: Math.trunc(b.enrage.atTick / 40) } });

const variants = [steadyContent, quickContent];
export const decider = createRaidDecider((version) => variants.find((c) => c.contentVersion === version) ?? contentByVersion(version));

/** Every spec event is checked against its zod schema, as the store would on append. */
export const given = specFor(decider, { checkEvent: checkAgainst(raidEventDefinitions) });

/** p1 (ember, fire, 500 HP) and p2 (zephyr, air, 400 HP). */
export const pair: RaidParticipant[] = [{ playerId: 'p1', oracles: [ember] }, { playerId: 'p2', oracles: [zephyr] }];
/** The pair plus p3 (tide, water, 450 HP). */
export const trio: RaidParticipant[] = [...pair, { playerId: 'p3', oracles: [tide] }];

const bossSnapshot = (id: string, content: Content) => {
  const boss = content.raidBosses.find((b) => b.id === id);
  if (!boss) throw new Error(`no boss ${id}`);
  return { bossId: boss.id, name: boss.name, element: boss.element, stats: { ...boss.stats }, phaseId: boss.phases[0]?.id ?? '' };
};

export function created(
  options: { participants?: RaidParticipant[]; bossId?: string; cadence?: number; tickLimit?: number; content?: Content } = {},
): RaidCreated {
  const content = options.content ?? steadyContent;
  return {
    type: 'RaidCreated',
    data: {
      raidId: 'r1',
      rulesVersion: raidRulesVersion,
      contentVersion: content.contentVersion,
      seed: SEED,
      startTick: START,
      tickLimit: options.tickLimit ?? TICK_LIMIT,
      bossCadenceTicks: options.cadence ?? CADENCE,
      boss: bossSnapshot(options.bossId ?? 'golem', content),
      participants: options.participants ?? pair,
    },
  };
}

// Commands and combat facts are battle's, so are their builders.
export { cast, forfeit, wounded } from '../../battle/testing/fixtures.ts';
export { draws } from '../../../events/testing/ruleTesting.ts';

export const seeded = seedPrng(SEED);

/** A status fact whose proc left the generator at `seeded` (this raid seed's), so later draws start from there. */
export const statusOn = statusesAfter(seeded);

/** A history extended by what the rules produce for each step (a command, or a tick's end). */
export const play = playOn(decider);
