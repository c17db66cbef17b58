// Which codex entries a feat unlocks: the codex's declarative rules (events/content/codex.ts)
// evaluated against one thing a player did. Pure; the projection turns events into feats.
import type { Codex, CodexEntry, CodexUnlockRule, Element, OracleDeed } from '../../events/content/index.ts';

/** Something a player did that a codex rule may reward. */
export type Feat =
  /** A successful ritual named this entry in its unlocks. */
  | { kind: 'ritual'; entryId: string }
  /** Won a battle; `wins` counts this one. */
  | { kind: 'battle_won'; wins: number }
  | { kind: 'battle_drawn' }
  /** Won a raid against `bossId`; `wins` counts raids won against any boss, this one included. */
  | { kind: 'raid_won'; bossId: string; wins: number }
  | { kind: 'oracle_fielded'; element: Element }
  | { kind: 'critical_hit' }
  | { kind: 'deed'; deed: OracleDeed };

function satisfies(entry: CodexEntry, rule: CodexUnlockRule, feat: Feat): boolean {
  switch (rule.kind) {
    case 'ritual':
      return feat.kind === 'ritual' && feat.entryId === entry.id;
    case 'battles_won':
      return feat.kind === 'battle_won' && feat.wins >= rule.atLeast;
    case 'battle_drawn':
      return feat.kind === 'battle_drawn';
    case 'raid_victory':
      return feat.kind === 'raid_won' && (rule.bossId === undefined || rule.bossId === feat.bossId);
    case 'raids_won':
      return feat.kind === 'raid_won' && feat.wins >= rule.atLeast;
    case 'oracle_fielded':
      return feat.kind === 'oracle_fielded' && feat.element === rule.element;
    case 'critical_hit':
      return feat.kind === 'critical_hit';
    case 'deed':
      return feat.kind === 'deed' && feat.deed === rule.deed;
    default: {
      const _exhaustive: never = rule;
      return _exhaustive;
    }
  }
}

/** The codex's rules, grouped by the feat kind that can satisfy them, for a quick lookup per feat. */
export class UnlockRules {
  readonly codex: Codex;
  readonly #byFeat = new Map<Feat['kind'], CodexEntry[]>();

  constructor(codex: Codex) {
    this.codex = codex;
    const featOf: Record<CodexUnlockRule['kind'], Feat['kind']> = {
      ritual: 'ritual', battles_won: 'battle_won', battle_drawn: 'battle_drawn', raid_victory: 'raid_won', raids_won: 'raid_won',
      oracle_fielded: 'oracle_fielded', critical_hit: 'critical_hit', deed: 'deed',
    };
    for (const entry of codex.entries) {
      const kind = featOf[entry.unlock.kind];
      this.#byFeat.set(kind, [...(this.#byFeat.get(kind) ?? []), entry]);
    }
  }

  /** Ids of the entries `feat` unlocks, in codex order. */
  unlockedBy(feat: Feat): string[] {
    return (this.#byFeat.get(feat.kind) ?? []).filter((entry) => satisfies(entry, entry.unlock, feat)).map((entry) => entry.id);
  }
}
