// The whole content of one version: everything the rules read that designers tune.
// Cross-references (loadouts naming abilities, unique ids) are checked here, so code that
// holds a `Content` never has to handle a dangling id.
import { z } from 'zod';
import { Ability, AbilityId } from './abilities.ts';
import { RaidBoss } from './bosses.ts';
import { AdvantageTable, Element } from './elements.ts';
import { StatBonus, Stats } from './stats.ts';
import { Modality, Placement, Signs } from './zodiac.ts';
import { emptyQuestBook, QuestBook } from './quests.ts';

/** `year.month.patch`, e.g. 2026.11.1. Recorded in every battle's creation event. */
export const ContentVersion = z.string().regex(/^\d{4}\.\d{1,2}\.\d{1,3}$/, 'content versions look like 2026.11.1');
export type ContentVersion = z.infer<typeof ContentVersion>;

/** How chart placements turn into stats and abilities (see deriveOracle). */
export const OracleRules = z.strictObject({
  baseStats: Stats,
  /** Affinity points each placement gives its sign's element. */
  placementWeights: z.record(Placement, z.int().min(1).max(10)),
  /** Added once per affinity point of an element. */
  statsPerAffinity: z.record(Element, StatBonus),
  /** Added once per placement weight of a sign with that modality. */
  statsPerModality: z.record(Modality, StatBonus),
  /** The ability a placement grants, by the element of the sign in it. */
  loadout: z.record(Placement, z.record(Element, AbilityId)),
});
export type OracleRules = z.infer<typeof OracleRules>;

/** Battle-wide numbers; all integer percent or ticks. */
export const BattleTuning = z
  .strictObject({
    critChancePercent: z.int().min(0).max(100),
    critDamagePercent: z.int().min(100).max(500),
    varianceMinPercent: z.int().min(50).max(100),
    varianceMaxPercent: z.int().min(100).max(200),
    /** Floor for a landed hit, so a huge defense cannot make an oracle untouchable. */
    minDamage: z.int().min(0).max(100),
    /** Shields stack up to this share of the target's max HP. */
    shieldCapPercent: z.int().min(1).max(500),
    defaultTickLimit: z.int().min(20).max(72_000),
    maxTickLimit: z.int().min(20).max(72_000),
  })
  .refine((t) => t.varianceMinPercent <= t.varianceMaxPercent, 'varianceMinPercent must not exceed varianceMaxPercent')
  .refine((t) => t.defaultTickLimit <= t.maxTickLimit, 'defaultTickLimit must not exceed maxTickLimit');
export type BattleTuning = z.infer<typeof BattleTuning>;

export const Content = z
  .strictObject({
    contentVersion: ContentVersion,
    elements: z.strictObject({ advantage: AdvantageTable }),
    signs: Signs,
    oracle: OracleRules,
    abilities: z.array(Ability).min(1),
    battle: BattleTuning,
    raidBosses: z.array(RaidBoss),
    /** Quests, story chapters and achievements (quests.ts); content published without them offers none. */
    quests: QuestBook.default(emptyQuestBook),
  })
  .superRefine((content, ctx) => {
    const abilityIds = content.abilities.map((ability) => ability.id);
    if (new Set(abilityIds).size !== abilityIds.length) ctx.addIssue({ code: 'custom', message: 'ability ids must be unique' });
    for (const placement of Placement.options) {
      for (const element of Element.options) {
        const id = content.oracle.loadout[placement][element];
        if (!abilityIds.includes(id)) {
          ctx.addIssue({ code: 'custom', path: ['oracle', 'loadout', placement, element], message: `unknown ability ${id}` });
        }
      }
    }
    const bossIds = content.raidBosses.map((boss) => boss.id);
    if (new Set(bossIds).size !== bossIds.length) ctx.addIssue({ code: 'custom', message: 'raid boss ids must be unique' });
    for (const message of questBossProblems(content.quests, content.raidBosses)) ctx.addIssue({ code: 'custom', path: ['quests'], message });
  });
export type Content = z.infer<typeof Content>;
/** What a data file provides, before defaults and validation. */
export type ContentInput = z.input<typeof Content>;

/** Raid bosses and phases the quest book names must exist in the same content. */
function questBossProblems(book: QuestBook, bosses: readonly RaidBoss[]): string[] {
  const named = [
    ...book.quests.flatMap((q) => q.objectives.flatMap((o) => (o.kind === 'raid_boss_defeated' && o.bossId ? [{ at: q.id, bossId: o.bossId, phaseId: o.phaseId }] : []))),
    ...book.chapters.flatMap((c) => (c.encounter?.kind === 'raid' ? [{ at: c.id, bossId: c.encounter.bossId, phaseId: undefined }] : [])),
  ];
  return named.flatMap(({ at, bossId, phaseId }) => {
    const boss = bosses.find((b) => b.id === bossId);
    if (!boss) return [`${at} names unknown raid boss ${bossId}`];
    return phaseId && !boss.phases.some((p) => p.id === phaseId) ? [`${at} names unknown phase ${phaseId} of ${bossId}`] : [];
  });
}

export function abilityById(content: Content, id: string): Ability | undefined {
  return content.abilities.find((ability) => ability.id === id);
}

export function raidBossById(content: Content, id: string): RaidBoss | undefined {
  return content.raidBosses.find((boss) => boss.id === id);
}
