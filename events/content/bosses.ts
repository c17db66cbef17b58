// Raid bosses as data: phases chosen by remaining HP, an enrage timer and a weighted drop
// table. The raid room that runs them lives elsewhere; the two pure helpers here are the
// parts of their interpretation that must be identical wherever a boss is simulated.
import { z } from 'zod';
import { nextInt, type PrngState } from '../tick/prng.ts';
import { AbilityId, BossAbility, Ticks } from './abilities.ts';
import { Element, MultiplierPercent } from './elements.ts';
import { Stats } from './stats.ts';

const Id = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'ids are kebab-case');

export const BossPhase = z.strictObject({
  id: Id,
  name: z.string().min(1).max(60),
  /** The phase begins once HP is at or below this percent of max HP. */
  fromHpPercent: z.int().min(1).max(100),
  abilityIds: z.array(AbilityId).min(1),
  /** Attack multiplier while in this phase (100 = unchanged). */
  attackPercent: MultiplierPercent,
});
export type BossPhase = z.infer<typeof BossPhase>;

export const Enrage = z.strictObject({
  /** Ticks after the raid starts; the room compares it with its own start tick. */
  atTick: Ticks,
  attackPercent: z.int().min(100).max(1000),
  /** Abilities added to the current phase's rotation once enraged. */
  abilityIds: z.array(AbilityId),
});
export type Enrage = z.infer<typeof Enrage>;

export const DropEntry = z
  .strictObject({
    itemId: Id,
    weight: z.int().min(1).max(1_000_000),
    minQuantity: z.int().min(1).max(1000),
    maxQuantity: z.int().min(1).max(1000),
  })
  .refine((entry) => entry.minQuantity <= entry.maxQuantity, 'minQuantity must not exceed maxQuantity');
export type DropEntry = z.infer<typeof DropEntry>;

export const DropTable = z.strictObject({
  /** Independent draws per kill; the same item may drop more than once. */
  rolls: z.int().min(1).max(10),
  entries: z.array(DropEntry).min(1).max(100),
});
export type DropTable = z.infer<typeof DropTable>;

export const RaidBoss = z
  .strictObject({
    id: Id,
    name: z.string().min(1).max(60),
    element: Element,
    stats: Stats,
    abilities: z.array(BossAbility).min(1),
    /** Ordered by strictly falling threshold; the first starts at 100 %. */
    phases: z.array(BossPhase).min(1),
    enrage: Enrage,
    drops: DropTable,
  })
  .superRefine((boss, ctx) => {
    const known = boss.abilities.map((ability) => ability.id);
    if (new Set(known).size !== known.length) ctx.addIssue({ code: 'custom', message: `${boss.id}: ability ids must be unique` });
    const referenced = [...boss.phases.flatMap((phase) => phase.abilityIds), ...boss.enrage.abilityIds];
    for (const id of referenced) {
      if (!known.includes(id)) ctx.addIssue({ code: 'custom', message: `${boss.id}: unknown ability ${id}` });
    }
    if (boss.phases[0]?.fromHpPercent !== 100) ctx.addIssue({ code: 'custom', message: `${boss.id}: the first phase must start at 100 %` });
    boss.phases.forEach((phase, index) => {
      const previous = boss.phases[index - 1];
      if (previous && phase.fromHpPercent >= previous.fromHpPercent) {
        ctx.addIssue({ code: 'custom', message: `${boss.id}: phase ${phase.id} must start below ${previous.fromHpPercent} %` });
      }
    });
    const itemIds = boss.drops.entries.map((entry) => entry.itemId);
    if (new Set(itemIds).size !== itemIds.length) ctx.addIssue({ code: 'custom', message: `${boss.id}: drop items must be unique` });
  });
export type RaidBoss = z.infer<typeof RaidBoss>;

/**
 * The phase for a boss at `hp`: the last phase whose threshold the HP has reached.
 * Cross-multiplied (hp × 100 ≤ threshold × max) so no division rounds a boundary away.
 */
export function phaseAt(boss: RaidBoss, hp: number): BossPhase {
  let current = boss.phases[0];
  for (const phase of boss.phases) {
    if (hp * 100 <= phase.fromHpPercent * boss.stats.hp) current = phase;
  }
  if (!current) throw new Error(`boss ${boss.id} has no phases`);
  return current;
}

export type Drop = { itemId: string; quantity: number };

/** Draws `rolls` items by integer weight, each with a uniform quantity in its range. */
export function rollDrops(table: DropTable, prng: PrngState): [Drop[], PrngState] {
  const total = table.entries.reduce((sum, entry) => sum + entry.weight, 0);
  const drops: Drop[] = [];
  let state = prng;
  for (let roll = 0; roll < table.rolls; roll++) {
    const [pick, afterPick] = nextInt(state, total);
    const entry = entryAt(table.entries, pick);
    const [extra, afterQuantity] = nextInt(afterPick, entry.maxQuantity - entry.minQuantity + 1);
    drops.push({ itemId: entry.itemId, quantity: entry.minQuantity + extra });
    state = afterQuantity;
  }
  return [drops, state];
}

/** The entry whose cumulative weight band contains `pick` (0 ≤ pick < total weight). */
function entryAt(entries: readonly DropEntry[], pick: number): DropEntry {
  let remaining = pick;
  for (const entry of entries) {
    if (remaining < entry.weight) return entry;
    remaining -= entry.weight;
  }
  throw new RangeError(`drop pick ${pick} is beyond the table's total weight`);
}
