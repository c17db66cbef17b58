// Asynchronous ghost encounters: a client plays a raid on its own (from a seed and a setup
// it was given) and submits its inputs with the result it claims. The server re-plays the
// inputs through the raid rules, tick by tick, exactly as a raid room would have, and
// either accepts the claim, recording the whole re-simulated raid in `ghost-<ghostId>` (an
// ordinary raid stream that `pantheon audit` and the audit worker check like any other),
// or rejects it with the first point where claim and rules part ways (`ghost/diverged`).
import { z } from 'zod';
import { canonicalJson } from '../../events/canonical.ts';
import type { NewEvent } from '../../events/envelope.ts';
import { ExpectedVersionConflict, IdempotencyConflict } from '../../events/errors.ts';
import type { EventStore } from '../../events/store.ts';
import type { RaidCommand, RaidEvent, RaidState } from './index.ts';
import { RaidRoomSetup, raidKind } from './room.ts';
import { refusalCodes } from '../shared/messages.ts';
import type { RoomKind } from '../../events/tick/roomKind.ts';
import { runTick, type TickInput } from '../../events/tick/tickCore.ts';
import { describeDifference, type EventShape } from '../../events/tick/diff.ts';
import { nameBasedUuid } from '../../events/ids.ts';

/** Stream category of recorded ghosts: `ghost-<ghostId>`. They are raids, ticking as raids do. */
export const GHOST_CATEGORY = 'ghost';
export const ghostStreamOf = (ghostId: string) => `${GHOST_CATEGORY}-${ghostId}`;

const MAX_INPUTS = 20_000;

/** One message the client's player sent, as a raid room would have received it, and the tick it was judged in. */
export const GhostInput = z.strictObject({
  tick: z.int().min(1),
  playerId: z.string().min(1).max(64),
  /** The message type: CastAbility, Forfeit. */
  type: z.string().min(1).max(64),
  payload: z.record(z.string(), z.unknown()).default({}),
  ref: z.string().max(64).optional(),
});
export type GhostInput = z.input<typeof GhostInput>;

const ClaimedEvent = z.strictObject({ tick: z.int().min(0), type: z.string().min(1).max(64), data: z.unknown() });

export const GhostSubmission = z.strictObject({
  ghostId: z.string().regex(/^[A-Za-z0-9_.:@-]{1,100}$/, 'ghost ids are 1-100 characters of A-Z a-z 0-9 _ . : @ -'),
  /** The raid as it was set up for the client (party, boss, tick limit). */
  raid: RaidRoomSetup,
  /** The seed the client played with; it decides every roll. */
  seed: z.string().min(16).max(128),
  /** In the order the raid received them: by tick, and within a tick as sent. */
  inputs: z.array(GhostInput).max(MAX_INPUTS),
  claimed: z.strictObject({
    outcome: z.enum(['victory', 'defeat', 'timeout']),
    /** The tick the raid ended in. */
    endTick: z.int().min(1),
    /**
     * Optionally the client's own log after creation (every event from tick 1, room events
     * included), which pins a divergence to its first event instead of the end.
     */
    events: z.array(ClaimedEvent).max(500_000).optional(),
  }),
});
export type GhostSubmission = z.input<typeof GhostSubmission>;

export type GhostDivergence = { tick: number; index: number; expected: EventShape; actual: EventShape; diff: string[] };

export type GhostVerdict =
  | { accepted: true; ghostId: string; outcome: 'victory' | 'defeat' | 'timeout'; endTick: number; events: NewEvent[] }
  | { accepted: false; ghostId: string; code: 'ghost/diverged'; message: string; divergence: GhostDivergence }
  | { accepted: false; ghostId: string; code: 'ghost/invalid'; message: string };

type Kind = RoomKind<RaidState, RaidCommand, RaidEvent, RaidRoomSetup>;

/**
 * Re-simulates a ghost and judges its claim. Pure: nothing is written. The result's events
 * are the stream a raid room would have appended (creation at tick 0, then every tick).
 */
export function judgeGhost(submission: z.output<typeof GhostSubmission>, kind: Kind = raidKind): GhostVerdict {
  const steps = ghostSteps(submission, kind);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The same judgement, letting the server's rooms tick every few hundred simulated ticks. */
export async function judgeGhostCooperatively(submission: z.output<typeof GhostSubmission>, kind: Kind = raidKind): Promise<GhostVerdict> {
  const steps = ghostSteps(submission, kind);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

const TICKS_PER_PAUSE = 250;

function* ghostSteps(submission: z.output<typeof GhostSubmission>, kind: Kind): Generator<void, GhostVerdict, void> {
  const { ghostId } = submission;
  const invalid = (message: string): GhostVerdict => ({ accepted: false, ghostId, code: 'ghost/invalid', message });
  const created = kind.create(submission.raid, { roomId: ghostId, seed: submission.seed, startTick: 1 });
  if (!created.ok) return invalid(`${created.refusal.code}: ${created.refusal.message}`);

  const byTick = new Map<number, TickInput<RaidCommand>[]>();
  let previousTick = 0;
  for (const input of submission.inputs) {
    if (input.tick < previousTick) return invalid(`inputs must be in tick order: tick ${input.tick} comes after tick ${previousTick}`);
    previousTick = input.tick;
    const list = byTick.get(input.tick) ?? [];
    list.push(parseInput(kind, input));
    byTick.set(input.tick, list);
  }

  const events: NewEvent[] = [];
  const eventId = () => nameBasedUuid('ghost', ghostId, String(events.length));
  for (const event of created.events) events.push({ id: eventId(), type: event.type, data: event.data, metadata: { tick: 0, actor: 'room' } });
  let state = created.events.reduce(kind.decider.evolve, kind.decider.initialState());
  const claimedLog = submission.claimed.events;
  let claimIndex = 0;
  let tick = 0;
  // A raid ends by its tick limit at the latest, so this loop is bounded by the setup.
  while (!kind.isOver(state)) {
    tick++;
    const result = runTick(kind.decider, state, tick, byTick.get(tick) ?? [], { hashEvery: kind.hashEvery });
    for (const event of result.events) {
      if (claimedLog) {
        const claimed = claimedLog[claimIndex];
        const actual = { type: event.type, data: event.data };
        if (!claimed || claimed.tick !== tick || claimed.type !== event.type || !sameData(claimed.data, event.data)) {
          const expected = claimed ? { type: claimed.type, data: claimed.data } : null;
          return diverged(ghostId, { tick: claimed && claimed.tick < tick ? claimed.tick : tick, index: claimIndex, expected, actual, diff: describeDifference(expected, actual, 'claimed') });
        }
        claimIndex++;
      }
      events.push({ id: eventId(), type: event.type, data: event.data, metadata: event.metadata });
    }
    if (claimedLog && claimedLog[claimIndex] && claimedLog[claimIndex]!.tick === tick) {
      const extra = claimedLog[claimIndex]!;
      const expected = { type: extra.type, data: extra.data };
      return diverged(ghostId, { tick, index: claimIndex, expected, actual: null, diff: describeDifference(expected, null, 'claimed') });
    }
    state = result.state;
    if (tick % TICKS_PER_PAUSE === 0) yield;
  }
  if (claimedLog && claimIndex < claimedLog.length) {
    const extra = claimedLog[claimIndex]!;
    const expected = { type: extra.type, data: extra.data };
    return diverged(ghostId, { tick: extra.tick, index: claimIndex, expected, actual: null, diff: describeDifference(expected, null, 'claimed') });
  }
  if (previousTick > tick) return invalid(`inputs run to tick ${previousTick} but the raid ended at tick ${tick}`);

  const outcome = state.outcome ?? 'timeout';
  const claim = submission.claimed;
  if (claim.outcome !== outcome || claim.endTick !== tick) {
    const expected = { type: 'RaidEnded', data: { outcome: claim.outcome, endTick: claim.endTick } };
    const actual = { type: 'RaidEnded', data: { outcome, endTick: tick } };
    return diverged(ghostId, { tick: Math.min(tick, claim.endTick), index: events.length - 1, expected, actual, diff: describeDifference(expected, actual, 'claimed') });
  }
  return { accepted: true, ghostId, outcome, endTick: tick, events };
}

export type GhostResult =
  | { accepted: true; ghostId: string; streamId: string; outcome: 'victory' | 'defeat' | 'timeout'; endTick: number; events: number; lastVersion: number }
  | { accepted: false; ghostId: string; code: 'ghost/diverged' | 'ghost/invalid' | 'ghost/already_submitted'; message: string; divergence?: GhostDivergence };

/**
 * Validates a submission (zod), judges it, and records an accepted ghost in its stream. The
 * event ids derive from the ghost id, so submitting the same ghost again is idempotent; a
 * different ghost under a recorded id is refused (`ghost/already_submitted`).
 */
export async function submitGhost(store: Pick<EventStore, 'append'>, body: unknown): Promise<GhostResult> {
  const parsed = GhostSubmission.safeParse(body);
  if (!parsed.success) {
    const ghostId = typeof body === 'object' && body !== null && 'ghostId' in body ? String(body.ghostId).slice(0, 100) : '';
    return { accepted: false, ghostId, code: 'ghost/invalid', message: z.prettifyError(parsed.error).replaceAll('\n', '; ') };
  }
  return recordGhost(store, parsed.data);
}

/** Judges an already validated submission and records it if accepted. */
export async function recordGhost(store: Pick<EventStore, 'append'>, submission: z.output<typeof GhostSubmission>): Promise<GhostResult> {
  const verdict = await judgeGhostCooperatively(submission);
  if (!verdict.accepted) return verdict;
  const streamId = ghostStreamOf(verdict.ghostId);
  try {
    const appended = await store.append(streamId, 'no_stream', verdict.events);
    return { accepted: true, ghostId: verdict.ghostId, streamId, outcome: verdict.outcome, endTick: verdict.endTick, events: verdict.events.length, lastVersion: appended.nextExpectedVersion };
  } catch (error) {
    if (error instanceof IdempotencyConflict || error instanceof ExpectedVersionConflict) {
      return { accepted: false, ghostId: verdict.ghostId, code: 'ghost/already_submitted', message: `a different ghost ${verdict.ghostId} is already recorded in ${streamId}` };
    }
    throw error;
  }
}

function diverged(ghostId: string, divergence: GhostDivergence): GhostVerdict {
  const message = `the claim and the raid rules part ways at tick ${divergence.tick}: ${divergence.diff.join('; ')}`;
  return { accepted: false, ghostId, code: 'ghost/diverged', message, divergence };
}

/** Parses one input as a raid room parses a client message. */
function parseInput(kind: Kind, input: z.output<typeof GhostInput>): TickInput<RaidCommand> {
  const { playerId, type } = input;
  const ref = input.ref === undefined ? {} : { ref: input.ref };
  const schema = Object.hasOwn(kind.commands, type) ? kind.commands[type] : undefined;
  if (!schema) return { kind: 'invalid', playerId, commandType: type, code: refusalCodes.unknown, message: `${kind.name} rooms take no command ${JSON.stringify(type)}`, ...ref };
  const parsed = schema.safeParse(input.payload);
  if (!parsed.success) return { kind: 'invalid', playerId, commandType: type, code: refusalCodes.invalid, message: z.prettifyError(parsed.error).replace(/\s*\n\s*/g, '; ').slice(0, 500), ...ref };
  return { kind: 'command', playerId, command: { ...(parsed.data as object), type, playerId } as RaidCommand, ...ref };
}

/** Key order must not matter when comparing a client's JSON with the rules' events. */
function sameData(claimed: unknown, produced: unknown): boolean {
  try {
    return canonicalJson(claimed) === canonicalJson(produced);
  } catch {
    return false; // a claim with no canonical form (a lone surrogate) cannot match
  }
}
