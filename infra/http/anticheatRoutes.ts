// What investigators read of the anti-cheat read model: the findings of the continuous
// audits (failed audits, inhuman command rates, repeated impossible commands).
import { z } from 'zod';
import { StreamId } from '../../events/envelope.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { ANTICHEAT, listFindings } from '../../projections/anticheat/index.ts';
import { readModelTable } from '../../projections/index.ts';
import { defineRoute } from './route.ts';

const FindingKind = z.enum(['diverged', 'tampered', 'unauditable', 'command_rate', 'repeated_refusal']);

const FindingBody = z.object({
  findingId: z.string(),
  streamId: z.string(),
  playerId: z.string().nullable(),
  kind: FindingKind,
  tick: z.int().nullable(),
  version: z.int().nullable(),
  detail: z.record(z.string(), z.unknown()),
  position: z.int(),
});

export function anticheatRoutes(db: SqlQueryable, schema: string) {
  return [
    defineRoute({
      name: 'listFindings',
      method: 'GET',
      path: '/anticheat/findings',
      summary: 'Anti-cheat findings, newest first, optionally of one stream or kind',
      tags: ['operations'],
      access: { roles: ['auditor', 'admin'] },
      query: z.strictObject({
        stream: StreamId.optional(),
        kind: FindingKind.optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      response: z.object({ findings: z.array(FindingBody) }),
      handle: async ({ query }) => ({
        findings: await listFindings(db, readModelTable(schema, ANTICHEAT, 'findings'), { streamId: query.stream, kind: query.kind, limit: query.limit }),
      }),
    }),
  ];
}
