// Operators' view of the read side: every projection and process manager with its
// position, lag and state. (Rebuilding is the CLI's job: `pantheon projections rebuild`.)
import { z } from 'zod';
import type { ProjectionRunner } from '../../projections/index.ts';
import { defineRoute } from './route.ts';

export const ProcessorStatusBody = z.object({
  name: z.string(),
  kind: z.enum(['projection', 'reactor']),
  state: z.enum(['idle', 'running', 'rebuilding', 'failed', 'stopped']),
  position: z.int(),
  head: z.int(),
  lagEvents: z.int(),
  lagMs: z.number(),
  version: z.int().nullable(),
  generation: z.int().nullable(),
  error: z.string().nullable(),
});

export function projectionRoutes(runner: ProjectionRunner) {
  return [
    defineRoute({
      name: 'projectionStatus',
      method: 'GET',
      path: '/projections',
      summary: 'Position, lag and state of every projection and process manager',
      tags: ['operations'],
      access: { roles: ['admin', 'auditor'] },
      response: z.object({ projections: z.array(ProcessorStatusBody) }),
      handle: async () => ({ projections: await runner.status() }),
    }),
  ];
}
