// How a battle ends and who gets paid. Integer math only: HP percentages truncate, and a
// pot that does not split evenly gives its remainder one unit at a time to the first
// winners in participant order, so payouts always sum to the pot exactly.
import { emit, type Draft } from './draft.ts';
import { idiv } from './intMath.ts';
import { sides, type BattleState, type EndReason, type Side, type WagerSettlement } from './model.ts';

/** Remaining HP of a side as an integer percent of its total max HP (shields do not count). */
export function sideHpPercent(state: BattleState, side: Side): number {
  const oracles = state.oracles.filter((o) => o.side === side);
  const hp = oracles.reduce((sum, o) => sum + o.hp, 0);
  const max = oracles.reduce((sum, o) => sum + o.stats.hp, 0);
  return max === 0 ? 0 : idiv(hp * 100, max);
}

export function sideDefeated(state: BattleState, side: Side): boolean {
  return state.oracles.every((o) => o.side !== side || o.fallen);
}

/** Ends the battle if a side has no oracle standing; both at once (burns in one tick) is a draw. */
export function endIfDecided(draft: Draft, reason: Extract<EndReason, 'defeat' | 'forfeit'>): void {
  if (draft.state.status !== 'active') return;
  const defeated = sides.filter((side) => sideDefeated(draft.state, side));
  if (defeated.length === 0) return;
  const winnerSide = defeated.length === sides.length ? null : (sides.find((side) => !defeated.includes(side)) ?? null);
  end(draft, winnerSide, reason);
}

/** At the tick limit the higher remaining HP percent wins; equal percents draw. */
export function endByTickLimit(draft: Draft): void {
  const [a, b] = [sideHpPercent(draft.state, 'a'), sideHpPercent(draft.state, 'b')];
  end(draft, a === b ? null : a > b ? 'a' : 'b', 'tick_limit');
}

function end(draft: Draft, winnerSide: Side | null, reason: EndReason): void {
  emit(draft, {
    type: 'BattleEnded',
    data: {
      winnerSide,
      reason,
      sides: sides.map((side) => ({ side, hpPercent: sideHpPercent(draft.state, side) })),
      wager: settleWager(draft.state, winnerSide),
    },
  });
}

/**
 * Splits the pot among the winning side's players who stayed to the end (a forfeiting
 * player leaves their stake behind); a draw refunds every stake. A winning side always has
 * a player who did not forfeit: forfeiting fells all of a player's oracles.
 */
export function settleWager(state: BattleState, winnerSide: Side | null): WagerSettlement | null {
  if (!state.wager) return null;
  const { currency, amount: stake } = state.wager;
  const pot = stake * state.participants.length;
  if (winnerSide === null) {
    return { currency, stake, pot, payouts: state.participants.map((p) => ({ playerId: p.playerId, amount: stake })) };
  }
  const winners = state.participants.filter((p) => p.side === winnerSide && !p.forfeited);
  const share = idiv(pot, winners.length);
  const remainder = pot - share * winners.length;
  const payouts = state.participants.map((p) => {
    const rank = winners.indexOf(p);
    return { playerId: p.playerId, amount: rank < 0 ? 0 : share + (rank < remainder ? 1 : 0) };
  });
  return { currency, stake, pot, payouts };
}
