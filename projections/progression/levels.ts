// The level curve. Levels run from 1 to MAX_LEVEL; each level asks a little more XP than
// the one before. Filling the last level's bar ascends: the level starts again at 1 and the
// ascension count goes up. Everything follows from lifetime XP alone, so a player's level
// is never stored out of step with their XP.

export const MAX_LEVEL = 30;

/** XP to go from `level` to the next (or, at MAX_LEVEL, to ascend): 100, 125, 150, … */
export function xpToAdvance(level: number): number {
  if (!Number.isInteger(level) || level < 1 || level > MAX_LEVEL) throw new RangeError(`levels run from 1 to ${MAX_LEVEL}, not ${level}`);
  return 100 + 25 * (level - 1);
}

/** XP from level 1 to one ascension: the sum of every level's bar (13,875). */
export const XP_PER_ASCENSION = Array.from({ length: MAX_LEVEL }, (_, i) => xpToAdvance(i + 1)).reduce((a, b) => a + b, 0);

export type LevelProgress = {
  /** Times the player filled the last level's bar. */
  ascension: number;
  level: number;
  /** XP earned since reaching `level`. */
  xpIntoLevel: number;
  /** XP the current level's bar holds. */
  xpToNextLevel: number;
};

export function levelProgress(totalXp: number): LevelProgress {
  if (!Number.isSafeInteger(totalXp) || totalXp < 0) throw new RangeError(`XP is a non-negative integer, not ${totalXp}`);
  const ascension = Math.floor(totalXp / XP_PER_ASCENSION);
  let rest = totalXp - ascension * XP_PER_ASCENSION;
  let level = 1;
  while (rest >= xpToAdvance(level)) {
    rest -= xpToAdvance(level);
    level += 1;
  }
  return { ascension, level, xpIntoLevel: rest, xpToNextLevel: xpToAdvance(level) };
}
