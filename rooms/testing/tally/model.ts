// Tally, the smallest room kind: two players take turns adding 1 to 3 to a shared count;
// whoever brings it to the target wins. It exists to show, and to test, that a new room
// kind needs only the files docs/architecture.md lists.
import { z } from 'zod';
import { PlayerId } from '../../../events/players.ts';

export const TALLY_RULES_VERSION = 'tally/1';
export const Players = z.array(PlayerId).length(2).refine((players) => players[0] !== players[1], 'two different players');

export type TallyState = {
  readonly status: 'not_started' | 'playing' | 'won';
  readonly players: readonly string[];
  readonly target: number;
  readonly startTick: number;
  readonly total: number;
  /** Index into players of whose turn it is. */
  readonly turn: number;
  readonly winner: string | null;
};
