// The boss's turn at the end of a tick. A wind-up that is due lands; then, on its cadence,
// a boss that is standing, free and not stunned picks one ready ability of its rotation
// with the seeded generator, picks its targets by the ability's rule, and starts it. A stun
// stops the boss starting abilities but not one already winding up.
import type { BossAbility, BossTarget, Content, RaidBoss } from '../../events/content/index.ts';
import type { OracleState } from '../battle/model.ts';
import { nextInt, type PrngState } from '../../events/tick/prng.ts';
import { resolveEffects } from './combat.ts';
import { emit, type Draft } from './draft.ts';
import { standingOracles, type RaidState } from './model.ts';
import { bossAttackPercent, rotation } from './phases.ts';

export function bossActs(draft: Draft, content: Content, boss: RaidBoss, tick: number): void {
  const casting = draft.state.boss.casting;
  if (casting && tick >= casting.landsAtTick) land(draft, content, boss, tick);
  if (isCadenceTick(draft.state, tick)) start(draft, content, boss, tick);
}

/** The boss first acts one cadence after the start, then every cadence. */
export function isCadenceTick(state: RaidState, tick: number): boolean {
  const elapsed = tick - state.startTick;
  return elapsed > 0 && elapsed % state.bossCadenceTicks === 0;
}

/** The rotation's abilities that are off cooldown, in rotation order. */
export function readyAbilities(state: RaidState, boss: RaidBoss, tick: number): BossAbility[] {
  return rotation(boss, state.boss).map((id) => bossAbility(boss, id)).filter((ability) => {
    const readyAt = state.boss.cooldowns.find((c) => c.abilityId === ability.id)?.readyAtTick ?? 0;
    return tick >= readyAt;
  });
}

/**
 * Who an ability hits, in party order. HP ties go to the first in party order. Only a
 * random target draws from the generator. Needs a standing party oracle.
 */
export function pickTargets(state: RaidState, aim: BossTarget, prng: PrngState): [string[], PrngState] {
  const standing = standingOracles(state);
  switch (aim) {
    case 'self':
      return [[state.boss.oracleId], prng];
    case 'all_enemies':
      return [standing.map((o) => o.oracleId), prng];
    case 'random_enemy': {
      const [index, next] = nextInt(prng, standing.length);
      return [[idAt(standing, index)], next];
    }
    case 'highest_hp_enemy':
      return [[firstBest(standing, (a, b) => a.hp > b.hp)], prng];
    case 'lowest_hp_enemy':
      return [[firstBest(standing, (a, b) => a.hp < b.hp)], prng];
    default: {
      const _exhaustive: never = aim;
      return _exhaustive;
    }
  }
}

function start(draft: Draft, content: Content, boss: RaidBoss, tick: number): void {
  const state = draft.state;
  const free = state.status === 'active' && !state.boss.fallen && state.boss.casting === null;
  // Checked before any draw: a roll without an event would leave the fold's generator behind.
  if (!free || state.boss.statuses.some((s) => s.kind === 'stun') || standingOracles(state).length === 0) return;
  const ready = readyAbilities(state, boss, tick);
  if (ready.length === 0) return;
  const [pick, afterPick] = nextInt(state.prng, ready.length);
  const ability = ready[pick];
  if (!ability) throw new Error(`boss pick ${pick} is outside its ${ready.length} ready abilities`);
  const [targetIds, prng] = pickTargets(state, ability.target, afterPick);
  emit(draft, {
    type: 'BossAbilityCast',
    data: {
      abilityId: ability.id,
      phaseId: state.boss.phaseId,
      targetIds,
      landsAtTick: tick + ability.windUpTicks,
      readyAtTick: tick + ability.cooldownTicks,
      prng,
    },
  });
  if (ability.windUpTicks === 0) land(draft, content, boss, tick);
}

/** Effects land on each target in turn; targets that fell during the wind-up are spared. */
function land(draft: Draft, content: Content, boss: RaidBoss, tick: number): void {
  const casting = draft.state.boss.casting;
  if (!casting || draft.state.status !== 'active') return;
  const ability = bossAbility(boss, casting.abilityId);
  const attackPercent = bossAttackPercent(boss, draft.state.boss);
  emit(draft, { type: 'BossAbilityLanded', data: { abilityId: ability.id, attackPercent } });
  const casterId = draft.state.boss.oracleId;
  for (const targetId of casting.targetIds) {
    resolveEffects(draft, { casterId, targetId, ability, tick, attackPercent, content, boss });
  }
}

function bossAbility(boss: RaidBoss, id: string): BossAbility {
  const ability = boss.abilities.find((candidate) => candidate.id === id);
  if (!ability) throw new Error(`raid boss ${boss.id} has no ability ${id}`);
  return ability;
}

function idAt(oracles: readonly OracleState[], index: number): string {
  const oracle = oracles[index];
  if (!oracle) throw new Error(`no standing oracle at ${index}`);
  return oracle.oracleId;
}

/** The first oracle that no later one beats, so ties go to party order. */
function firstBest(oracles: readonly OracleState[], beats: (a: OracleState, b: OracleState) => boolean): string {
  let best = oracles[0];
  for (const oracle of oracles) if (best && beats(oracle, best)) best = oracle;
  if (!best) throw new Error('no standing oracle to target');
  return best.oracleId;
}
