// Glicko-2 (Mark Glickman, "Example of the Glicko-2 system", 2013/2022): one player's
// rating after one rating period, from the games of that period. Pure double arithmetic
// on its inputs, with a fixed iteration order and a bounded solver, so the same inputs give
// the same outputs on every run (V8's Math.exp/log are the same fdlibm code on every platform).
// Callers keep ratings as scaled integers between periods (see rating.ts).

/** Converts between the Glicko scale (1500 ± RD) and Glicko-2's (0 ± φ). */
export const GLICKO2_SCALE = 173.7178;

export type Glicko2Rating = { rating: number; rd: number; volatility: number };
/** An opponent as seen in one game, with the player's score: 1 win, 0.5 draw, 0 loss. */
export type Glicko2Game = { rating: number; rd: number; score: number };

export type Glicko2Options = {
  /** The system constant: how much volatility may change (0.3 to 1.2; 0.5 in the paper's example). */
  tau: number;
  /** Convergence tolerance of the volatility solver (the paper's ε). */
  epsilon?: number;
};

const MAX_SOLVER_STEPS = 200;

const g = (phi: number) => 1 / Math.sqrt(1 + (3 * phi * phi) / (Math.PI * Math.PI));
const expected = (mu: number, muJ: number, phiJ: number) => 1 / (1 + Math.exp(-g(phiJ) * (mu - muJ)));

/** The player's rating after a period with `games` (none: only the RD grows, by the volatility). */
export function rate(player: Glicko2Rating, games: readonly Glicko2Game[], options: Glicko2Options): Glicko2Rating {
  const { tau } = options;
  const epsilon = options.epsilon ?? 0.000001;
  // Step 2: onto the Glicko-2 scale.
  const mu = (player.rating - 1500) / GLICKO2_SCALE;
  const phi = player.rd / GLICKO2_SCALE;
  const sigma = player.volatility;
  if (games.length === 0) {
    return { rating: player.rating, rd: Math.sqrt(phi * phi + sigma * sigma) * GLICKO2_SCALE, volatility: sigma };
  }

  // Steps 3 and 4: the estimated variance v and the estimated improvement Δ.
  let inverseV = 0;
  let improvement = 0;
  for (const game of games) {
    const muJ = (game.rating - 1500) / GLICKO2_SCALE;
    const phiJ = game.rd / GLICKO2_SCALE;
    const gJ = g(phiJ);
    const e = expected(mu, muJ, phiJ);
    inverseV += gJ * gJ * e * (1 - e);
    improvement += gJ * (game.score - e);
  }
  const v = 1 / inverseV;
  const delta = v * improvement;

  // Step 5: the new volatility, by the Illinois algorithm on f(x) = 0.
  const a = Math.log(sigma * sigma);
  const phi2 = phi * phi;
  const f = (x: number) => {
    const ex = Math.exp(x);
    const d = phi2 + v + ex;
    return (ex * (delta * delta - phi2 - v - ex)) / (2 * d * d) - (x - a) / (tau * tau);
  };
  let A = a;
  let B: number;
  if (delta * delta > phi2 + v) {
    B = Math.log(delta * delta - phi2 - v);
  } else {
    let k = 1;
    while (f(a - k * tau) < 0 && k < MAX_SOLVER_STEPS) k++;
    B = a - k * tau;
  }
  let fA = f(A);
  let fB = f(B);
  for (let step = 0; Math.abs(B - A) > epsilon && step < MAX_SOLVER_STEPS; step++) {
    const C = A + ((A - B) * fA) / (fB - fA);
    const fC = f(C);
    if (fC * fB <= 0) {
      A = B;
      fA = fB;
    } else {
      fA /= 2;
    }
    B = C;
    fB = fC;
  }
  const newSigma = Math.exp(A / 2);

  // Steps 6 and 7: the pre-period RD, then the new RD and rating.
  const phiStar = Math.sqrt(phi2 + newSigma * newSigma);
  const newPhi = 1 / Math.sqrt(1 / (phiStar * phiStar) + 1 / v);
  const newMu = mu + newPhi * newPhi * improvement;

  // Step 8: back to the Glicko scale.
  return { rating: GLICKO2_SCALE * newMu + 1500, rd: GLICKO2_SCALE * newPhi, volatility: newSigma };
}
