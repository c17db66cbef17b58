// The folded raid state and the value shapes its events share. State is plain JSON
// (arrays in a fixed order, no Maps, Sets or classes) so a canonical encoding and hash of
// it are stable across machines.
//
// Every fighter, party oracle or boss, has battle's OracleState shape, so battle's combat
// formulas (damage.ts) and status shapes apply unchanged: the party stands on side a, the
// boss on side b, owned by no player (playerId '').
import { z } from 'zod';
import { Element, Stats, type RaidBoss } from '../../events/content/index.ts';
import { OracleSnapshot, PlayerId, type OracleState } from '../battle/model.ts';
import { idiv } from '../battle/intMath.ts';
import type { PrngState } from '../../events/tick/prng.ts';

/** Written into RaidCreated; bump it when a rule change would alter replays. */
export const raidRulesVersion = 'raid/1';

/** Content ids (bosses, phases, items) are kebab-case, and so valid oracle ids too. */
export const ContentId = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'ids are kebab-case, e.g. leviathan');

export const RaidParticipant = z.strictObject({ playerId: PlayerId, oracles: z.array(OracleSnapshot).min(1).max(3) });
export type RaidParticipant = z.infer<typeof RaidParticipant>;

/** The boss as it enters the raid: enough for the fold, which never consults content. */
export const BossSnapshot = z.strictObject({
  bossId: ContentId,
  name: z.string().min(1).max(60),
  element: Element,
  stats: Stats,
  /** The opening phase (the content's first). */
  phaseId: ContentId,
});
export type BossSnapshot = z.infer<typeof BossSnapshot>;

export const RaidOutcome = z.enum(['victory', 'defeat', 'timeout']);
export type RaidOutcome = z.infer<typeof RaidOutcome>;

export const LootItem = z.strictObject({ itemId: ContentId, quantity: z.int().min(1).max(1000) });
export type LootItem = z.infer<typeof LootItem>;

/** An ability the boss is winding up: targets are fixed when it starts, so players see who to protect. */
export type BossCast = { abilityId: string; targetIds: string[]; landsAtTick: number };

/**
 * `cooldowns` lists only abilities used so far (an ability with no entry is ready), since
 * the rotation changes with phase and enrage and the fold never reads content.
 */
export type BossState = OracleState & { phaseId: string; enraged: boolean; casting: BossCast | null };

export type ParticipantState = { playerId: string; forfeited: boolean };

export type RaidState = {
  /** pending: no RaidCreated yet; active: created (commands wait for startTick); ended. */
  status: 'pending' | 'active' | 'ended';
  raidId: string;
  rulesVersion: string;
  contentVersion: string;
  bossId: string;
  startTick: number;
  /** Number of playable ticks: the raid times out at the end of tick startTick + tickLimit - 1. */
  tickLimit: number;
  /** The boss considers an ability every this many ticks after the start. */
  bossCadenceTicks: number;
  prng: PrngState;
  participants: ParticipantState[];
  /** Participant order, then each participant's oracle order; all on side a. */
  oracles: OracleState[];
  boss: BossState;
  /** One entry per LootDropped, in order. */
  loot: { playerId: string; items: LootItem[] }[];
  outcome: RaidOutcome | null;
};

/** A party oracle or the boss. */
export function findCombatant(state: RaidState, id: string): OracleState | undefined {
  return id === state.boss.oracleId ? state.boss : state.oracles.find((oracle) => oracle.oracleId === id);
}

/** For rule code that already validated the id; a miss is a bug, not a refusal. */
export function combatantIn(state: RaidState, id: string): OracleState {
  const combatant = findCombatant(state, id);
  if (!combatant) throw new Error(`raid ${state.raidId} has no combatant ${id}`);
  return combatant;
}

export function isBoss(state: RaidState, id: string): boolean {
  return id === state.boss.oracleId;
}

export function standingOracles(state: RaidState): OracleState[] {
  return state.oracles.filter((oracle) => !oracle.fallen);
}

export function lastTick(state: RaidState): number {
  return state.startTick + state.tickLimit - 1;
}

/** Remaining boss HP as an integer percent of its max, truncated (shields do not count). */
export function bossHpPercent(state: RaidState): number {
  return idiv(state.boss.hp * 100, state.boss.stats.hp);
}

/** The boss's content, which setup checked exists in the raid's content version. */
export function bossDefinition(bosses: readonly RaidBoss[], bossId: string): RaidBoss {
  const boss = bosses.find((candidate) => candidate.id === bossId);
  if (!boss) throw new Error(`content has no raid boss ${bossId}`);
  return boss;
}
