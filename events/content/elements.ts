// The four elements and the shape of their advantage table. The numbers live in content
// data; this module fixes the element ids (code switches on them) and the one lookup.
import { z } from 'zod';

/** Canonical order: anything listed per element (affinities, tables) follows it. */
export const elements = ['fire', 'earth', 'air', 'water'] as const;
export const Element = z.enum(elements);
export type Element = z.infer<typeof Element>;

/** An integer multiplier in percent: 125 is +25 %, 80 is -20 %. */
export const MultiplierPercent = z.int().min(1).max(1000);

/**
 * advantage[attacker][defender] in integer percent. A record keyed by the element enum
 * is exhaustive in zod 4, so a table with a missing cell does not validate.
 */
export const AdvantageTable = z.record(Element, z.record(Element, MultiplierPercent));
export type AdvantageTable = z.infer<typeof AdvantageTable>;

export function matchupPercent(table: AdvantageTable, attacker: Element, defender: Element): number {
  return table[attacker][defender];
}
