// What the audit worker records: one AuditCompleted per audited room stream and version,
// in the stream `audit-<audited stream id>`, with an id derived from both (events/ids.ts), so
// auditing the same stream at the same version again appends nothing new.
import { z } from 'zod';
import { defineEvent, type EventOf } from '../../events/catalog.ts';
import type { AuditReport } from './audit.ts';
import { nameBasedUuid } from '../../events/ids.ts';

const Shape = z.strictObject({ type: z.string(), data: z.unknown() }).nullable();

export const AuditCompleted = defineEvent(
  'AuditCompleted',
  z.strictObject({
    stream: z.string().min(1).max(200),
    lastVersion: z.int().min(-1),
    /**
     * clean, diverged, tampered as `pantheon audit` reports them; unauditable when this
     * build cannot replay the stream (its rules version is unknown here, or it is no room's).
     */
    verdict: z.enum(['clean', 'diverged', 'tampered', 'unauditable']),
    kind: z.string().nullable(),
    rulesVersion: z.string().nullable(),
    contentVersion: z.string().nullable(),
    events: z.int().min(0),
    ticks: z.int().min(0),
    tampered: z.strictObject({ version: z.int().min(0), reason: z.string() }).nullable(),
    divergence: z
      .strictObject({ tick: z.int().min(0), version: z.int().min(0), expected: Shape, actual: Shape, diff: z.array(z.string()) })
      .nullable(),
    problem: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  }),
);
export type AuditCompleted = EventOf<typeof AuditCompleted>;
export type AuditCompletedData = AuditCompleted['data'];

export const auditEventDefinitions = [AuditCompleted] as const;

export const auditStreamOf = (streamId: string): string => `audit-${streamId}`;

/** The same stream audited at the same version always gets the same event id. */
export const auditEventId = (streamId: string, lastVersion: number): string => nameBasedUuid('audit', streamId, String(lastVersion));

export function auditCompletedFrom(report: AuditReport): AuditCompletedData {
  return { ...report, problem: null };
}

export function unauditable(stream: string, lastVersion: number, events: number, problem: { code: string; message: string }): AuditCompletedData {
  return {
    stream, lastVersion, verdict: 'unauditable', kind: null, rulesVersion: null, contentVersion: null,
    events, ticks: 0, tampered: null, divergence: null, problem,
  };
}
