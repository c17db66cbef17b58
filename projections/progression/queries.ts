// What the read API asks of progression: a player's profile (level, crowns, records,
// rating, recent history). Results are plain JSON (numbers, never bigints) described by zod
// schemas the API publishes.
import { z } from 'zod';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { readModelTable } from '../runner/tables.ts';
import { levelProgress, MAX_LEVEL } from './levels.ts';
import { newPlayer, playerSelectList, PROGRESSION, type PlayerRow } from './projection.ts';
import { RATING_SCALE, VOLATILITY_SCALE } from './rating.ts';

/** Above this RD (the Glicko scale) a rating is still provisional: too few games to trust. */
export const PROVISIONAL_RD = 110;

const count = z.int().min(0);

export const XpAward = z.object({
  position: z.int().describe('global position of the event that ended the match'),
  streamId: z.string(),
  eventId: z.string(),
  reason: z.string().describe('<kind>_<result>, e.g. battle_won, raid_victory, ritual_success'),
  xp: count,
});

export const RatingChange = z.object({
  position: z.int(),
  streamId: z.string(),
  result: z.enum(['win', 'draw', 'loss']),
  opponentRating: z.number().describe('the opposing side as one composite opponent'),
  ratingBefore: z.number(),
  ratingAfter: z.number(),
  rdBefore: z.number(),
  rdAfter: z.number(),
});

export const ProgressionView = z.object({
  playerId: z.string(),
  xp: count.describe('lifetime XP'),
  level: z.int().min(1),
  maxLevel: z.int(),
  ascension: count,
  xpIntoLevel: count,
  xpToNextLevel: z.int().min(1),
  crowns: count.describe('battles won: one crown per battle won without forfeiting'),
  battles: z.object({ played: count, won: count, drawn: count, lost: count, forfeited: count }),
  raids: z.object({ played: count, victories: count }),
  rituals: z.object({ performed: count, succeeded: count }),
  rating: z.object({
    rating: z.number().describe('Glicko-2 rating, 1500 for a new player'),
    rd: z.number().describe('rating deviation'),
    volatility: z.number(),
    ratedBattles: count,
    provisional: z.boolean(),
  }),
  recentAwards: z.array(XpAward).describe('latest first'),
  recentRatingChanges: z.array(RatingChange).describe('latest first'),
});
export type ProgressionView = z.infer<typeof ProgressionView>;

const table = (schema: string, key: string) => readModelTable(schema, PROGRESSION, key);

/** A player's progression; a player with no finished match yet gets a newcomer's profile. */
export async function progressionOf(db: SqlQueryable, schema: string, playerId: string, options: { recent?: number } = {}): Promise<ProgressionView> {
  const recent = Math.min(Math.max(options.recent ?? 10, 0), 100);
  const [rows, awards, changes] = await Promise.all([
    db.query<PlayerRow>(`SELECT ${playerSelectList} FROM ${table(schema, 'players')} WHERE player_id = $1`, [playerId]),
    db.query<{ position: number; stream_id: string; event_id: string; reason: string; xp: number }>(
      `SELECT position::float8 AS position, stream_id, event_id, reason, xp FROM ${table(schema, 'awards')} WHERE player_id = $1 ORDER BY position DESC LIMIT $2`,
      [playerId, recent],
    ),
    db.query<{ position: number; stream_id: string; result: 'win' | 'draw' | 'loss'; opponent_rating: number; rating_before: number; rating_after: number; rd_before: number; rd_after: number }>(
      `SELECT position::float8 AS position, stream_id, result, opponent_rating, rating_before, rating_after, rd_before, rd_after
         FROM ${table(schema, 'rating_changes')} WHERE player_id = $1 ORDER BY position DESC LIMIT $2`,
      [playerId, recent],
    ),
  ]);
  const row = rows[0] ?? newPlayer(playerId);
  const progress = levelProgress(row.xp);
  const rating = (value: number) => value / RATING_SCALE;
  return {
    playerId,
    xp: row.xp,
    level: progress.level,
    maxLevel: MAX_LEVEL,
    ascension: progress.ascension,
    xpIntoLevel: progress.xpIntoLevel,
    xpToNextLevel: progress.xpToNextLevel,
    crowns: row.crowns,
    battles: { played: row.battles, won: row.battles_won, drawn: row.battles_drawn, lost: row.battles_lost, forfeited: row.battles_forfeited },
    raids: { played: row.raids, victories: row.raid_victories },
    rituals: { performed: row.rituals, succeeded: row.rituals_succeeded },
    rating: {
      rating: rating(row.rating),
      rd: rating(row.rd),
      volatility: row.volatility / VOLATILITY_SCALE,
      ratedBattles: row.rated_battles,
      provisional: row.rd > PROVISIONAL_RD * RATING_SCALE,
    },
    recentAwards: awards.map((a) => ({ position: a.position, streamId: a.stream_id, eventId: a.event_id, reason: a.reason, xp: a.xp })),
    recentRatingChanges: changes.map((c) => ({
      position: c.position, streamId: c.stream_id, result: c.result, opponentRating: rating(c.opponent_rating),
      ratingBefore: rating(c.rating_before), ratingAfter: rating(c.rating_after), rdBefore: rating(c.rd_before), rdAfter: rating(c.rd_after),
    })),
  };
}
