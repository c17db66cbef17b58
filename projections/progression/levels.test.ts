// The level curve: levels climb with XP and never fall back except by ascending, each bar
// is the sum it claims, and the last bar ascends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { levelProgress, MAX_LEVEL, XP_PER_ASCENSION, xpToAdvance } from './levels.ts';

test('a newcomer is level 1; 100 XP makes level 2; the bars grow by 25', () => {
  assert.deepEqual(levelProgress(0), { ascension: 0, level: 1, xpIntoLevel: 0, xpToNextLevel: 100 });
  assert.deepEqual(levelProgress(99), { ascension: 0, level: 1, xpIntoLevel: 99, xpToNextLevel: 100 });
  assert.deepEqual(levelProgress(100), { ascension: 0, level: 2, xpIntoLevel: 0, xpToNextLevel: 125 });
  assert.equal(XP_PER_ASCENSION, 13_875);
});

test('filling the last bar ascends: level 1 again, one ascension more', () => {
  assert.deepEqual(levelProgress(XP_PER_ASCENSION - 1), { ascension: 0, level: MAX_LEVEL, xpIntoLevel: xpToAdvance(MAX_LEVEL) - 1, xpToNextLevel: xpToAdvance(MAX_LEVEL) });
  assert.deepEqual(levelProgress(XP_PER_ASCENSION), { ascension: 1, level: 1, xpIntoLevel: 0, xpToNextLevel: 100 });
  assert.deepEqual(levelProgress(2 * XP_PER_ASCENSION + 150), { ascension: 2, level: 2, xpIntoLevel: 50, xpToNextLevel: 125 });
  assert.throws(() => levelProgress(-1), RangeError);
});

test('property: more XP never means less standing (ascension, then level, then XP into the level)', () => {
  const standing = (xp: number) => {
    const p = levelProgress(xp);
    return [p.ascension, p.level, p.xpIntoLevel] as const;
  };
  fc.assert(fc.property(fc.nat({ max: 5_000_000 }), fc.nat({ max: 20_000 }), (xp, more) => {
    const [a1, l1, x1] = standing(xp);
    const [a2, l2, x2] = standing(xp + more);
    assert.ok(a2 > a1 || (a2 === a1 && (l2 > l1 || (l2 === l1 && x2 >= x1))), `${xp} -> ${xp + more}`);
    const p = levelProgress(xp);
    assert.ok(p.level >= 1 && p.level <= MAX_LEVEL && p.xpIntoLevel < p.xpToNextLevel);
  }), { numRuns: 1000 });
});

test('property: within an ascension, the XP a level starts at is strictly increasing and the bars sum up', () => {
  let start = 0;
  for (let level = 1; level <= MAX_LEVEL; level++) {
    assert.deepEqual(levelProgress(start), { ascension: 0, level, xpIntoLevel: 0, xpToNextLevel: xpToAdvance(level) });
    assert.ok(xpToAdvance(level) > (level > 1 ? xpToAdvance(level - 1) : 0));
    start += xpToAdvance(level);
  }
  assert.equal(start, XP_PER_ASCENSION);
});
