// Seasons of the leaderboards: calendar months in UTC, named `S<year>-<month>` (S2026-11),
// taken from the recordedAt of the event that ended a match. recordedAt is written into
// the log when the event is appended, so a rebuild puts every match in the same season.
import { z } from 'zod';

/** The all-time board's season id. */
export const GLOBAL = 'global';

export const SeasonId = z.union([z.literal(GLOBAL), z.string().regex(/^S\d{4}-(0[1-9]|1[0-2])$/, 'seasons look like S2026-11 (or global)')]);
export type SeasonId = z.infer<typeof SeasonId>;

/** The season of an event recorded at `recordedAt` (an ISO 8601 UTC timestamp, as the store writes it). */
export function seasonOf(recordedAt: string): string {
  const match = /^(\d{4})-(\d{2})-\d{2}T.*Z$/.exec(recordedAt);
  if (!match) throw new Error(`recordedAt ${recordedAt} is not an ISO 8601 UTC timestamp`);
  return `S${match[1]}-${match[2]}`;
}
