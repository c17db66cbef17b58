// What readers ask of the spectator feed: one match's summary (by room id or stream id),
// the matches being played now, and the summaries that moved past a revision.
import { z } from 'zod';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { readModelTable } from '../runner/tables.ts';
import { MatchSummary } from './feed.ts';
import { SPECTATOR } from './projection.ts';

/** What `/watch` and the spectator room accept: a room id (`7f3a…`) or a stream id (`battle-7f3a…`). */
export const MatchRef = z.string().trim().regex(/^[A-Za-z0-9_.:@-]{1,200}$/, 'a match is a room id or a stream id such as battle-7f3a');

const table = (schema: string) => readModelTable(schema, SPECTATOR, 'matches');

/** The summary of a match, by stream id or room id (the newest, if a room id was reused); null if unknown. */
export async function summaryOf(db: SqlQueryable, schema: string, match: string): Promise<MatchSummary | null> {
  const rows = await db.query<{ summary: MatchSummary }>(
    `SELECT summary FROM ${table(schema)} WHERE stream_id = $1 OR match_id = $1 ORDER BY (stream_id = $1) DESC, position DESC LIMIT 1`,
    [match],
  );
  return rows[0] ? MatchSummary.parse(rows[0].summary) : null;
}

/** Matches under way, most recently active first. */
export async function liveMatches(db: SqlQueryable, schema: string, limit = 10): Promise<MatchSummary[]> {
  const rows = await db.query<{ summary: MatchSummary }>(
    `SELECT summary FROM ${table(schema)} WHERE status = 'live' ORDER BY updated_at DESC, stream_id LIMIT $1`,
    [limit],
  );
  return rows.map((r) => MatchSummary.parse(r.summary));
}

/** The current summaries of these streams (missing ones are left out). */
export async function summariesOf(db: SqlQueryable, schema: string, streamIds: readonly string[]): Promise<MatchSummary[]> {
  if (streamIds.length === 0) return [];
  const rows = await db.query<{ summary: MatchSummary }>(`SELECT summary FROM ${table(schema)} WHERE stream_id = ANY($1::text[])`, [streamIds]);
  return rows.map((r) => MatchSummary.parse(r.summary));
}
