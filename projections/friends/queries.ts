// What readers ask of the friends read model.
import { z } from 'zod';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { readModelTable } from '../runner/tables.ts';

export const FriendLink = z.object({ playerId: z.string(), since: z.string() });
export const FriendsView = z.object({
  playerId: z.string(),
  /** Mutual friends only. */
  friends: z.array(FriendLink),
  incoming: z.array(FriendLink),
  outgoing: z.array(FriendLink),
  blocked: z.array(FriendLink),
});
export type FriendsView = z.infer<typeof FriendsView>;

export async function friendsOf(db: SqlQueryable, schema: string, playerId: string): Promise<FriendsView> {
  const rows = await db.query<{ other_id: string; status: string; since: Date | string }>(
    `SELECT other_id, status, since FROM ${readModelTable(schema, 'friends', 'links')} WHERE player_id = $1 ORDER BY since, other_id`,
    [playerId],
  );
  const of = (status: string) => rows.filter((r) => r.status === status).map((r) => ({ playerId: r.other_id, since: new Date(r.since).toISOString() }));
  return { playerId, friends: of('friend'), incoming: of('incoming'), outgoing: of('outgoing'), blocked: of('blocked') };
}
