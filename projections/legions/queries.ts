// What readers ask of the legion hall: a legion, its members, its recent legion battles
// and its treasury (the wallets model's balances of `legion:<id>`).
import { z } from 'zod';
import { treasuryOf } from '../../commands/legions/model.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { readModelTable } from '../runner/tables.ts';

export const LegionHall = z.object({
  legionId: z.string(),
  name: z.string(),
  tag: z.string(),
  rating: z.int(),
  record: z.object({ wins: z.int(), losses: z.int(), draws: z.int() }),
  members: z.array(z.object({ playerId: z.string(), role: z.enum(['leader', 'officer', 'member']), joinedAt: z.string() })),
  recentMatches: z.array(z.object({ streamId: z.string(), opponentId: z.string(), result: z.enum(['win', 'loss', 'draw']), ratingAfter: z.int(), endedAt: z.string() })),
  treasury: z.array(z.object({ currency: z.string(), available: z.int() })),
});
export type LegionHall = z.infer<typeof LegionHall>;

export async function legionHall(db: SqlQueryable, schema: string, legionId: string): Promise<LegionHall | null> {
  const table = (name: string) => readModelTable(schema, 'legions', name);
  const [legion] = await db.query<{ name: string; tag: string; rating: number; wins: number; losses: number; draws: number }>(
    `SELECT name, tag, rating, wins, losses, draws FROM ${table('legions')} WHERE legion_id = $1`, [legionId]);
  if (!legion) return null;
  const members = await db.query<{ player_id: string; role: 'leader' | 'officer' | 'member'; joined_at: Date | string }>(
    `SELECT player_id, role, joined_at FROM ${table('members')} WHERE legion_id = $1 ORDER BY joined_at, player_id`, [legionId]);
  const matches = await db.query<{ stream_id: string; opponent_id: string; result: 'win' | 'loss' | 'draw'; rating_after: number; ended_at: Date | string }>(
    `SELECT stream_id, opponent_id, result, rating_after, ended_at FROM ${table('battles')} WHERE legion_id = $1 ORDER BY position DESC LIMIT 20`, [legionId]);
  const treasury = await db.query<{ currency: string; available: string }>(
    `SELECT currency, available FROM ${readModelTable(schema, 'wallets', 'balances')} WHERE player_id = $1 ORDER BY currency`, [treasuryOf(legionId)]);
  return {
    legionId,
    name: legion.name,
    tag: legion.tag,
    rating: legion.rating,
    record: { wins: legion.wins, losses: legion.losses, draws: legion.draws },
    members: members.map((m) => ({ playerId: m.player_id, role: m.role, joinedAt: new Date(m.joined_at).toISOString() })),
    recentMatches: matches.map((m) => ({ streamId: m.stream_id, opponentId: m.opponent_id, result: m.result, ratingAfter: m.rating_after, endedAt: new Date(m.ended_at).toISOString() })),
    treasury: treasury.map((t) => ({ currency: t.currency, available: Number(t.available) })),
  };
}

/** The legion a player belongs to (a player is in at most one at a time, the latest they joined). */
export async function legionOfPlayer(db: SqlQueryable, schema: string, playerId: string): Promise<string | null> {
  const [row] = await db.query<{ legion_id: string }>(
    `SELECT legion_id FROM ${readModelTable(schema, 'legions', 'members')} WHERE player_id = $1 ORDER BY joined_at DESC LIMIT 1`, [playerId]);
  return row?.legion_id ?? null;
}
