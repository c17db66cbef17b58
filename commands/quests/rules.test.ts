// Specs for every quest-log command and every refusal: given(history).when(command).then(...),
// over the quest book of the current content.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currentContentVersion } from '../../events/content/registry.ts';
import { checkAgainst } from '../../events/testing/ruleTesting.ts';
import { specFor } from '../../events/testing/specs.ts';
import type { AcceptQuest, OpenEncounter, QuestCommand, RecordProgress } from './commands.ts';
import { questEventDefinitions, type QuestEvent } from './events.ts';
import type { Fact } from './model.ts';
import { questRefusalCodes } from './refusals.ts';
import { questLogDecider } from './rules.ts';

const given = specFor(questLogDecider, { checkEvent: checkAgainst(questEventDefinitions) });
const v = currentContentVersion;
const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-11-14T12:00:00Z');
const p = 'ana';

const acceptCmd = (questId: string, extra: Partial<AcceptQuest> = {}): AcceptQuest => ({
  type: 'AcceptQuest', playerId: p, questId, now: NOW, contentVersion: v, headPosition: 10, codexEntries: [], ...extra,
});
const source = (position: number, recordedAt = NOW, streamId = `battle-b${position}`) => ({ eventId: `e${position}`, type: 'BattleEnded', streamId, position, recordedAt });
const record = (position: number, facts: Fact[], extra: Partial<RecordProgress['source']> = {}): RecordProgress => ({
  type: 'RecordProgress', playerId: p, source: { ...source(position), ...extra }, facts,
});
const won = (...elements: ('fire' | 'water' | 'air' | 'earth')[]): Fact[] => [{ kind: 'battle_won', elements }, { kind: 'battle_played' }];

/** The events a command leads to, from a history built by running commands in order. */
function history(...commands: QuestCommand[]): QuestEvent[] {
  const events: QuestEvent[] = [];
  for (const command of commands) events.push(...given(events).when(command).events());
  return events;
}

test('accepting a daily quest records it for today, expiring at the next UTC reset', () => {
  given([]).when(acceptCmd('daily-first-win')).then([{
    type: 'QuestAccepted',
    data: {
      playerId: p, key: 'daily-first-win@D2026-11-14', questId: 'daily-first-win', cadence: 'daily', contentVersion: v,
      period: 'D2026-11-14', expiresAt: '2026-11-15T00:00:00.000Z', acceptedAfter: 10, objectives: 1,
    },
  }]);
});

test('accept refusals: unknown, already accepted, already claimed, outside the event window, locked by quests, codex or chapter', () => {
  given([]).when(acceptCmd('no-such-quest')).thenRefused('quests/unknown_quest');
  given(history(acceptCmd('daily-first-win'))).when(acceptCmd('daily-first-win', { now: NOW + 3_600_000 })).thenRefused('quests/already_accepted');
  const claimedToday = history(acceptCmd('daily-first-win'), record(11, won()), { type: 'ClaimQuestReward', playerId: p, questId: 'daily-first-win', now: NOW });
  given(claimedToday).when(acceptCmd('daily-first-win')).thenRefused('quests/already_claimed');
  // The next day it is a new quest.
  given(claimedToday).when(acceptCmd('daily-first-win', { now: at('2026-11-15T00:00:00Z') })).events();
  given([]).when(acceptCmd('event-ember-festival')).thenRefused('quests/not_available');
  given([]).when(acceptCmd('event-ember-festival', { now: at('2026-12-24T18:00:00Z') })).events();
  given([]).when(acceptCmd('daily-first-win', { now: at('2030-01-01T00:00:00Z') })).thenRefused('quests/not_available');
  // story-tide-call needs story-first-dawn-hymn claimed, chapter first-dawn completed and codex/dawn-hymn.
  given([]).when(acceptCmd('story-tide-call', { codexEntries: ['codex/dawn-hymn'] })).thenRefused('quests/locked');
  given([]).when(acceptCmd('story-first-dawn-crown')).events();
});

test('progress counts matching facts after acceptance, once per source event, and completes the quest', () => {
  const accepted = history(acceptCmd('daily-fire-trial'));
  // An event at or before the acceptance does not count; a water win does not count.
  given(accepted).when(record(10, won('fire'))).then([]);
  given(accepted).when(record(11, won('water'))).then([]);
  const first = given(accepted).when(record(12, won('fire', 'water'))).events();
  assert.deepEqual(first.map((e) => [e.type, 'progress' in e.data ? e.data.progress : null]), [['QuestProgressed', 1]]);
  const afterFirst = [...accepted, ...first];
  // The same source again (redelivered) records nothing.
  given(afterFirst).when(record(12, won('fire'))).then([]);
  const second = given(afterFirst).when(record(13, won('fire'))).events();
  assert.deepEqual(second.map((e) => e.type), ['QuestProgressed', 'QuestCompleted']);
  // A completed quest counts no more.
  given([...afterFirst, ...second]).when(record(14, won('fire'))).then([]);
});

test('after its reset a daily quest stops progressing, and claiming it is refused as expired', () => {
  const accepted = history(acceptCmd('daily-first-win'));
  given(accepted).when(record(11, won(), { recordedAt: at('2026-11-15T00:00:00Z') })).then([]);
  given(accepted).when({ type: 'ClaimQuestReward', playerId: p, questId: 'daily-first-win', now: at('2026-11-15T00:00:01Z') }).thenRefused('quests/expired');
});

test('claiming: unfinished, finished, twice, never accepted', () => {
  const claim = (questId: string): QuestCommand => ({ type: 'ClaimQuestReward', playerId: p, questId, now: NOW });
  const accepted = history(acceptCmd('weekly-perfect-rhythm'));
  given(accepted).when(claim('weekly-perfect-rhythm')).thenRefused('quests/not_finished');
  // An imperfect ritual does not count, a perfect one does.
  given(accepted).when(record(11, [{ kind: 'ritual_completed', ritualId: 'tidecall', perfect: false }])).then([]);
  const done = [...accepted, ...given(accepted).when(record(12, [{ kind: 'ritual_completed', ritualId: 'tidecall', perfect: true }])).events()];
  const claimed = given(done).when(claim('weekly-perfect-rhythm'));
  claimed.then([{
    type: 'QuestRewardClaimed',
    data: {
      playerId: p, key: 'weekly-perfect-rhythm@W2026-11-09', questId: 'weekly-perfect-rhythm', cadence: 'weekly', contentVersion: v,
      rewards: { currencies: [{ currency: 'embers', amount: 3 }], codexEntries: [], titles: ['rhythm-keeper'] },
    },
  }]);
  assert.deepEqual([...claimed.stateAfter.titles], ['rhythm-keeper']);
  given([...done, ...claimed.events()]).when(claim('weekly-perfect-rhythm')).thenRefused('quests/already_claimed');
  given([]).when(claim('weekly-perfect-rhythm')).thenRefused('quests/not_accepted');
});

test('abandoning: a daily quest leaves the log and can be taken again; a story quest cannot be abandoned', () => {
  const abandon = (questId: string): QuestCommand => ({ type: 'AbandonQuest', playerId: p, questId });
  const accepted = history(acceptCmd('daily-first-win'));
  const out = given(accepted).when(abandon('daily-first-win'));
  out.then([{ type: 'QuestAbandoned', data: { playerId: p, key: 'daily-first-win@D2026-11-14', questId: 'daily-first-win' } }]);
  given([...accepted, ...out.events()]).when(acceptCmd('daily-first-win')).events();
  given([]).when(abandon('daily-first-win')).thenRefused('quests/not_accepted');
  given(history(acceptCmd('story-first-dawn-crown'))).when(abandon('story-first-dawn-crown')).thenRefused('quests/story_quest');
});

test('the first chapter completes with its last story quest; the next opens only with its codex entry, then its encounter', () => {
  const log = history(
    acceptCmd('story-first-dawn-crown'), acceptCmd('story-first-dawn-hymn'),
    record(11, won()),
  );
  const finale = given(log).when(record(12, [{ kind: 'codex_entry', entryId: 'codex/dawn-hymn' }], { type: 'RitualCompleted', streamId: 'ritual-r1' })).events();
  assert.deepEqual(finale.map((e) => e.type), ['QuestProgressed', 'QuestCompleted', 'StoryChapterCompleted']);
  assert.deepEqual(finale[2]!.data, { playerId: p, chapterId: 'first-dawn', title: 'The First Dawn', contentVersion: v, source: { ...source(12), type: 'RitualCompleted', streamId: 'ritual-r1' } });

  const open = (codexEntries: string[], chapterId = 'tide-rising'): OpenEncounter => ({ type: 'OpenEncounter', playerId: p, chapterId, party: ['bo', 'cy'], contentVersion: v, codexEntries });
  const chapterDone = [...log, ...finale];
  given(log).when(open(['codex/dawn-hymn'])).thenRefused('quests/locked');
  given(chapterDone).when(open([])).thenRefused('quests/locked');
  given(chapterDone).when(open(['codex/dawn-hymn'], 'first-dawn')).thenRefused('quests/no_encounter');
  given(chapterDone).when(open(['codex/dawn-hymn'], 'no-such-chapter')).thenRefused('quests/unknown_chapter');
  const opened = given(chapterDone).when(open(['codex/dawn-hymn'])).events();
  const data = opened[0]!.data as Extract<QuestEvent, { type: 'StoryEncounterOpened' }>['data'];
  assert.deepEqual([data.encounter, data.players, data.attempt], [{ kind: 'ritual', id: 'harbour-of-sel', seed: 'story-harbour-of-sel-0001', ritualId: 'tidecall' }, [p, 'bo', 'cy'], 1]);
  assert.equal(data.roomStreamId, `ritual-${data.roomId}`);

  // Winning the encounter's room completes the story quest that asks for it.
  const claimHymn: QuestCommand = { type: 'ClaimQuestReward', playerId: p, questId: 'story-first-dawn-hymn', now: NOW };
  const ready = [...chapterDone, ...opened, ...given([...chapterDone, ...opened]).when(claimHymn).events()];
  const tide = [...ready, ...given(ready).when(acceptCmd('story-tide-call', { codexEntries: ['codex/dawn-hymn'], headPosition: 20 })).events()];
  given(tide).when(record(21, [{ kind: 'ritual_completed', ritualId: 'tidecall', perfect: false }], { streamId: 'ritual-elsewhere' })).then([]);
  const won2 = given(tide).when(record(22, [{ kind: 'ritual_completed', ritualId: 'tidecall', perfect: false }], { streamId: data.roomStreamId })).events();
  assert.deepEqual(won2.map((e) => e.type), ['QuestProgressed', 'QuestCompleted', 'StoryChapterCompleted']);
  // A second attempt gets a room of its own, with the same seed.
  const again = given([...tide, ...won2]).when(open(['codex/dawn-hymn'])).events()[0]!.data as typeof data;
  assert.deepEqual([again.attempt, again.encounter.seed, again.roomId === data.roomId], [2, data.encounter.seed, false]);
});

test('every refusal code is exercised by a spec above', async () => {
  const source = await import('node:fs').then((fs) => fs.readFileSync(new URL(import.meta.url), 'utf8'));
  for (const code of questRefusalCodes) assert.ok(source.includes(`thenRefused('${code}')`), code);
});
