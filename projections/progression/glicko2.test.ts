// Glicko-2 against the worked example of Glickman's paper, and the properties a player
// relies on: a win never lowers a rating, a loss never raises it, a game makes an
// unsettled rating surer (its RD shrinks).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { rate } from './glicko2.ts';
import { compositeOpponent, initialRating, rateBattle, rateGame, RATING_SCALE, type StoredRating } from './rating.ts';

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);

test("the paper's example: 1500/200 beats 1400/30, loses to 1550/100 and 1700/300 -> 1464.06 / 151.52 / 0.05999", () => {
  const after = rate(
    { rating: 1500, rd: 200, volatility: 0.06 },
    [{ rating: 1400, rd: 30, score: 1 }, { rating: 1550, rd: 100, score: 0 }, { rating: 1700, rd: 300, score: 0 }],
    { tau: 0.5 },
  );
  // The paper rounds its intermediate values (μ' = -0.2069), which puts 1464.05 at 1464.06.
  close(after.rating, 1464.06, 0.01, 'rating');
  close(after.rd, 151.52, 0.005, 'RD');
  close(after.volatility, 0.05999, 0.00001, 'volatility');
});

test('a period without games leaves the rating and grows the RD by the volatility only', () => {
  const after = rate({ rating: 1500, rd: 200, volatility: 0.06 }, [], { tau: 0.5 });
  assert.equal(after.rating, 1500);
  close(after.rd, Math.sqrt((200 / 173.7178) ** 2 + 0.06 ** 2) * 173.7178, 1e-9, 'RD');
});

test('two newcomers: the winner goes to 1662.31 ± 290.32 and the loser to 1337.69, in stored integers', () => {
  const win = rateGame(initialRating, { rating: 1500, rd: 350 }, 'win');
  const loss = rateGame(initialRating, { rating: 1500, rd: 350 }, 'loss');
  close(win.rating / RATING_SCALE, 1662.31, 0.005, 'winner');
  close(win.rd / RATING_SCALE, 290.32, 0.005, 'winner RD');
  close(loss.rating / RATING_SCALE, 1337.69, 0.005, 'loser');
  assert.equal(win.rating - initialRating.rating, initialRating.rating - loss.rating, 'symmetric');
  for (const value of [...Object.values(win), ...Object.values(loss)]) assert.ok(Number.isInteger(value));
  // A draw between equals moves nobody.
  assert.equal(rateGame(initialRating, { rating: 1500, rd: 350 }, 'draw').rating, initialRating.rating);
});

test('a team meets the other side as one opponent: mean rating, root-mean-square RD', () => {
  const side: StoredRating[] = [{ rating: 1400_000, rd: 100_000, volatility: 60_000_000 }, { rating: 1600_000, rd: 200_000, volatility: 60_000_000 }];
  const opponent = compositeOpponent(side);
  close(opponent.rating, 1500, 1e-9, 'rating');
  close(opponent.rd, Math.sqrt((100 ** 2 + 200 ** 2) / 2), 1e-9, 'RD');
  const changes = rateBattle([
    { playerId: 'a1', side: 'a', result: 'win', before: initialRating },
    { playerId: 'a2', side: 'a', result: 'loss', before: initialRating },
    { playerId: 'b1', side: 'b', result: 'loss', before: side[0]! },
    { playerId: 'b2', side: 'b', result: 'loss', before: side[1]! },
  ]);
  assert.deepEqual(changes[0]!.after, rateGame(initialRating, opponent, 'win'));
  assert.ok(changes[1]!.after.rating < initialRating.rating, 'a forfeiting teammate loses though the side won');
  assert.deepEqual(changes[2]!.opponent, compositeOpponent([initialRating, initialRating]));
});

const stored = fc.record({
  rating: fc.integer({ min: 800_000, max: 2_600_000 }),
  rd: fc.integer({ min: 30_000, max: 350_000 }),
  volatility: fc.integer({ min: 30_000_000, max: 100_000_000 }),
});

test('property: a win never lowers a rating, a loss never raises it, and results are ordered', () => {
  fc.assert(fc.property(stored, stored, (player, other) => {
    const opponent = { rating: other.rating / RATING_SCALE, rd: other.rd / RATING_SCALE };
    const [win, draw, loss] = (['win', 'draw', 'loss'] as const).map((result) => rateGame(player, opponent, result));
    assert.ok(win!.rating >= player.rating, 'win');
    assert.ok(loss!.rating <= player.rating, 'loss');
    assert.ok(win!.rating >= draw!.rating && draw!.rating >= loss!.rating, 'win >= draw >= loss');
  }), { numRuns: 500 });
});

test('property: a game shrinks the RD of a player not yet settled, against an opponent within 400 points', () => {
  fc.assert(fc.property(stored, stored, fc.constantFrom('win', 'draw', 'loss') as fc.Arbitrary<'win' | 'draw' | 'loss'>, (player, other, result) => {
    fc.pre(player.rd >= 100_000 && Math.abs(player.rating - other.rating) <= 400_000);
    const after = rateGame(player, { rating: other.rating / RATING_SCALE, rd: other.rd / RATING_SCALE }, result);
    assert.ok(after.rd < player.rd, `RD ${player.rd} -> ${after.rd}`);
    assert.ok(after.rd > 0);
  }), { numRuns: 500 });
});

test('property: the RD never passes a newcomer\'s 350, even after a long upset streak', () => {
  fc.assert(fc.property(stored, fc.array(stored, { maxLength: 20 }), (player, opponents) => {
    let current = player;
    for (const other of opponents) {
      const surprise = other.rating > current.rating ? 'win' : 'loss';
      current = rateGame(current, { rating: other.rating / RATING_SCALE, rd: other.rd / RATING_SCALE }, surprise);
      assert.ok(current.rd > 0 && current.rd <= 350_000, `RD ${current.rd}`);
    }
  }), { numRuns: 200 });
});

test('property: the same inputs give the same stored outputs', () => {
  fc.assert(fc.property(stored, stored, (player, other) => {
    const opponent = { rating: other.rating / RATING_SCALE, rd: other.rd / RATING_SCALE };
    assert.deepEqual(rateGame(player, opponent, 'win'), rateGame({ ...player }, { ...opponent }, 'win'));
  }), { numRuns: 100 });
});
