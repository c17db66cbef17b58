// What readers ask of the quests read model: a player's quest log with each quest's
// objectives and progress, the story chapters with where the player stands, their titles,
// and every achievement (earned or not) with its Steam API name.
import { z } from 'zod';
import { contentByVersion, loadContent } from '../../events/content/registry.ts';
import { QuestObjective, QuestReward, type QuestBook } from '../../events/content/quests.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { readModelTable } from '../runner/tables.ts';
import { QUESTS } from './projection.ts';

export const QuestView = z.object({
  key: z.string(),
  questId: z.string(),
  cadence: z.enum(['daily', 'weekly', 'story', 'event']),
  title: z.string(),
  description: z.string(),
  status: z.enum(['active', 'completed', 'claimed']),
  period: z.string().nullable(),
  expiresAt: z.string().nullable(),
  objectives: z.array(z.object({ objective: QuestObjective, progress: z.int(), target: z.int() })),
  rewards: QuestReward,
});
export type QuestView = z.infer<typeof QuestView>;

export const QuestLogView = z.object({
  playerId: z.string(),
  quests: z.array(QuestView),
  chapters: z.array(z.object({ chapterId: z.string(), title: z.string(), completed: z.boolean(), encounter: z.enum(['ritual', 'raid']).nullable() })),
  titles: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type QuestLogView = z.infer<typeof QuestLogView>;

export const AchievementsView = z.object({
  playerId: z.string(),
  achievements: z.array(z.object({
    id: z.string(), steamId: z.string(), title: z.string(), description: z.string(), earned: z.boolean(),
    /** Global position of the event that earned it. */
    earnedAt: z.int().nullable(),
  })),
});
export type AchievementsView = z.infer<typeof AchievementsView>;

const table = (schema: string, name: string) => readModelTable(schema, QUESTS, name);

type LogRow = { quest_key: string; quest_id: string; cadence: QuestView['cadence']; content_version: string; period: string | null; expires_at: string | null; status: QuestView['status']; progress: number[] };

/** `book`: the quest book chapters and titles are shown from (default: the active content's). */
export async function questLogOf(db: SqlQueryable, schema: string, playerId: string, book: QuestBook = loadContent().quests): Promise<QuestLogView> {
  const rows = await db.query<LogRow>(
    `SELECT quest_key, quest_id, cadence, content_version, period, expires_at, status, progress FROM ${table(schema, 'log')} WHERE player_id = $1 ORDER BY accepted_position`,
    [playerId],
  );
  const quests = rows.flatMap((row) => {
    const quest = contentByVersion(row.content_version).quests.quests.find((q) => q.id === row.quest_id);
    if (!quest) return [];
    return [{
      key: row.quest_key, questId: row.quest_id, cadence: row.cadence, title: quest.title, description: quest.description, status: row.status,
      period: row.period, expiresAt: row.expires_at, rewards: quest.rewards,
      objectives: quest.objectives.map((objective, i) => ({ objective, progress: row.progress[i] ?? 0, target: objective.count })),
    }];
  });
  const chapters = new Set((await db.query<{ chapter_id: string }>(`SELECT chapter_id FROM ${table(schema, 'chapters')} WHERE player_id = $1`, [playerId])).map((r) => r.chapter_id));
  const titles = await db.query<{ title_id: string }>(`SELECT title_id FROM ${table(schema, 'titles')} WHERE player_id = $1 ORDER BY position`, [playerId]);
  return {
    playerId,
    quests,
    chapters: book.chapters.map((c) => ({ chapterId: c.id, title: c.title, completed: chapters.has(c.id), encounter: c.encounter?.kind ?? null })),
    titles: titles.map((t) => ({ id: t.title_id, name: book.titles.find((x) => x.id === t.title_id)?.name ?? t.title_id })),
  };
}

export async function achievementsOf(db: SqlQueryable, schema: string, playerId: string, book: QuestBook = loadContent().quests): Promise<AchievementsView> {
  const rows = await db.query<{ achievement_id: string; steam_id: string; title: string; position: string }>(
    `SELECT achievement_id, steam_id, title, position FROM ${table(schema, 'achievements')} WHERE player_id = $1`,
    [playerId],
  );
  const earned = new Map(rows.map((r) => [r.achievement_id, r]));
  // Every achievement of the book, and any earned under an older one that it no longer lists.
  const listed = book.achievements.map((a) => ({ id: a.id, steamId: a.steamId, title: a.title, description: a.description }));
  const older = rows.filter((r) => !listed.some((a) => a.id === r.achievement_id)).map((r) => ({ id: r.achievement_id, steamId: r.steam_id, title: r.title, description: r.title }));
  return {
    playerId,
    achievements: [...listed, ...older].map((a) => ({ ...a, earned: earned.has(a.id), earnedAt: earned.has(a.id) ? Number(earned.get(a.id)!.position) : null })),
  };
}
