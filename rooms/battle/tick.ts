// What time does on its own at the end of each tick: burns pulse, statuses run out, and
// the battle ends when a side is down or the tick limit is reached. Nothing here draws
// randomness, so tick events never carry a generator state.
import type { RuleContext } from '../../events/decider.ts';
import { emit, draftOf, type Draft } from './draft.ts';
import type { BattleEvent, DamageDealt, StatusExpired } from './events.ts';
import { absorb } from './damage.ts';
import { lastTick, oracleIn, type BattleState, type OracleState } from './model.ts';
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

function pulseBurn(draft: Draft, oracleId: string, tick: number): void {
  const pulse = burnPulse(oracleIn(draft.state, oracleId), tick);
  if (!pulse) return;
  emit(draft, pulse);
  if (pulse.data.hpAfter === 0) {
    emit(draft, { type: 'OracleFell', data: { oracleId, cause: 'burn', byOracleId: pulse.data.sourceId } });
  }
}

function expireStatuses(draft: Draft, oracleId: string, tick: number): void {
  for (const expired of expiredStatuses(oracleIn(draft.state, oracleId), tick)) emit(draft, expired);
}

/**
 * The burn pulse `oracle` takes at the end of `tick`, if any: burns pulse every
 * `pulseEveryTicks` after they land, up to and including their last tick, and never on
 * the fallen. What the pulse leads to (a fall, the end) is the kind's to decide.
 */
export function burnPulse(oracle: OracleState, tick: number): DamageDealt | undefined {
  const burn = oracle.statuses.find((s) => s.kind === 'burn');
  if (oracle.fallen || !burn) return undefined;
  const elapsed = tick - burn.appliedAtTick;
  if (elapsed <= 0 || elapsed % burn.pulseEveryTicks !== 0 || tick > burn.expiresAtTick) return undefined;
  const { absorbed, amount } = absorb(oracle, burn.damagePerPulse);
  return {
    type: 'DamageDealt',
    data: {
      sourceId: burn.sourceId,
      targetId: oracle.oracleId,
      amount,
      absorbed,
      hpAfter: oracle.hp - amount,
      shieldAfter: oracle.shield - absorbed,
      cause: { kind: 'burn' },
    },
  };
}

/** The statuses that run out on `oracle` at the end of `tick`: one with expiresAtTick T is active through tick T and gone after it. */
export function expiredStatuses(oracle: OracleState, tick: number): StatusExpired[] {
  return oracle.statuses
    .filter((status) => status.expiresAtTick <= tick)
    .map((status) => ({ type: 'StatusExpired', data: { oracleId: oracle.oracleId, kind: status.kind } }));
}
