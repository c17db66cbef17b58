// Operators' actions over HTTP, for admins only: rebuilding a projection from the start of
// the log (what `pantheon projections rebuild` does from the command line).
import { z } from 'zod';
import { ProjectionError, type ProjectionRunner } from '../../projections/index.ts';
import { defineRoute, HttpError } from './route.ts';

const statusOf: Record<ProjectionError['code'], number> = {
  'projections/unknown': 404,
  'projections/not_rebuildable': 409,
  'projections/rebuild_in_progress': 409,
};

export function adminRoutes(runner: ProjectionRunner) {
  return [
    defineRoute({
      name: 'rebuildProjection',
      method: 'POST',
      path: '/projections/:name/rebuild',
      summary: 'Rebuild a projection from position 0 into fresh tables, then swap them in',
      tags: ['operations'],
      access: 'admin',
      params: z.strictObject({ name: z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'projection names are lower-case, e.g. wallets') }),
      response: z.object({ projections: z.array(z.string()), events: z.int(), position: z.int(), durationMs: z.number(), eventsPerSecond: z.number() }),
      refusals: { 404: 'No such projection (projections/unknown)', 409: 'A reactor, or already being rebuilt (projections/not_rebuildable, projections/rebuild_in_progress)' },
      handle: async ({ params }) => {
        try {
          return await runner.rebuild([params.name]);
        } catch (error) {
          if (error instanceof ProjectionError) throw new HttpError(statusOf[error.code], error.code, error.message);
          throw error;
        }
      },
    }),
  ];
}
