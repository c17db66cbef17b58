// The quest book as content: it validates with the rest of its version, every id it names
// exists (codex entries, rituals, raid bosses and phases), and a broken book is refused with
// a message that names the problem.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ritualContent } from '../../rooms/ritual/content.ts';
import { loadCodex } from './codex.ts';
import { ContentError, loadContent, parseContent, type Content } from './index.ts';
import { QuestBook } from './quests.ts';

const content = loadContent();
const book = content.quests;

function assertInvalid(change: (data: Content) => void, fragment: string): void {
  const data = structuredClone(content);
  change(data);
  assert.throws(() => parseContent(data), (error: unknown) => error instanceof ContentError && error.message.includes(fragment), fragment);
}

test('the current content carries a quest book of every cadence, chapters in order and achievements with Steam ids', () => {
  assert.deepEqual([...new Set(book.quests.map((q) => q.cadence))].sort(), ['daily', 'event', 'story', 'weekly']);
  assert.deepEqual(book.chapters.map((c) => c.id), ['first-dawn', 'tide-rising', 'leviathan-wakes']);
  assert.ok(book.achievements.every((a) => /^ACH_[A-Z_]+$/.test(a.steamId)));
  assert.deepEqual(book.chapters.map((c) => c.encounter?.kind ?? null), [null, 'ritual', 'raid']);
});

test('every codex entry, ritual and boss the book names exists', () => {
  const codex = new Set(loadCodex().entries.map((e) => e.id));
  const named = [
    ...book.quests.flatMap((q) => [...q.requires.codexEntries, ...q.rewards.codexEntries, ...q.objectives.flatMap((o) => (o.kind === 'codex_entry' ? [o.entryId] : []))]),
    ...book.chapters.flatMap((c) => c.requires.codexEntries),
  ];
  assert.ok(named.length >= 4);
  for (const id of named) assert.ok(codex.has(id), id);
  const rituals = new Set(ritualContent.rituals.map((r) => r.id));
  for (const quest of book.quests) for (const o of quest.objectives) if (o.kind === 'rituals_completed' && o.ritualId) assert.ok(rituals.has(o.ritualId), o.ritualId);
  for (const chapter of book.chapters) if (chapter.encounter?.kind === 'ritual') assert.ok(rituals.has(chapter.encounter.ritualId));
});

test('content published without quests offers none', () => {
  const { quests: _none, ...rest } = structuredClone(content);
  assert.deepEqual(parseContent({ ...rest, contentVersion: '2026.11.9' }).quests.quests, []);
});

test('a broken quest book is refused, naming the problem', () => {
  assertInvalid((d) => { d.quests.quests.push(structuredClone(d.quests.quests[0]!)); }, 'quest daily-first-win is defined twice');
  assertInvalid((d) => { (d.quests.quests[0]!.requires as { quests: string[] }).quests = ['story-leviathan']; }, 'requires story-leviathan, which is not a quest defined before it');
  assertInvalid((d) => { d.quests.quests[0]!.rewards.titles = ['emperor']; }, 'rewards unknown title emperor');
  assertInvalid((d) => { d.quests.quests[0]!.cadence = 'story'; }, 'story quests, and only they, belong to a chapter');
  assertInvalid((d) => { delete d.quests.quests.find((q) => q.cadence === 'event')!.window; }, 'event quests, and only they, have a window');
  assertInvalid((d) => { d.quests.chapters[2]!.encounter = { kind: 'raid', id: 'x', seed: 'story-x-0000000001', bossId: 'kraken' }; }, 'names unknown raid boss kraken');
  assertInvalid((d) => { (d.quests.quests.find((q) => q.id === 'weekly-into-the-abyss')!.objectives[0] as { phaseId: string }).phaseId = 'cataclysm'; }, 'unknown phase cataclysm of leviathan');
  assertInvalid((d) => { d.quests.achievements[1]!.steamId = d.quests.achievements[0]!.steamId; }, 'Steam achievement ACH_FIRST_QUEST is defined twice');
  assert.equal(QuestBook.safeParse({ ...structuredClone(book), achievements: [{ ...book.achievements[0]!, steamId: 'first quest' }] }).success, false);
});
