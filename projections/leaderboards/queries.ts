// What the read API asks of the leaderboards: a page of a board (global or one season) with
// ranks, a player's rank on a board, and the seasons there are. Results are plain JSON
// described by zod schemas the API publishes; LeaderboardQuery validates the API's input.
//
// Ranks are standard competition ranks: equal scores share a rank and the next rank skips
// (1, 2, 2, 4). Within a tie, entries are ordered by player id, which `position` (1, 2, 3,
// 4) reflects, so pages are stable. A board lists only players with a score on it: rated
// battles for the rating board, at least one crown or raid victory for the others.
import { z } from 'zod';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { RATING_SCALE } from '../progression/rating.ts';
import { readModelTable } from '../runner/tables.ts';
import { LEADERBOARDS } from './projection.ts';
import { GLOBAL, SeasonId } from './seasons.ts';

export const boards = ['rating', 'crowns', 'raid_victories'] as const;
export const Board = z.enum(boards);
export type Board = z.infer<typeof Board>;

/** Per board: the column it ranks by, who is on it, and how a stored score reads. */
const boardSql: Readonly<Record<Board, { column: string; onBoard: string; score: (stored: number) => number }>> = {
  rating: { column: 'rating', onBoard: 'rated_battles > 0', score: (stored) => stored / RATING_SCALE },
  crowns: { column: 'crowns', onBoard: 'crowns > 0', score: (stored) => stored },
  raid_victories: { column: 'raid_victories', onBoard: 'raid_victories > 0', score: (stored) => stored },
};

export const LeaderboardQuery = z.object({
  board: Board,
  season: SeasonId.default(GLOBAL),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type LeaderboardQuery = z.input<typeof LeaderboardQuery>;

export const LeaderboardEntry = z.object({
  rank: z.int().min(1).describe('competition rank: equal scores share it'),
  position: z.int().min(1).describe('place in the board order (score, then player id)'),
  playerId: z.string(),
  score: z.number().describe('Glicko-2 rating, crowns or raid victories'),
});

export const LeaderboardPage = z.object({
  board: Board,
  season: z.string(),
  /** Players on the board. */
  total: z.int().min(0),
  entries: z.array(LeaderboardEntry),
});
export type LeaderboardPage = z.infer<typeof LeaderboardPage>;

export const PlayerRank = z.object({
  board: Board,
  season: z.string(),
  playerId: z.string(),
  /** Null when the player is not on this board. */
  rank: z.int().min(1).nullable(),
  position: z.int().min(1).nullable(),
  score: z.number().nullable(),
  total: z.int().min(0),
});
export type PlayerRank = z.infer<typeof PlayerRank>;

const standings = (schema: string) => readModelTable(schema, LEADERBOARDS, 'standings');

export async function leaderboard(db: SqlQueryable, schema: string, query: LeaderboardQuery): Promise<LeaderboardPage> {
  const { board, season, limit, offset } = LeaderboardQuery.parse(query);
  const { column, onBoard, score } = boardSql[board];
  const [rows, [count]] = await Promise.all([
    db.query<{ player_id: string; score: number; rank: number }>(
      `SELECT player_id, ${column} AS score, (rank() OVER (ORDER BY ${column} DESC))::int AS rank
         FROM ${standings(schema)} WHERE season = $1 AND ${onBoard}
        ORDER BY ${column} DESC, player_id LIMIT $2 OFFSET $3`,
      [season, limit, offset],
    ),
    db.query<{ total: number }>(`SELECT count(*)::int AS total FROM ${standings(schema)} WHERE season = $1 AND ${onBoard}`, [season]),
  ]);
  return {
    board,
    season,
    total: count?.total ?? 0,
    entries: rows.map((row, index) => ({ rank: row.rank, position: offset + index + 1, playerId: row.player_id, score: score(row.score) })),
  };
}

/** Where a player stands on a board. */
export async function playerRank(db: SqlQueryable, schema: string, query: { board: Board; season?: string; playerId: string }): Promise<PlayerRank> {
  const board = Board.parse(query.board);
  const season = SeasonId.parse(query.season ?? GLOBAL);
  const { column, onBoard, score } = boardSql[board];
  const table = standings(schema);
  const [row] = await db.query<{ score: number | null; rank: number | null; position: number | null; total: number }>(
    `WITH me AS (SELECT ${column} AS score FROM ${table} WHERE season = $1 AND player_id = $2 AND ${onBoard})
     SELECT (SELECT score FROM me) AS score,
            (SELECT count(*)::int + 1 FROM ${table} WHERE season = $1 AND ${onBoard} AND ${column} > (SELECT score FROM me)) AS rank,
            (SELECT count(*)::int + 1 FROM ${table} WHERE season = $1 AND ${onBoard}
               AND (${column} > (SELECT score FROM me) OR (${column} = (SELECT score FROM me) AND player_id < $2))) AS position,
            (SELECT count(*)::int FROM ${table} WHERE season = $1 AND ${onBoard}) AS total`,
    [season, query.playerId],
  );
  const onIt = row !== undefined && row.score !== null;
  return {
    board,
    season,
    playerId: query.playerId,
    rank: onIt ? row.rank : null,
    position: onIt ? row.position : null,
    score: onIt ? score(row.score!) : null,
    total: row?.total ?? 0,
  };
}

/** The seasons with standings, latest first (the global board always exists). */
export async function seasons(db: SqlQueryable, schema: string): Promise<string[]> {
  const rows = await db.query<{ season: string }>(`SELECT DISTINCT season FROM ${standings(schema)} WHERE season <> $1 ORDER BY season DESC`, [GLOBAL]);
  return rows.map((row) => row.season);
}
