// The ritual's rules: pure functions of (state, command, tick). The PRNG lives in the state.
//
// Refusal or misstep? A refusal means the command is not a move in the ritual at all (the
// ritual has not begun or is over, the sender is not seated, or the seat already acted this
// tick, which is a double-send rather than a decision): nothing is recorded as a domain event
// and the ritual is untouched. A misstep is a move that was wrong (wrong rite, wrong seat,
// off the rhythm): it happened, the group sees it, it counts toward failure, so it is an event.
import { accept, refuse, type Decision, type RuleContext, type TickDecider } from '../../events/decider.ts';
import type { RitualCommand, Abandon, ChannelRite } from './commands.ts';
import { findRitual, ritualContentVersion, type RhythmWindow, type RiteKind, type RitualStep } from './content.ts';
import { evolve, initialState, rollOmen, type RitualCompletedData, type RitualEvent } from './events.ts';
import { PlayerId, type MisstepReason, type RitualPerformance, type RitualState, type TimingQuality } from './model.ts';

export const ritualRulesVersion = 'ritual-rules/1';

export const ritualRefusalCodes = [
  'ritual/already_created',
  'ritual/unknown_ritual',
  'ritual/invalid_participants',
  'ritual/not_started',
  'ritual/ended',
  'ritual/not_participant',
  'ritual/already_channelled_this_tick',
] as const;
export type RitualRefusalCode = (typeof ritualRefusalCodes)[number];

const refuseWith = (code: RitualRefusalCode, message: string): Decision<RitualEvent> => refuse(code, message);

type ActiveRitual = { readonly status: 'in_progress' } & RitualPerformance;

export type CreateRitualInput = { readonly ritualId: string; readonly participants: readonly string[]; readonly seed: string };

/** The stream's first event. The room calls it when it opens; the seed comes from the server, never a client. */
export function createRitual(state: RitualState, input: CreateRitualInput, ctx: RuleContext): Decision<RitualEvent> {
  if (state.status !== 'not_started') return refuseWith('ritual/already_created', 'this ritual has already begun');
  const definition = findRitual(input.ritualId);
  if (!definition) return refuseWith('ritual/unknown_ritual', `there is no ritual called ${input.ritualId}`);
  const { minParticipants: min, maxParticipants: max } = definition;
  const count = input.participants.length;
  if (count < min || count > max) {
    return refuseWith('ritual/invalid_participants', `${definition.name} needs ${min} to ${max} participants, not ${count}`);
  }
  if (new Set(input.participants).size !== count || input.participants.some((p) => !PlayerId.safeParse(p).success)) {
    return refuseWith('ritual/invalid_participants', 'each participant must be a distinct player id');
  }
  return accept({
    type: 'RitualCreated',
    data: {
      rulesVersion: ritualRulesVersion,
      contentVersion: ritualContentVersion,
      ritualId: definition.id,
      definition,
      participants: [...input.participants],
      seed: input.seed,
      tick: ctx.tick,
    },
  });
}

type Seated = { readonly ok: true; readonly ritual: ActiveRitual; readonly seat: number } | { readonly ok: false; readonly refusal: Decision<RitualEvent> };

function seatOf(state: RitualState, playerId: string): Seated {
  if (state.status === 'not_started') return { ok: false, refusal: refuseWith('ritual/not_started', 'the ritual has not begun') };
  if (state.status === 'ended') return { ok: false, refusal: refuseWith('ritual/ended', 'the ritual is over') };
  const seat = state.participants.indexOf(playerId);
  if (seat < 0) return { ok: false, refusal: refuseWith('ritual/not_participant', 'you are not part of this ritual') };
  return { ok: true, ritual: state, seat };
}

export type TimingVerdict =
  | { readonly verdict: 'too_early' }
  | { readonly verdict: 'too_late' }
  | { readonly verdict: 'in_window'; readonly quality: TimingQuality; readonly halfTicksFromCentre: number };

/**
 * Where `tick` falls in a window anchored at `anchorTick`. Distances are in half ticks so the
 * centre of an even-width window is exact. The middle third is perfect (and always the tick or
 * two nearest the centre, so narrow windows still have one), the middle two thirds good.
 */
export function judgeTiming(window: RhythmWindow, anchorTick: number, tick: number): TimingVerdict {
  const opens = anchorTick + window.earliest;
  const closes = anchorTick + window.latest;
  if (tick < opens) return { verdict: 'too_early' };
  if (tick > closes) return { verdict: 'too_late' };
  const width = window.latest - window.earliest;
  const distance = Math.abs(2 * tick - (opens + closes));
  const quality: TimingQuality = distance <= 1 || 3 * distance <= width ? 'perfect' : 3 * distance <= 2 * width ? 'good' : 'fair';
  return { verdict: 'in_window', quality, halfTicksFromCentre: distance };
}

type RiteJudgement =
  | { readonly misstep: MisstepReason }
  | { readonly misstep: null; readonly quality: TimingQuality; readonly halfTicksFromCentre: number };

/**
 * Whether a rite is the right one at the right time. Lateness is checked first: the step's
 * window has closed whoever channelled what, and recording it restarts the window (so onTick
 * does not record the same lapse again). Then who, then what, then when.
 */
function judgeRite(step: RitualStep, anchorTick: number, tick: number, seat: number, rite: RiteKind): RiteJudgement {
  const timing = judgeTiming(step.window, anchorTick, tick);
  if (timing.verdict === 'too_late') return { misstep: 'too_late' };
  if (step.seat !== 'any' && step.seat !== seat) return { misstep: 'wrong_player' };
  if (step.rite !== rite) return { misstep: 'wrong_rite' };
  if (timing.verdict === 'too_early') return { misstep: 'too_early' };
  return { misstep: null, quality: timing.quality, halfTicksFromCentre: timing.halfTicksFromCentre };
}

function currentStep(ritual: ActiveRitual): RitualStep {
  const step = ritual.definition.steps[ritual.step];
  // Completing the last step ends the ritual in the same decision, so this is a bug.
  if (!step) throw new Error(`ritual ${ritual.ritualId} is in progress past its last step (${ritual.step})`);
  return step;
}

/** Score: rite points less one per misstep, never negative. */
export function scoreOf(ritual: RitualPerformance): number {
  return Math.max(0, ritual.points - ritual.mistakes);
}

function failure(ritual: RitualPerformance, reason: 'too_many_missteps' | 'abandoned', tick: number): RitualEvent {
  const data: RitualCompletedData = {
    outcome: 'failure', reason, score: scoreOf(ritual), tick, omen: 'none', unlocks: { codexEntries: [], anointments: [] },
  };
  return { type: 'RitualCompleted', data };
}

function success(ritual: RitualPerformance, tick: number): RitualEvent {
  const { omen, unlocks } = ritual.definition;
  const favourable = omen !== null && rollOmen(ritual.prng, omen)[0];
  const anointments = favourable ? [...unlocks.anointments, omen.anointment] : [...unlocks.anointments];
  const data: RitualCompletedData = {
    outcome: 'success',
    reason: 'all_rites_channelled',
    score: scoreOf(ritual),
    tick,
    omen: omen === null ? 'none' : favourable ? 'favourable' : 'silent',
    unlocks: { codexEntries: [...unlocks.codexEntries], anointments },
  };
  return { type: 'RitualCompleted', data };
}

/** A misstep, and the failure it causes once the group has made more than it is allowed. */
function misstep(ritual: ActiveRitual, reason: MisstepReason, tick: number, actor: { player: string; seat: number; rite: RiteKind } | null): RitualEvent[] {
  const event: RitualEvent = {
    type: 'RiteMisstepped',
    data: { step: ritual.step, reason, tick, player: actor?.player ?? null, seat: actor?.seat ?? null, rite: actor?.rite ?? null },
  };
  const after = evolve(ritual, event);
  if (after.status !== 'in_progress' || after.mistakes <= ritual.definition.allowedMistakes) return [event];
  return [event, failure(after, 'too_many_missteps', tick)];
}

export function channelRite(state: RitualState, command: ChannelRite, ctx: RuleContext): Decision<RitualEvent> {
  const seated = seatOf(state, command.playerId);
  if (!seated.ok) return seated.refusal;
  const { ritual, seat } = seated;
  if (ritual.lastChannelTick[seat] === ctx.tick) {
    return refuseWith('ritual/already_channelled_this_tick', 'your seat has already channelled a rite this tick');
  }
  const judgement = judgeRite(currentStep(ritual), ritual.anchorTick, ctx.tick, seat, command.rite);
  if (judgement.misstep !== null) {
    return accept(...misstep(ritual, judgement.misstep, ctx.tick, { player: command.playerId, seat, rite: command.rite }));
  }
  const channelled: RitualEvent = {
    type: 'RiteChannelled',
    data: {
      step: ritual.step, player: command.playerId, seat, rite: command.rite, tick: ctx.tick,
      quality: judgement.quality, halfTicksFromCentre: judgement.halfTicksFromCentre,
    },
  };
  const after = evolve(ritual, channelled);
  if (after.status !== 'in_progress' || after.step < after.definition.steps.length) return accept(channelled);
  return accept(channelled, success(after, ctx.tick));
}

export function abandon(state: RitualState, command: Abandon, ctx: RuleContext): Decision<RitualEvent> {
  const seated = seatOf(state, command.playerId);
  if (!seated.ok) return seated.refusal;
  const { ritual, seat } = seated;
  // A rite needs every seat: one participant walking away ends it for all.
  return accept({ type: 'RitualAbandoned', data: { player: command.playerId, seat, tick: ctx.tick } }, failure(ritual, 'abandoned', ctx.tick));
}

export function decide(state: RitualState, command: RitualCommand, ctx: RuleContext): Decision<RitualEvent> {
  switch (command.type) {
    case 'ChannelRite':
      return channelRite(state, command, ctx);
    case 'Abandon':
      return abandon(state, command, ctx);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

/** End of tick: a window that closed with nobody channelling is a misstep, and the step's rhythm restarts. */
export function onTick(state: RitualState, ctx: RuleContext): readonly RitualEvent[] {
  if (state.status !== 'in_progress') return [];
  const step = currentStep(state);
  if (ctx.tick <= state.anchorTick + step.window.latest) return [];
  return misstep(state, 'window_expired', ctx.tick, null);
}

export const ritualDecider: TickDecider<RitualState, RitualCommand, RitualEvent> = { initialState, decide, onTick, evolve };
