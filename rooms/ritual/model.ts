// The ritual's values: who and when, how a rite landed, how a ritual ends, and the state a
// ritual stream folds into (events.ts holds the events and the fold).
import { z } from 'zod';
import { PlayerId } from '../../events/players.ts';
import type { PrngState } from '../../events/tick/prng.ts';
import type { RitualDefinition } from './content.ts';
import type { RitualCompletedData } from './events.ts';

export { PlayerId };
export const Tick = z.number().int().nonnegative();
export const Seat = z.number().int().min(0).max(4);

/** How close to the centre of its rhythm window a rite landed. */
export const TimingQuality = z.enum(['perfect', 'good', 'fair']);
export type TimingQuality = z.infer<typeof TimingQuality>;

/**
 * Why a rite counted as a mistake. `too_late` is a rite channelled after its window closed;
 * `window_expired` is the window closing with nobody channelling (recorded by onTick).
 */
export const MisstepReason = z.enum(['wrong_player', 'wrong_rite', 'too_early', 'too_late', 'window_expired']);
export type MisstepReason = z.infer<typeof MisstepReason>;
export const misstepReasons: readonly MisstepReason[] = MisstepReason.options;

export const RitualOutcome = z.enum(['success', 'failure']);
export const CompletionReason = z.enum(['all_rites_channelled', 'too_many_missteps', 'abandoned']);
/** `none`: no roll was made (failure, or a ritual without an omen); otherwise the roll's result. */
export const OmenReading = z.enum(['favourable', 'silent', 'none']);

/** Points a rite adds to the ritual's score. */
export const qualityPoints: Readonly<Record<TimingQuality, number>> = { perfect: 3, good: 2, fair: 1 };

/** A ritual under way (or finished), with the definition it was started with. */
export type RitualPerformance = {
  readonly rulesVersion: string;
  readonly contentVersion: string;
  readonly ritualId: string;
  readonly definition: RitualDefinition;
  readonly participants: readonly string[];
  readonly prng: PrngState;
  /** Index of the next step to channel. */
  readonly step: number;
  /** The tick the current step's rhythm window counts from. */
  readonly anchorTick: number;
  readonly mistakes: number;
  readonly points: number;
  /** Per seat, the last tick that seat channelled anything (right or wrong); -1 if never. */
  readonly lastChannelTick: readonly number[];
};

export type RitualState =
  | { readonly status: 'not_started' }
  | ({ readonly status: 'in_progress' } & RitualPerformance)
  | ({ readonly status: 'ended'; readonly result: RitualCompletedData } & RitualPerformance);
