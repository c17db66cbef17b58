// The ritual as clients see it: @colyseus/schema state mirrored from the rules state after
// each durable tick. Everything a performer or a spectator needs is public: the whole
// sequence of steps, the current step (its rite, whose seat, and its rhythm window both
// relative to the previous rite and as absolute ticks), missteps against the allowance,
// the score, and the outcome with its unlocks. Only a seat's last command ref is tagged
// `.view()`, so only that player's clients receive it.
import { schema, t, type SchemaType } from '@colyseus/schema';
import type { StateMirror } from '../shared/colyseusRoom.ts';
import type { StepSeat } from './content.ts';
import type { RitualState } from './model.ts';
import { scoreOf } from './rules.ts';
import { syncStrings } from '../shared/schemaSync.ts';

/**
 * Rituals tick at 5 Hz: the rhythm windows in content.ts are written for that rate. Shown
 * to clients because rooms sync `tick` only when something changes (or once a second), so
 * a client extrapolates the current tick between syncs.
 */
export const RITUAL_TICK_HZ = 5;

/** Seat numbers on the wire: 0..4, or ANY_SEAT for a step any participant may take. */
export const ANY_SEAT = -1;
const seatNumber = (seat: StepSeat): number => (seat === 'any' ? ANY_SEAT : seat);

export const RitualStepView = schema(
  { rite: t.string(), seat: t.int8(), earliest: t.uint16(), latest: t.uint16() },
  'RitualStep',
);
export type RitualStepView = SchemaType<typeof RitualStepView>;

export const RitualSeatView = schema(
  {
    playerId: t.string(),
    seat: t.uint8(),
    /** The last tick this seat channelled anything (right or wrong); -1 if never. */
    lastChannelTick: t.int32().default(-1),
    lastRef: t.string().view(),
  },
  'RitualSeat',
);
export type RitualSeatView = SchemaType<typeof RitualSeatView>;

export const RitualView = schema(
  {
    /** running | store_unavailable | over: whether the room takes commands. */
    roomStatus: t.string().default('running'),
    /** The last tick synced: on every change, otherwise once a second. */
    tick: t.uint32(),
    tickHz: t.uint8().default(RITUAL_TICK_HZ),
    /** not_started | in_progress | ended. */
    status: t.string(),
    ritualId: t.string(),
    ritualName: t.string(),
    contentVersion: t.string(),
    /** The whole sequence, in order. */
    steps: t.array(RitualStepView),
    /** Index of the step to channel next (equals the number of steps once all are channelled). */
    stepIndex: t.uint8(),
    /** The current step's rite; empty once the ritual has ended. */
    stepRite: t.string(),
    /** The seat that must channel it, or ANY_SEAT (-1) for anyone (also -1 once ended). */
    stepSeat: t.int8().default(ANY_SEAT),
    /** The player in that seat; empty for any seat. */
    stepPlayerId: t.string(),
    /** The current window, in ticks after anchorTick (the previous rite, a lapse, or the start). */
    windowEarliest: t.uint16(),
    windowLatest: t.uint16(),
    anchorTick: t.uint32(),
    /** The same window as absolute ticks, both inclusive: a rite lands in the tick after it is sent. */
    opensAtTick: t.uint32(),
    closesAtTick: t.uint32(),
    missteps: t.uint8(),
    /** Missteps tolerated; one more fails the ritual. */
    allowedMissteps: t.uint8(),
    points: t.uint16(),
    /** Points less one per misstep, never negative. */
    score: t.uint16(),
    /** success | failure; empty while the ritual is on. */
    outcome: t.string(),
    /** all_rites_channelled | too_many_missteps | abandoned. */
    endReason: t.string(),
    /** favourable | silent | none. */
    omen: t.string(),
    codexEntries: t.array('string'),
    anointments: t.array('string'),
    seats: t.map(RitualSeatView),
  },
  'RitualState',
);
export type RitualView = SchemaType<typeof RitualView>;

export const ritualMirror: StateMirror<RitualState, RitualView> = {
  createState: () => new RitualView(),
  mirror(view, state, room) {
    view.roomStatus = room.status;
    view.tick = room.tick;
    view.status = state.status;
    if (state.status === 'not_started') return;

    const { definition } = state;
    if (view.steps.length === 0) {
      view.ritualId = state.ritualId;
      view.ritualName = definition.name;
      view.contentVersion = state.contentVersion;
      view.allowedMissteps = definition.allowedMistakes;
      for (const step of definition.steps) {
        view.steps.push(new RitualStepView({ rite: step.rite, seat: seatNumber(step.seat), earliest: step.window.earliest, latest: step.window.latest }));
      }
    }

    view.stepIndex = state.step;
    view.anchorTick = state.anchorTick;
    view.missteps = state.mistakes;
    view.points = state.points;
    view.score = scoreOf(state);
    const step = state.status === 'in_progress' ? definition.steps[state.step] : undefined;
    view.stepRite = step?.rite ?? '';
    view.stepSeat = step ? seatNumber(step.seat) : ANY_SEAT;
    view.stepPlayerId = step && step.seat !== 'any' ? (state.participants[step.seat] ?? '') : '';
    view.windowEarliest = step?.window.earliest ?? 0;
    view.windowLatest = step?.window.latest ?? 0;
    view.opensAtTick = step ? state.anchorTick + step.window.earliest : 0;
    view.closesAtTick = step ? state.anchorTick + step.window.latest : 0;

    state.participants.forEach((playerId, seat) => {
      let shown = view.seats.get(playerId);
      if (!shown) {
        shown = new RitualSeatView();
        shown.playerId = playerId;
        shown.seat = seat;
        view.seats.set(playerId, shown);
      }
      shown.lastChannelTick = state.lastChannelTick[seat] ?? -1;
      shown.lastRef = room.lastRefs.get(playerId) ?? '';
    });

    const result = state.status === 'ended' ? state.result : undefined;
    view.outcome = result?.outcome ?? '';
    view.endReason = result?.reason ?? '';
    view.omen = result?.omen ?? '';
    syncStrings(view.codexEntries, result?.unlocks.codexEntries ?? []);
    syncStrings(view.anointments, result?.unlocks.anointments ?? []);
  },
  privateTo(view, playerId) {
    const seat = view.seats.get(playerId);
    return seat ? [seat] : [];
  },
};


