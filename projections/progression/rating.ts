// The PvP rating as stored: Glicko-2 between battles, kept as scaled integers so tables
// hold exact values and every update starts from exactly what was stored (a rebuild and the
// live run round at the same points and so agree to the last digit).
//
// Each rated battle is one rating period for its players. In team battles (2v2, 3v3) a
// player meets the opposing side as one composite opponent: the mean of its players'
// ratings, and the root mean square of their RDs. Everyone is rated from the ratings they
// held before the battle, whatever order they are written in.
import { rate } from './glicko2.ts';

/** rating and rd × 1000, volatility × 10⁹, all integers. */
export type StoredRating = { rating: number; rd: number; volatility: number };

export const RATING_SCALE = 1000;
export const VOLATILITY_SCALE = 1_000_000_000;
/** The system constant τ. */
export const TAU = 0.5;
/** A new player: 1500 ± 350, volatility 0.06 (Glickman's suggested defaults). */
export const initialRating: StoredRating = { rating: 1_500_000, rd: 350_000, volatility: 60_000_000 };
/** RD never grows past a newcomer's. */
const MAX_RD = 350_000;

export type Result = 'win' | 'draw' | 'loss';
export const scoreOf: Readonly<Record<Result, number>> = { win: 1, draw: 0.5, loss: 0 };

/** The opposing side as one opponent, on the Glicko scale (floats). */
export function compositeOpponent(side: readonly StoredRating[]): { rating: number; rd: number } {
  if (side.length === 0) throw new Error('a side has at least one player');
  let rating = 0;
  let rdSquares = 0;
  for (const player of side) {
    rating += player.rating / RATING_SCALE;
    rdSquares += (player.rd / RATING_SCALE) ** 2;
  }
  return { rating: rating / side.length, rd: Math.sqrt(rdSquares / side.length) };
}

/** One player's stored rating after one game against `opponent`. */
export function rateGame(player: StoredRating, opponent: { rating: number; rd: number }, result: Result): StoredRating {
  const next = rate(
    { rating: player.rating / RATING_SCALE, rd: player.rd / RATING_SCALE, volatility: player.volatility / VOLATILITY_SCALE },
    [{ rating: opponent.rating, rd: opponent.rd, score: scoreOf[result] }],
    { tau: TAU },
  );
  return {
    rating: Math.round(next.rating * RATING_SCALE),
    rd: Math.min(MAX_RD, Math.round(next.rd * RATING_SCALE)),
    volatility: Math.round(next.volatility * VOLATILITY_SCALE),
  };
}

export type RatedPlayer = { playerId: string; side: 'a' | 'b'; result: Result; before: StoredRating };
export type RatingChange = RatedPlayer & { opponent: { rating: number; rd: number }; after: StoredRating };

/** Every player of a rated battle, rated against the other side as it stood before the battle. */
export function rateBattle(players: readonly RatedPlayer[]): RatingChange[] {
  const sideRatings = (side: 'a' | 'b') => players.filter((p) => p.side === side).map((p) => p.before);
  const opponents = { a: compositeOpponent(sideRatings('b')), b: compositeOpponent(sideRatings('a')) };
  return players.map((player) => {
    const opponent = opponents[player.side];
    return { ...player, opponent, after: rateGame(player.before, opponent, player.result) };
  });
}
