// The ritual's events (facts, past tense) and the fold that turns a ritual stream into state.
// Everything a replay needs is here: initialState(), evolve(), and the omen roll, which the
// fold repeats so the PRNG in the folded state matches the one the rules advanced.
import { z } from 'zod';
import { defineEvent, type EventOf } from '../../events/catalog.ts';
import { chance, seedPrng, type PrngState } from '../../events/tick/prng.ts';
import { RiteKind, RitualDefinition, RitualUnlocks, type RitualOmen } from './content.ts';
import { CompletionReason, MisstepReason, OmenReading, PlayerId, qualityPoints, RitualOutcome, Seat, Tick, TimingQuality, type RitualPerformance, type RitualState } from './model.ts';

export const RitualCreated = defineEvent(
  'RitualCreated',
  z.object({
    rulesVersion: z.string().min(1),
    contentVersion: z.string().min(1),
    ritualId: z.string().min(1),
    // A copy of the definition as it was when the ritual began: a room rebuilt after a deploy
    // that changed the content table still replays the ritual its players started.
    definition: RitualDefinition,
    /** In seat order: participants[0] sits in seat 0. */
    participants: z.array(PlayerId).min(2).max(5),
    seed: z.string().min(1).max(200),
    /** The first step's rhythm window counts from this tick. */
    tick: Tick,
  }).refine((data) => data.definition.id === data.ritualId, { message: 'definition.id must equal ritualId' }),
);

export const RiteChannelled = defineEvent(
  'RiteChannelled',
  z.object({
    step: z.number().int().nonnegative(),
    player: PlayerId,
    seat: Seat,
    rite: RiteKind,
    tick: Tick,
    quality: TimingQuality,
    /** Distance to the window's centre in half ticks, so even-width windows stay integral. */
    halfTicksFromCentre: z.number().int().nonnegative(),
  }),
);

export const RiteMisstepped = defineEvent(
  'RiteMisstepped',
  z.object({
    step: z.number().int().nonnegative(),
    reason: MisstepReason,
    tick: Tick,
    /** Null when the window expired with nobody channelling. */
    player: PlayerId.nullable(),
    seat: Seat.nullable(),
    rite: RiteKind.nullable(),
  }),
);

export const RitualAbandoned = defineEvent('RitualAbandoned', z.object({ player: PlayerId, seat: Seat, tick: Tick }));

export const RitualCompleted = defineEvent(
  'RitualCompleted',
  z.object({
    outcome: RitualOutcome,
    reason: CompletionReason,
    score: z.number().int().nonnegative(),
    tick: Tick,
    omen: OmenReading,
    /** Empty on failure. */
    unlocks: RitualUnlocks,
  }),
);

/** Register these with the EventCatalog. */
export const ritualEventDefinitions = [RitualCreated, RiteChannelled, RiteMisstepped, RitualAbandoned, RitualCompleted] as const;

export type RitualEvent = EventOf<(typeof ritualEventDefinitions)[number]>;
export type RitualCompletedData = z.infer<typeof RitualCompleted.schema>;

export function initialState(): RitualState {
  return { status: 'not_started' };
}

/** The omen roll on success; evolve repeats it so the folded PRNG state matches. */
export function rollOmen(prng: PrngState, omen: RitualOmen): [boolean, PrngState] {
  return chance(prng, omen.numerator, omen.denominator);
}

/** Missteps that close the current window: the step's rhythm restarts from the misstep's tick. */
export function restartsWindow(reason: MisstepReason): boolean {
  return reason === 'too_late' || reason === 'window_expired';
}

function withSeatTick(ticks: readonly number[], seat: number | null, tick: number): readonly number[] {
  return seat === null ? ticks : ticks.map((last, index) => (index === seat ? tick : last));
}

// A stream whose events do not fit its state is corrupt or was written by other rules: a bug,
// so it throws rather than folding into a state no rule would have produced.
function requireInProgress(state: RitualState, type: string): { readonly status: 'in_progress' } & RitualPerformance {
  if (state.status !== 'in_progress') throw new Error(`ritual event ${type} cannot apply to a ritual that is ${state.status}`);
  return state;
}

function created(state: RitualState, data: z.infer<typeof RitualCreated.schema>): RitualState {
  if (state.status !== 'not_started') throw new Error('RitualCreated cannot apply twice');
  return {
    status: 'in_progress',
    rulesVersion: data.rulesVersion,
    contentVersion: data.contentVersion,
    ritualId: data.ritualId,
    definition: data.definition,
    participants: data.participants,
    prng: seedPrng(data.seed),
    step: 0,
    anchorTick: data.tick,
    mistakes: 0,
    points: 0,
    lastChannelTick: data.participants.map(() => -1),
  };
}

export function evolve(state: RitualState, event: RitualEvent): RitualState {
  switch (event.type) {
    case 'RitualCreated':
      return created(state, event.data);
    case 'RiteChannelled': {
      const current = requireInProgress(state, event.type);
      return {
        ...current,
        step: current.step + 1,
        anchorTick: event.data.tick,
        points: current.points + qualityPoints[event.data.quality],
        lastChannelTick: withSeatTick(current.lastChannelTick, event.data.seat, event.data.tick),
      };
    }
    case 'RiteMisstepped': {
      const current = requireInProgress(state, event.type);
      return {
        ...current,
        mistakes: current.mistakes + 1,
        anchorTick: restartsWindow(event.data.reason) ? event.data.tick : current.anchorTick,
        lastChannelTick: withSeatTick(current.lastChannelTick, event.data.seat, event.data.tick),
      };
    }
    case 'RitualAbandoned':
      // The RitualCompleted that follows ends the ritual; this event only records who left.
      return requireInProgress(state, event.type);
    case 'RitualCompleted': {
      const current = requireInProgress(state, event.type);
      const omen = current.definition.omen;
      const prng = event.data.omen !== 'none' && omen ? rollOmen(current.prng, omen)[1] : current.prng;
      return { ...current, status: 'ended', prng, result: event.data };
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
