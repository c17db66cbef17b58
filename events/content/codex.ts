// The codex as data: entries of lore a player unlocks by what they do, each with the rule
// that unlocks it. Like game content, every published codex version is kept here unchanged
// (a rebalance of unlock rules is a new version), validated on first use and frozen.
//
// Unlock rules are declarative, so the codex projection (projections/codex/) can evaluate
// them over events without code per entry, and designers can add entries without code.
import { z } from 'zod';
import { Element } from './elements.ts';
import { codex_2026_11_1 } from './codexData.ts';

/** `codex/<slug>`, the ids ritual content names in its unlocks. */
export const CodexEntryId = z.string().regex(/^codex\/[a-z0-9-]{1,64}$/, 'codex entry ids look like codex/dawn-hymn');
export type CodexEntryId = z.infer<typeof CodexEntryId>;

export const CodexCategory = z.enum(['rites', 'battle', 'raids', 'oracles', 'deeds']);
export type CodexCategory = z.infer<typeof CodexCategory>;

/**
 * Notable oracle deeds, the vocabulary of the oracron (the log of what oracles did):
 * - critical_finishing_blow: a critical hit that felled its target (an oracle or a raid boss);
 * - boss_slain: the blow (or burn) that defeated a raid boss;
 * - flawless_victory: on the side that won a battle by defeat and ended it at full HP;
 * - comeback: on the winning side, still standing, after falling below 10 % of its max HP.
 */
export const OracleDeed = z.enum(['critical_finishing_blow', 'boss_slain', 'flawless_victory', 'comeback']);
export type OracleDeed = z.infer<typeof OracleDeed>;
export const oracleDeeds: readonly OracleDeed[] = OracleDeed.options;

const BossId = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'boss ids are kebab-case, e.g. leviathan');

/** What unlocks an entry, for each player it applies to. */
export const CodexUnlockRule = z.discriminatedUnion('kind', [
  /** A successful ritual lists the entry in its unlocks: every participant of that ritual. */
  z.strictObject({ kind: z.literal('ritual') }),
  /** The player's `atLeast`-th battle won (on the winning side, not having forfeited). */
  z.strictObject({ kind: z.literal('battles_won'), atLeast: z.int().min(1).max(1_000_000) }),
  /** A battle the player finished in a draw (not having forfeited). */
  z.strictObject({ kind: z.literal('battle_drawn') }),
  /** A raid won against this boss, or any boss, by a player who stayed to the end. */
  z.strictObject({ kind: z.literal('raid_victory'), bossId: BossId.optional() }),
  /** The player's `atLeast`-th raid won, against any boss. */
  z.strictObject({ kind: z.literal('raids_won'), atLeast: z.int().min(1).max(1_000_000) }),
  /** The player fielded an oracle of this element in a battle or raid. */
  z.strictObject({ kind: z.literal('oracle_fielded'), element: Element }),
  /** One of the player's oracles landed a critical hit. */
  z.strictObject({ kind: z.literal('critical_hit') }),
  /** One of the player's oracles did this deed (see OracleDeed). */
  z.strictObject({ kind: z.literal('deed'), deed: OracleDeed }),
]);
export type CodexUnlockRule = z.infer<typeof CodexUnlockRule>;

export const CodexEntry = z.strictObject({
  id: CodexEntryId,
  title: z.string().min(1).max(80),
  category: CodexCategory,
  /** Shown once unlocked. */
  lore: z.string().min(1).max(1000),
  /** Shown while locked: how to earn it, without spoiling the lore. */
  hint: z.string().min(1).max(200),
  unlock: CodexUnlockRule,
});
export type CodexEntry = z.infer<typeof CodexEntry>;

export const CodexVersion = z.string().regex(/^\d{4}\.\d{1,2}\.\d{1,3}$/, 'codex versions look like 2026.11.1');

export const Codex = z
  .strictObject({ codexVersion: CodexVersion, entries: z.array(CodexEntry).min(1) })
  .superRefine((codex, ctx) => {
    const seen = new Set<string>();
    for (const [index, entry] of codex.entries.entries()) {
      if (seen.has(entry.id)) ctx.addIssue({ code: 'custom', path: ['entries', index, 'id'], message: `codex entry ${entry.id} is defined twice` });
      seen.add(entry.id);
    }
  });
export type Codex = z.infer<typeof Codex>;
export type CodexInput = z.input<typeof Codex>;

export const currentCodexVersion = '2026.11.1';

/** Raw data per version, oldest first; validation happens on load, not at import. */
const published: readonly { readonly version: string; readonly data: unknown }[] = [{ version: '2026.11.1', data: codex_2026_11_1 }];

export class CodexError extends Error {
  readonly code: 'codex/unknown_version' | 'codex/invalid';
  constructor(code: CodexError['code'], message: string) {
    super(message);
    this.name = 'CodexError';
    this.code = code;
  }
}

// A cache, never iterated: lookups by version only.
const loaded = new Map<string, Codex>();

export function codexVersions(): string[] {
  return published.map((entry) => entry.version);
}

/** The validated, frozen codex of `version`; throws CodexError if unknown or invalid. */
export function codexByVersion(version: string): Codex {
  const cached = loaded.get(version);
  if (cached) return cached;
  const entry = published.find((candidate) => candidate.version === version);
  if (!entry) throw new CodexError('codex/unknown_version', `unknown codex version ${version}; known: ${codexVersions().join(', ')}`);
  const codex = parseCodex(entry.data);
  if (codex.codexVersion !== version) throw new CodexError('codex/invalid', `codex registered as ${version} declares version ${codex.codexVersion}`);
  loaded.set(version, codex);
  return codex;
}

export function loadCodex(): Codex {
  return codexByVersion(currentCodexVersion);
}

/** Validates codex data (a registry entry, a test's variant) and freezes it. */
export function parseCodex(data: unknown): Codex {
  const parsed = Codex.safeParse(data);
  if (!parsed.success) throw new CodexError('codex/invalid', `codex is invalid:\n${z.prettifyError(parsed.error)}`);
  return deepFreeze(parsed.data);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
