// Integer combat stats shared by oracles and raid bosses.
import { z } from 'zod';

export const Stats = z.strictObject({
  hp: z.int().min(1).max(10_000_000),
  attack: z.int().min(1).max(100_000),
  defense: z.int().min(0).max(100_000),
  speed: z.int().min(0).max(100_000),
});
export type Stats = z.infer<typeof Stats>;

/** A per-point stat bonus; zero is allowed, negatives are not (no stat may drop below base). */
export const StatBonus = z.strictObject({
  hp: z.int().min(0).max(10_000),
  attack: z.int().min(0).max(1_000),
  defense: z.int().min(0).max(1_000),
  speed: z.int().min(0).max(1_000),
});
export type StatBonus = z.infer<typeof StatBonus>;
