// Asynchronous ghost encounters over HTTP: POST a raid played on the client (setup, seed,
// inputs, claimed result); 200 with the recorded ghost when the rules reproduce the claim,
// 422 `ghost/diverged` naming the first tick where they do not, 409 for a different ghost
// under a recorded id, 403 when the caller is not in the party. (Add to the server's routes:
// `ghostRoutes(opened.store)`.)
import { z } from 'zod';
import type { EventStore } from '../../events/store.ts';
import { GhostSubmission, recordGhost } from '../../rooms/raid/ghost.ts';
import { accessCodes, hasRole } from '../../rooms/shared/access.ts';
import { defineRoute, HttpError } from './route.ts';

/** A long raid's inputs (20,000 at most) as JSON, with room to spare. */
const MAX_GHOST_BYTES = 4 * 1024 * 1024;

export const GhostAccepted = z.object({
  ghostId: z.string(),
  streamId: z.string(),
  outcome: z.enum(['victory', 'defeat', 'timeout']),
  endTick: z.int(),
  events: z.int(),
  lastVersion: z.int(),
});

export function ghostRoutes(store: Pick<EventStore, 'append'>) {
  return [
    defineRoute({
      name: 'submitGhost',
      method: 'POST',
      path: '/ghosts',
      summary: 'Submit a raid played on the client; the server re-simulates it and records it, or names the first divergence',
      tags: ['ghosts'],
      access: { roles: ['player'] },
      maxBodyBytes: MAX_GHOST_BYTES,
      body: GhostSubmission,
      response: GhostAccepted,
      refusals: {
        403: 'auth/forbidden: the caller is not in the party',
        409: 'ghost/already_submitted: a different ghost is recorded under this id',
        422: 'ghost/diverged: the rules do not reproduce the claim (the message names the tick and what differs); ghost/invalid: inputs the raid cannot take',
      },
      handle: async ({ body, principal }) => {
        // A player submits the raids they played; an admin may submit anyone's.
        if (principal && !hasRole(principal, 'admin') && !body.raid.participants.some((p) => p.playerId === principal.playerId)) {
          throw new HttpError(403, accessCodes.forbidden, `${principal.playerId} is not in this ghost's party`);
        }
        const result = await recordGhost(store, body);
        if (result.accepted) {
          const { accepted: _accepted, ...recorded } = result;
          return recorded;
        }
        throw new HttpError(result.code === 'ghost/already_submitted' ? 409 : 422, result.code, result.message);
      },
    }),
  ];
}
