// What time does on its own at the end of each tick: burns pulse, statuses run out, and
// the battle ends when a side is down or the tick limit is reached. Nothing here draws
// randomness, so tick events never carry a generator state.
import type { RuleContext } from '../shared/decider.ts';
import { emit, draftOf, type Draft } from './draft.ts';
import type { BattleEvent } from './events.ts';
import { absorb } from './damage.ts';
import { lastTick, oracleIn, type BattleState } from './model.ts';
import { endByTickLimit, endIfDecided } from './outcome.ts';

export function onTick(state: BattleState, ctx: RuleContext): BattleEvent[] {
  if (state.status !== 'active' || ctx.tick < state.startTick) return [];
  const draft = draftOf(state);
  const ids = state.oracles.map((o) => o.oracleId);
  for (const id of ids) pulseBurn(draft, id, ctx.tick);
  for (const id of ids) expireStatuses(draft, id, ctx.tick);
  // Checked once after every burn has pulsed, so two sides burning out in the same tick
  // draw instead of whichever happens to come first in the oracle list losing.
  endIfDecided(draft, 'defeat');
  if (draft.state.status === 'active' && ctx.tick >= lastTick(state)) endByTickLimit(draft);
  return draft.events;
}

/** Burns pulse every `pulseEveryTicks` after they land, up to and including their last tick. */
function pulseBurn(draft: Draft, oracleId: string, tick: number): void {
  const oracle = oracleIn(draft.state, oracleId);
  const burn = oracle.statuses.find((s) => s.kind === 'burn');
  if (oracle.fallen || !burn) return;
  const elapsed = tick - burn.appliedAtTick;
  if (elapsed <= 0 || elapsed % burn.pulseEveryTicks !== 0 || tick > burn.expiresAtTick) return;
  const { absorbed, amount } = absorb(oracle, burn.damagePerPulse);
  emit(draft, {
    type: 'DamageDealt',
    data: {
      sourceId: burn.sourceId,
      targetId: oracleId,
      amount,
      absorbed,
      hpAfter: oracle.hp - amount,
      shieldAfter: oracle.shield - absorbed,
      cause: { kind: 'burn' },
    },
  });
  if (oracle.hp - amount === 0) {
    emit(draft, { type: 'OracleFell', data: { oracleId, cause: 'burn', byOracleId: burn.sourceId } });
  }
}

/** A status with expiresAtTick T is active through tick T and gone after it. */
function expireStatuses(draft: Draft, oracleId: string, tick: number): void {
  for (const status of oracleIn(draft.state, oracleId).statuses) {
    if (status.expiresAtTick <= tick) emit(draft, { type: 'StatusExpired', data: { oracleId, kind: status.kind } });
  }
}
