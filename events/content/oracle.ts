// Turns an astrological chart into an oracle template: element affinities, integer stats
// and a loadout. Pure and integer-only, so the same chart gives the same oracle on every
// machine and in every replay of a given content version.
import { z } from 'zod';
import { AbilityId } from './abilities.ts';
import type { Content } from './content.ts';
import { Element, elements } from './elements.ts';
import { type StatBonus, Stats } from './stats.ts';
import { Chart, placements, signById } from './zodiac.ts';

export const Affinity = z.strictObject({ element: Element, weight: z.int().min(0).max(100) });
export type Affinity = z.infer<typeof Affinity>;

export const OracleTemplate = z.strictObject({
  chart: Chart,
  /** The dominant element; it decides how abilities aimed at this oracle fare. */
  element: Element,
  /** One entry per element, in canonical element order. */
  affinities: z.array(Affinity).length(elements.length),
  stats: Stats,
  abilityIds: z.array(AbilityId).min(1).max(4),
});
export type OracleTemplate = z.infer<typeof OracleTemplate>;

export function deriveOracle(chart: Chart, content: Content): OracleTemplate {
  const rules = content.oracle;
  const placed = placements.map((placement) => ({
    placement,
    sign: signById(content.signs, chart[placement]),
    weight: rules.placementWeights[placement],
  }));

  const affinities = elements.map((element) => ({
    element,
    weight: placed.filter((p) => p.sign.element === element).reduce((sum, p) => sum + p.weight, 0),
  }));
  const top = Math.max(...affinities.map((a) => a.weight));
  // Ties go to the stronger placement (sun, then moon, then rising): the chart's own order.
  const dominant = placed.find((p) => affinities.some((a) => a.element === p.sign.element && a.weight === top));
  if (!dominant) throw new Error('a chart always has a dominant element');

  let stats: Stats = { ...rules.baseStats };
  for (const p of placed) {
    stats = addBonus(stats, rules.statsPerAffinity[p.sign.element], p.weight);
    stats = addBonus(stats, rules.statsPerModality[p.sign.modality], p.weight);
  }

  const granted = placed.map((p) => rules.loadout[p.placement][p.sign.element]);
  const abilityIds = granted.filter((id, index) => granted.indexOf(id) === index);

  return { chart: { ...chart }, element: dominant.sign.element, affinities, stats, abilityIds };
}

function addBonus(stats: Stats, bonus: StatBonus, times: number): Stats {
  return {
    hp: stats.hp + bonus.hp * times,
    attack: stats.attack + bonus.attack * times,
    defense: stats.defense + bonus.defense * times,
    speed: stats.speed + bonus.speed * times,
  };
}
