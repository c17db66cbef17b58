// Quests, story chapters, achievements and the season calendar, as content: a version's quest
// book ships with the rest of its content (Content.quests) and never changes once released,
// so a quest accepted under one version is judged by that version's objectives forever.
//
// Objectives are declarative, over facts the log records (a battle won with an oracle of an
// element, a ritual completed without a misstep, a raid boss defeated in a phase, a codex entry
// named by an event, a story encounter won), so the quest log can be advanced by a reactor and
// rebuilt from the log without code per quest.
import { z } from 'zod';
import { CodexEntryId } from './codex.ts';
import { Element } from './elements.ts';

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'ids are kebab-case, e.g. daily-first-win');
export const QuestId = Slug;
export const ChapterId = Slug;
export const EncounterId = Slug;
export const TitleId = Slug;
export const AchievementId = Slug;

/** When a quest resets: every day, every week, never (story), or inside its window (event). */
export const QuestCadence = z.enum(['daily', 'weekly', 'story', 'event']);
export type QuestCadence = z.infer<typeof QuestCadence>;

const Count = z.int().min(1).max(10_000).default(1);
const ContentSlug = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/);

/** What a quest asks for; each objective counts its own facts up to `count`. */
export const QuestObjective = z.discriminatedUnion('kind', [
  /** Battles won (on the winning side, not having forfeited), with an oracle of `element` fielded if given. */
  z.strictObject({ kind: z.literal('battles_won'), count: Count, element: Element.optional() }),
  /** Battles played to the end (not forfeited), whatever the result. */
  z.strictObject({ kind: z.literal('battles_played'), count: Count }),
  /** Rituals completed successfully; `perfect`: every rite perfectly timed, no misstep. */
  z.strictObject({ kind: z.literal('rituals_completed'), count: Count, ritualId: ContentSlug.optional(), perfect: z.boolean().default(false) }),
  /** Raids won against `bossId` (any boss if absent), the boss falling in phase `phaseId` if given. */
  z.strictObject({ kind: z.literal('raid_boss_defeated'), count: Count, bossId: ContentSlug.optional(), phaseId: ContentSlug.optional() }),
  /** A codex entry named by the log for the player: a successful ritual's unlocks, a quest's reward. */
  z.strictObject({ kind: z.literal('codex_entry'), count: z.literal(1).default(1), entryId: CodexEntryId }),
  /** A story encounter (a chapter's fixed ritual or raid) won. */
  z.strictObject({ kind: z.literal('encounter_won'), count: z.literal(1).default(1), encounterId: EncounterId }),
]);
export type QuestObjective = z.infer<typeof QuestObjective>;

/** Lower_snake_case, as the wallet names currencies. */
const Currency = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/);

export const QuestReward = z.strictObject({
  currencies: z.array(z.strictObject({ currency: Currency, amount: z.int().min(1).max(1_000_000) })).max(4).default([]),
  codexEntries: z.array(CodexEntryId).max(4).default([]),
  titles: z.array(TitleId).max(2).default([]),
});
export type QuestReward = z.infer<typeof QuestReward>;

/** ISO 8601 UTC instant, e.g. 2026-12-01T00:00:00Z. */
const Instant = z.iso.datetime();

export const QuestDefinition = z.strictObject({
  id: QuestId,
  cadence: QuestCadence,
  title: z.string().min(1).max(80),
  description: z.string().min(1).max(400),
  objectives: z.array(QuestObjective).min(1).max(5),
  /** What must be true to accept it: quests claimed before, codex entries unlocked. */
  requires: z.strictObject({ quests: z.array(QuestId).max(8).default([]), codexEntries: z.array(CodexEntryId).max(8).default([]) }).default({ quests: [], codexEntries: [] }),
  rewards: QuestReward,
  /** Event quests only: when they may be accepted and progressed. */
  window: z.strictObject({ from: Instant, until: Instant }).optional(),
});
export type QuestDefinition = z.infer<typeof QuestDefinition>;

/** A chapter's set piece: a ritual or raid with a fixed seed and setup, recorded like any match. */
export const StoryEncounter = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ritual'), id: EncounterId, seed: z.string().regex(/^[A-Za-z0-9-]{16,64}$/), ritualId: ContentSlug }),
  z.strictObject({ kind: z.literal('raid'), id: EncounterId, seed: z.string().regex(/^[A-Za-z0-9-]{16,64}$/), bossId: ContentSlug }),
]);
export type StoryEncounter = z.infer<typeof StoryEncounter>;

/** Chapters unlock in the book's order: the one before completed, and these codex entries unlocked. */
export const StoryChapter = z.strictObject({
  id: ChapterId,
  title: z.string().min(1).max(80),
  summary: z.string().min(1).max(400),
  requires: z.strictObject({ codexEntries: z.array(CodexEntryId).max(8).default([]) }).default({ codexEntries: [] }),
  /** Its story quests; the chapter completes when every one is completed. */
  quests: z.array(QuestId).min(1).max(8),
  encounter: StoryEncounter.optional(),
});
export type StoryChapter = z.infer<typeof StoryChapter>;

/** What earns an achievement, over the quest log. */
export const AchievementCriterion = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('quests_claimed'), atLeast: z.int().min(1).max(100_000), cadence: QuestCadence.optional() }),
  z.strictObject({ kind: z.literal('chapter_completed'), chapterId: ChapterId }),
  z.strictObject({ kind: z.literal('title_earned'), titleId: TitleId }),
]);
export type AchievementCriterion = z.infer<typeof AchievementCriterion>;

export const Achievement = z.strictObject({
  id: AchievementId,
  /** The Steamworks API name, so clients mirror the achievement on Steam. */
  steamId: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'Steam achievement API names are UPPER_SNAKE_CASE, e.g. ACH_FIRST_QUEST'),
  title: z.string().min(1).max(80),
  description: z.string().min(1).max(200),
  criterion: AchievementCriterion,
});
export type Achievement = z.infer<typeof Achievement>;

/** When daily and weekly quests reset, and the seasons they run in. All UTC. */
export const SeasonCalendar = z.strictObject({
  /** Minutes after 00:00 UTC at which a day's quests reset. */
  dailyResetMinute: z.int().min(0).max(1439),
  /** ISO weekday the week resets on (1 Monday … 7 Sunday), at dailyResetMinute. */
  weeklyResetWeekday: z.int().min(1).max(7),
  /** Seasons in order; daily and weekly quests are offered only inside one. */
  seasons: z.array(z.strictObject({ id: z.string().regex(/^S\d{4}-\d{2}$/), startsAt: Instant, endsAt: Instant })).max(64),
});
export type SeasonCalendar = z.infer<typeof SeasonCalendar>;

export const QuestBook = z
  .strictObject({
    calendar: SeasonCalendar,
    titles: z.array(z.strictObject({ id: TitleId, name: z.string().min(1).max(60) })).default([]),
    quests: z.array(QuestDefinition),
    chapters: z.array(StoryChapter).default([]),
    achievements: z.array(Achievement).default([]),
  })
  .superRefine((book, ctx) => {
    for (const problem of questBookProblems(book)) ctx.addIssue({ code: 'custom', message: problem });
  });
export type QuestBook = z.infer<typeof QuestBook>;

export const emptyQuestBook: QuestBook = { calendar: { dailyResetMinute: 0, weeklyResetWeekday: 1, seasons: [] }, titles: [], quests: [], chapters: [], achievements: [] };

function duplicates(ids: readonly string[]): string[] {
  return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
}

/** Cross-references a quest book must hold (raid bosses are checked against the content: content.ts). */
export function questBookProblems(book: QuestBook): string[] {
  const problems: string[] = [];
  for (const [what, ids] of [
    ['quest', book.quests.map((q) => q.id)], ['chapter', book.chapters.map((c) => c.id)], ['title', book.titles.map((t) => t.id)],
    ['achievement', book.achievements.map((a) => a.id)], ['Steam achievement', book.achievements.map((a) => a.steamId)],
    ['encounter', book.chapters.flatMap((c) => (c.encounter ? [c.encounter.id] : []))],
  ] as const) {
    for (const id of duplicates(ids)) problems.push(`${what} ${id} is defined twice`);
  }
  const titles = new Set(book.titles.map((t) => t.id));
  const earlier = new Set<string>();
  const chapterOf = new Map(book.chapters.flatMap((c) => c.quests.map((q) => [q, c.id] as const)));
  for (const quest of book.quests) {
    // Prerequisites come earlier in the book: no cycles, and players meet them in order.
    for (const required of quest.requires.quests) if (!earlier.has(required)) problems.push(`${quest.id} requires ${required}, which is not a quest defined before it`);
    earlier.add(quest.id);
    for (const title of quest.rewards.titles) if (!titles.has(title)) problems.push(`${quest.id} rewards unknown title ${title}`);
    if ((quest.cadence === 'event') !== (quest.window !== undefined)) problems.push(`${quest.id}: event quests, and only they, have a window`);
    if (quest.window && quest.window.from >= quest.window.until) problems.push(`${quest.id}: its window must end after it starts`);
    if ((quest.cadence === 'story') !== chapterOf.has(quest.id)) problems.push(`${quest.id}: story quests, and only they, belong to a chapter`);
    for (const objective of quest.objectives) {
      if (objective.kind === 'raid_boss_defeated' && objective.phaseId && !objective.bossId) problems.push(`${quest.id}: a phase names the boss it belongs to`);
    }
  }
  const questIds = new Set(book.quests.map((q) => q.id));
  for (const chapter of book.chapters) for (const id of chapter.quests) if (!questIds.has(id)) problems.push(`chapter ${chapter.id} lists unknown quest ${id}`);
  for (const id of duplicates(book.chapters.flatMap((c) => c.quests))) problems.push(`quest ${id} belongs to two chapters`);
  const chapterIds = new Set(book.chapters.map((c) => c.id));
  for (const achievement of book.achievements) {
    const { criterion } = achievement;
    if (criterion.kind === 'chapter_completed' && !chapterIds.has(criterion.chapterId)) problems.push(`achievement ${achievement.id} names unknown chapter ${criterion.chapterId}`);
    if (criterion.kind === 'title_earned' && !titles.has(criterion.titleId)) problems.push(`achievement ${achievement.id} names unknown title ${criterion.titleId}`);
  }
  book.calendar.seasons.forEach((season, i) => {
    if (season.startsAt >= season.endsAt) problems.push(`season ${season.id} must end after it starts`);
    const previous = book.calendar.seasons[i - 1];
    if (previous && previous.endsAt > season.startsAt) problems.push(`season ${season.id} starts before ${previous.id} ends`);
  });
  return problems;
}

export function questById(book: QuestBook, id: string): QuestDefinition | undefined {
  return book.quests.find((quest) => quest.id === id);
}

export function chapterById(book: QuestBook, id: string): StoryChapter | undefined {
  return book.chapters.find((chapter) => chapter.id === id);
}

/** The chapter a story quest belongs to. */
export function chapterOfQuest(book: QuestBook, questId: string): StoryChapter | undefined {
  return book.chapters.find((chapter) => chapter.quests.includes(questId));
}
