// A room stream as `pantheon replay` and the web replay viewer show it: its timeline (every
// command accepted or refused and every event, by version and tick), what its hash chain and
// versions say about it, its state hash checkpoints, and its state folded up to any point
// with the rules version it was recorded with. One module, so the CLI and GET /replays/:stream
// show the same data.
import type { RecordedEvent } from '../events/envelope.ts';
import { verifyChain } from '../events/hashChain.ts';
import { roomEventTypes, StateHashed } from '../events/tick/roomEvents.ts';
import type { AuditReport } from '../projections/anticheat/audit.ts';
import { roomRules } from '../rooms/rulesRegistry.ts';

export type TimelineEntry = { version: number; position: number; tick: number | null; type: string; data: unknown; recordedAt: string };

export function timelineEntry(event: RecordedEvent): TimelineEntry {
  return { version: event.version, position: event.position, tick: event.metadata.tick ?? null, type: event.type, data: event.data, recordedAt: event.metadata.recordedAt };
}

/** The stream's problems a reader of its timeline must know: a broken hash chain, missing versions. */
export function chainWarnings(streamId: string, stored: readonly RecordedEvent[]): string[] {
  const warnings: string[] = [];
  const missing: number[] = [];
  stored.forEach((event, index) => {
    const expected = index === 0 ? 0 : stored[index - 1]!.version + 1;
    for (let version = expected; version < event.version && missing.length < 20; version++) missing.push(version);
  });
  if (missing.length > 0) warnings.push(`${streamId} is missing version${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: the timeline has a gap there`);
  const verdict = verifyChain(stored);
  if (!verdict.intact) warnings.push(`${streamId}: hash chain broken at version ${verdict.version}: ${verdict.reason} (run pantheon audit ${streamId})`);
  return warnings;
}

export type Folded = { kind: string | null; rulesVersion: string | null; state: unknown; note: string | null };

/**
 * Folds a room stream's domain events with the rules it was recorded with.
 * @throws RulesVersionError when the stream's rules version is unknown to this build.
 */
export function foldRoom(events: readonly RecordedEvent[]): Folded {
  const first = events[0];
  if (!first) return { kind: null, rulesVersion: null, state: null, note: 'no events to fold' };
  if (!roomRules.kindCreatedBy(first.type)) return { kind: null, rulesVersion: null, state: null, note: `(no state: ${first.streamId} is not a room stream)` };
  const { kind, kindName, rulesVersion } = roomRules.resolve(first);
  let state = kind.decider.initialState();
  for (const event of events) if (!roomEventTypes.has(event.type)) state = kind.decider.evolve(state, { type: event.type, data: event.data });
  return { kind: kindName, rulesVersion, state, note: null };
}

/** Whether a stream is a room's (battle, raid, ritual, ghost encounter): the first event creates one. */
export function isRoomStream(events: readonly RecordedEvent[]): boolean {
  const first = events[0];
  return first !== undefined && first.version === 0 && roomRules.kindCreatedBy(first.type) !== undefined;
}

/** Whether the stream records its room's end. */
export function hasEnded(events: readonly RecordedEvent[]): boolean {
  return events.some((event) => roomRules.endEventTypes.has(event.type));
}

/**
 * A state hash checkpoint and what the audit says of it: `verified` (the re-simulation
 * produced the same hash), `mismatch` (the first bad tick is this checkpoint), or
 * `unverified` (at or past the first bad tick or version, or past the tampering).
 */
export type Checkpoint = { tick: number; version: number; hash: string; status: 'verified' | 'mismatch' | 'unverified' };

/** The first tick and version where the stream cannot be trusted, from its audit. */
export type FirstBad = { tick: number | null; version: number; verdict: 'diverged' | 'tampered'; reason: string };

export function firstBad(report: Pick<AuditReport, 'verdict' | 'divergence' | 'tampered'>, events: readonly RecordedEvent[]): FirstBad | null {
  if (report.verdict === 'diverged' && report.divergence) {
    const { tick, version, diff } = report.divergence;
    return { tick, version, verdict: 'diverged', reason: diff.join('; ') || 'the rules do not reproduce this event' };
  }
  if (report.verdict === 'tampered' && report.tampered) {
    const { version, reason } = report.tampered;
    const at = events.find((event) => event.version >= version);
    return { tick: at?.metadata.tick ?? null, version, verdict: 'tampered', reason };
  }
  return null;
}

export function checkpoints(events: readonly RecordedEvent[], bad: FirstBad | null): Checkpoint[] {
  return events
    .filter((event) => event.type === StateHashed.type)
    .map((event) => {
      const { tick, hash } = event.data as { tick: number; hash: string };
      let status: Checkpoint['status'] = 'verified';
      if (bad) {
        if (bad.verdict === 'diverged' && event.version === bad.version) status = 'mismatch';
        else if (event.version >= bad.version) status = 'unverified';
      }
      return { tick, version: event.version, hash, status };
    });
}
