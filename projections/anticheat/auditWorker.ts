// The continuous audit: a reactor that, whenever a battle, raid or ritual ends, audits its
// stream (hash chain, then a re-simulation with the rules version it was recorded with)
// and records the verdict as an AuditCompleted in `audit-<stream>`. The event id is derived
// from the audited stream and its last version, so a redelivered end event (the runner
// delivers at least once) or a second worker re-appends the same event: a no-op.
import type { Logger } from 'pino';
import type { EventCatalog } from '../../events/catalog.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import { IdempotencyConflict } from '../../events/errors.ts';
import type { EventStore } from '../../events/store.ts';
import { auditRecordedCooperatively } from './audit.ts';
import { AuditCompleted, auditCompletedFrom, auditEventId, auditStreamOf, unauditable, type AuditCompletedData } from './events.ts';
import { RulesVersionError, type RulesRegistry } from '../../events/tick/rulesVersions.ts';
import { defineReactor, type Reactor } from '../../events/processor.ts';

export type AuditWorkerDeps = {
  store: Pick<EventStore, 'readStream' | 'append'>;
  rules: RulesRegistry;
  catalog: EventCatalog;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Resolves once content published up to `position` is loadable (the content follower), so a match under a just-published version audits. */
  contentAt?: (position: number) => Promise<void>;
};

export const AUDIT_WORKER = 'audit_worker';

export function auditWorker(deps: AuditWorkerDeps): Reactor {
  return defineReactor({
    name: AUDIT_WORKER,
    eventTypes: deps.rules.endEventTypes,
    async react(events) {
      // A batch may end a stream more than once only by redelivery; audit each once.
      const ended = new Map<string, RecordedEvent>();
      for (const event of events) ended.set(event.streamId, event);
      if (deps.contentAt) await deps.contentAt(events.at(-1)!.position);
      for (const [streamId, end] of ended) await auditEnded(deps, streamId, end);
    },
  });
}

/** Audits one ended stream and records the verdict. Exposed for the CLI and tests. */
export async function auditEnded(deps: AuditWorkerDeps, streamId: string, end: Pick<RecordedEvent, 'id'>): Promise<AuditCompletedData> {
  const stored = await deps.store.readStream(streamId, { raw: true });
  let data: AuditCompletedData;
  try {
    // Cooperatively: the worker may share its process with live rooms.
    data = auditCompletedFrom(await auditRecordedCooperatively(streamId, stored, deps));
  } catch (error) {
    // A stream this build cannot replay is a finding, not a reason to stop auditing the rest.
    if (!(error instanceof RulesVersionError)) throw error;
    data = unauditable(streamId, stored.at(-1)?.version ?? -1, stored.length, { code: error.code, message: error.message });
  }
  const id = auditEventId(streamId, data.lastVersion);
  try {
    await deps.store.append(auditStreamOf(streamId), 'any', [
      { id, type: AuditCompleted.type, data, metadata: { actor: AUDIT_WORKER, causationId: end.id, correlationId: streamId } },
    ]);
  } catch (error) {
    // The same stream at the same version was audited before with another result: the rows
    // changed under an unchanged version (tampering after the first audit) or the rules code
    // did. The first record stands; this one is for a person to look at.
    if (!(error instanceof IdempotencyConflict)) throw error;
    deps.logger.error({ stream: streamId, version: data.lastVersion, verdict: data.verdict }, 'audit differs from the one recorded for this stream and version');
    return data;
  }
  const log = { stream: streamId, version: data.lastVersion, verdict: data.verdict, rulesVersion: data.rulesVersion };
  if (data.verdict === 'clean') deps.logger.info(log, 'stream audited');
  else deps.logger.warn({ ...log, divergence: data.divergence, tampered: data.tampered, problem: data.problem }, 'stream failed its audit');
  return data;
}
