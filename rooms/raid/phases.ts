// The boss's escalation over a raid: phases by remaining HP (content's phaseAt), the
// enrage timer, and what the two do to its attack and its rotation of abilities.
import { phaseAt, type BossPhase, type RaidBoss } from '../../events/content/index.ts';
import { idiv } from '../battle/intMath.ts';
import { emit, type Draft } from './draft.ts';
import { bossHpPercent, type BossState } from './model.ts';

export function phaseById(boss: RaidBoss, phaseId: string): BossPhase {
  const phase = boss.phases.find((candidate) => candidate.id === phaseId);
  if (!phase) throw new Error(`raid boss ${boss.id} has no phase ${phaseId}`);
  return phase;
}

/** The phase's attack multiplier compounded with the enrage's, in integer percent. */
export function bossAttackPercent(boss: RaidBoss, state: BossState): number {
  const phase = phaseById(boss, state.phaseId).attackPercent;
  return state.enraged ? idiv(phase * boss.enrage.attackPercent, 100) : phase;
}

/** The current phase's abilities, then the enrage's, each once, in content order. */
export function rotation(boss: RaidBoss, state: BossState): string[] {
  const ids = [...phaseById(boss, state.phaseId).abilityIds, ...(state.enraged ? boss.enrage.abilityIds : [])];
  return ids.filter((id, index) => ids.indexOf(id) === index);
}

/**
 * Moves to the phase the boss's HP has reached. Phases only ever advance, so a boss that
 * heals does not replay a phase, and a hit that crosses two thresholds lands in the later
 * phase with a single event.
 */
export function advancePhase(draft: Draft, boss: RaidBoss): void {
  const state = draft.state.boss;
  if (state.fallen) return;
  const reached = phaseAt(boss, state.hp);
  const order = (id: string) => boss.phases.findIndex((phase) => phase.id === id);
  if (order(reached.id) <= order(state.phaseId)) return;
  emit(draft, {
    type: 'BossPhaseChanged',
    data: { fromPhaseId: state.phaseId, toPhaseId: reached.id, hpPercent: bossHpPercent(draft.state), attackPercent: reached.attackPercent },
  });
}

/** Content counts the enrage from the raid's start tick. */
export function enrageIfDue(draft: Draft, boss: RaidBoss, tick: number): void {
  if (draft.state.boss.enraged || tick < draft.state.startTick + boss.enrage.atTick) return;
  emit(draft, { type: 'RaidEnraged', data: { attackPercent: boss.enrage.attackPercent, abilityIds: [...boss.enrage.abilityIds] } });
}
