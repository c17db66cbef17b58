// The audit of one room stream: is its result what its inputs, played by the rules it was
// recorded with, produce? First the hash chain (an edited, deleted or inserted row makes
// the stream `tampered` at that version), then a re-simulation from the creation event and
// the recorded commands with the recorded rules version (the first event the rules do not
// reproduce makes it `diverged` at that tick), else `clean`.
//
// Pure over the events it is given; `auditStream` only adds the read. Used by `pantheon
// audit` and by the audit worker (which audits recorded ghost encounters like any raid).
import type { EventCatalog } from '../../events/catalog.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import { verifyChainSteps } from '../../events/hashChain.ts';
import type { EventStore } from '../../events/store.ts';
import { replaySteps } from '../../events/tick/replay.ts';
import { roomEventDefinitions } from '../../events/tick/roomEvents.ts';
import type { RulesRegistry } from '../../events/tick/rulesVersions.ts';
import { describeDifference, type EventShape } from '../../events/tick/diff.ts';

export type AuditVerdict = 'clean' | 'diverged' | 'tampered';

export type Divergence = {
  tick: number;
  /** The stream version where the log and the rules part ways. */
  version: number;
  /** What the log holds there (null: the rules produce an event the log lacks). */
  expected: EventShape;
  /** What the recorded rules produce there (null: the log holds an event the rules do not produce). */
  actual: EventShape;
  /** One line per differing field. */
  diff: string[];
};

export type AuditReport = {
  stream: string;
  verdict: AuditVerdict;
  /** Kind and rules the stream was recorded with (null when tampering hides them). */
  kind: string | null;
  rulesVersion: string | null;
  contentVersion: string | null;
  /** Version of the stream's last stored event. */
  lastVersion: number;
  events: number;
  /** The last tick the stream records. */
  ticks: number;
  tampered: { version: number; reason: string } | null;
  divergence: Divergence | null;
};

export type AuditDeps = { rules: RulesRegistry; catalog: EventCatalog };

export type AuditOptions = {
  /**
   * The last version an earlier audit saw. A hash chain cannot tell a stream cut short at its
   * end from one that ended there; an audit that once saw more events can.
   */
  knownLastVersion?: number;
};

export class AuditError extends Error {
  readonly code: 'audit/unknown_stream';
  constructor(code: AuditError['code'], message: string) {
    super(message);
    this.name = 'AuditError';
    this.code = code;
  }
}

/** Reads a stream as stored and audits it. Throws AuditError for an unknown stream, RulesVersionError for unknown rules. */
export async function auditStream(store: Pick<EventStore, 'readStream'>, streamId: string, deps: AuditDeps, options: AuditOptions = {}): Promise<AuditReport> {
  const stored = await store.readStream(streamId, { raw: true });
  if (stored.length === 0) throw new AuditError('audit/unknown_stream', `there is no stream ${streamId}`);
  return auditRecorded(streamId, stored, deps, options);
}

/**
 * Audits a stream's events, read raw (as stored: not upcast), in version order.
 * @throws RulesVersionError when the stream is not a room's or its rules version is unknown to this build.
 */
export function auditRecorded(streamId: string, stored: readonly RecordedEvent[], deps: AuditDeps, options: AuditOptions = {}): AuditReport {
  const steps = auditSteps(streamId, stored, deps, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same audit, letting other work on this thread run every few milliseconds: the audit
 * worker shares its process with live rooms, whose ticks must not wait for a long replay.
 */
export async function auditRecordedCooperatively(streamId: string, stored: readonly RecordedEvent[], deps: AuditDeps, options: AuditOptions = {}): Promise<AuditReport> {
  const steps = auditSteps(streamId, stored, deps, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Events hashed, and ticks re-simulated, between pauses. */
const EVENTS_PER_PAUSE = 500;
const TICKS_PER_PAUSE = 250;

function* auditSteps(streamId: string, stored: readonly RecordedEvent[], deps: AuditDeps, options: AuditOptions): Generator<void, AuditReport, void> {
  const last = stored.at(-1);
  const base = {
    stream: streamId,
    lastVersion: last?.version ?? -1,
    events: stored.length,
    ticks: last?.metadata.tick ?? 0,
  };
  const chain = yield* verifyChainSteps(stored, EVENTS_PER_PAUSE);
  const truncated = chain.intact && options.knownLastVersion !== undefined && options.knownLastVersion > chain.lastVersion;
  if (!chain.intact || truncated) {
    const tampered = chain.intact
      ? { version: chain.lastVersion + 1, reason: `versions ${chain.lastVersion + 1}..${options.knownLastVersion} were audited before and are missing now` }
      : { version: chain.version, reason: chain.reason };
    const rules = bestEffortRules(stored, deps);
    return { ...base, verdict: 'tampered', ...rules, tampered, divergence: null };
  }

  const first = stored[0]!;
  const resolved = deps.rules.resolve(first);
  const known = { kind: resolved.kindName, rulesVersion: resolved.rulesVersion, contentVersion: resolved.contentVersion ?? null };
  const current = currentSchemaVersions(deps.rules);

  const events: RecordedEvent[] = [];
  for (const event of stored) {
    // The chain proves the row is what the store wrote, and the store validated it then;
    // only data written at an older schema version needs upcasting (and re-validating).
    if (current.get(event.type) === event.schemaVersion) {
      events.push(event);
      continue;
    }
    try {
      events.push({ ...event, data: deps.catalog.decode(event.type, event.schemaVersion, event.data, { streamId, version: event.version, eventId: event.id }) });
    } catch (error) {
      const recorded = { type: event.type, data: event.data };
      const problem = error instanceof Error ? error.message : String(error);
      const divergence = { tick: event.metadata.tick ?? 0, version: event.version, expected: recorded, actual: null, diff: [`the log's ${event.type} cannot be read: ${problem}`] };
      return { ...base, verdict: 'diverged', ...known, tampered: null, divergence };
    }
  }

  const result = yield* replaySteps(resolved.kind, events, TICKS_PER_PAUSE);
  if (result.ok) return { ...base, verdict: 'clean', ...known, tampered: null, divergence: null };
  const { tick, version, expected, actual } = result.divergence;
  return {
    ...base,
    verdict: 'diverged',
    ...known,
    tampered: null,
    divergence: { tick, version, expected, actual, diff: describeDifference(expected, actual) },
  };
}

function bestEffortRules(stored: readonly RecordedEvent[], deps: AuditDeps): Pick<AuditReport, 'kind' | 'rulesVersion' | 'contentVersion'> {
  const first = stored[0];
  try {
    if (first?.version === 0) {
      const resolved = deps.rules.resolve(first);
      return { kind: resolved.kindName, rulesVersion: resolved.rulesVersion, contentVersion: resolved.contentVersion ?? null };
    }
  } catch {
    // A tampered creation event may name no rules at all; the verdict says enough.
  }
  return { kind: null, rulesVersion: null, contentVersion: null };
}

const schemaVersionCache = new WeakMap<RulesRegistry, Map<string, number>>();

/** The schema version this build writes, per event type of every registered kind. */
function currentSchemaVersions(rules: RulesRegistry): Map<string, number> {
  let versions = schemaVersionCache.get(rules);
  if (!versions) {
    versions = new Map();
    for (const definition of roomEventDefinitions) versions.set(definition.type, definition.schemaVersion);
    for (const kind of rules.kinds) {
      for (const { kind: room } of kind.versions) for (const definition of room.events) versions.set(definition.type, definition.schemaVersion);
    }
    schemaVersionCache.set(rules, versions);
  }
  return versions;
}
