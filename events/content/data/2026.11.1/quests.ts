// The quest book of content 2026.11.1: daily and weekly quests, the first story chapters and
// their encounters, an event quest, titles and achievements (with their Steam API names).
// Frozen once released, like the rest of the version: new quests are a new version.
import type { z } from 'zod';
import type { QuestBook } from '../../quests.ts';

export const quests_2026_11_1 = {
  calendar: {
    dailyResetMinute: 0,
    weeklyResetWeekday: 1,
    seasons: [
      { id: 'S2026-01', startsAt: '2026-01-01T00:00:00Z', endsAt: '2027-01-01T00:00:00Z' },
      { id: 'S2027-01', startsAt: '2027-01-01T00:00:00Z', endsAt: '2028-01-01T00:00:00Z' },
    ],
  },
  titles: [
    { id: 'rhythm-keeper', name: 'Keeper of the Rhythm' },
    { id: 'dawnbringer', name: 'Dawnbringer' },
    { id: 'tidecaller', name: 'Tidecaller' },
  ],
  quests: [
    {
      id: 'daily-first-win', cadence: 'daily', title: 'A Crown a Day', description: 'Win a battle today.',
      objectives: [{ kind: 'battles_won', count: 1 }], rewards: { currencies: [{ currency: 'coins', amount: 25 }] },
    },
    {
      id: 'daily-fire-trial', cadence: 'daily', title: 'Trial by Fire', description: 'Win two battles with a fire oracle on your side.',
      objectives: [{ kind: 'battles_won', count: 2, element: 'fire' }], rewards: { currencies: [{ currency: 'coins', amount: 40 }, { currency: 'embers', amount: 1 }] },
    },
    {
      id: 'weekly-arena-regular', cadence: 'weekly', title: 'Arena Regular', description: 'Fight ten battles to the end this week.',
      objectives: [{ kind: 'battles_played', count: 10 }], rewards: { currencies: [{ currency: 'coins', amount: 150 }] },
    },
    {
      id: 'weekly-perfect-rhythm', cadence: 'weekly', title: 'Perfect Rhythm', description: 'Complete a ritual with every rite perfectly timed and no misstep.',
      objectives: [{ kind: 'rituals_completed', count: 1, perfect: true }], rewards: { currencies: [{ currency: 'embers', amount: 3 }], titles: ['rhythm-keeper'] },
    },
    {
      id: 'weekly-into-the-abyss', cadence: 'weekly', title: 'Into the Abyss', description: 'Defeat the Leviathan in its third phase, From the Abyss.',
      objectives: [{ kind: 'raid_boss_defeated', count: 1, bossId: 'leviathan', phaseId: 'abyss' }], rewards: { currencies: [{ currency: 'coins', amount: 300 }, { currency: 'embers', amount: 5 }] },
    },
    {
      id: 'story-first-dawn-crown', cadence: 'story', title: 'The First Dawn: a Crown', description: 'Prove yourself in the arena: win a battle.',
      objectives: [{ kind: 'battles_won', count: 1 }], rewards: { currencies: [{ currency: 'coins', amount: 50 }] },
    },
    {
      id: 'story-first-dawn-hymn', cadence: 'story', title: 'The First Dawn: the Hymn', description: 'Learn the Dawn Hymn by performing the Anointing of the Dawn.',
      objectives: [{ kind: 'codex_entry', entryId: 'codex/dawn-hymn' }], rewards: { currencies: [{ currency: 'coins', amount: 50 }], titles: ['dawnbringer'] },
    },
    {
      id: 'story-tide-call', cadence: 'story', title: 'The Tide Calls', description: 'Answer the sea: call the tide at the drowned harbour of Sel.',
      requires: { quests: ['story-first-dawn-hymn'] },
      objectives: [{ kind: 'encounter_won', encounterId: 'harbour-of-sel' }], rewards: { currencies: [{ currency: 'coins', amount: 120 }], codexEntries: ['codex/oracle-of-tides'], titles: ['tidecaller'] },
    },
    {
      id: 'story-leviathan', cadence: 'story', title: 'The Leviathan Stirs', description: 'Face what the tide woke.',
      objectives: [{ kind: 'encounter_won', encounterId: 'leviathan-wakes' }], rewards: { currencies: [{ currency: 'coins', amount: 400 }, { currency: 'embers', amount: 10 }] },
    },
    {
      id: 'event-ember-festival', cadence: 'event', title: 'Festival of Embers', description: 'Keep the Ember Vigil during the festival.',
      window: { from: '2026-12-01T00:00:00Z', until: '2027-01-06T00:00:00Z' },
      objectives: [{ kind: 'rituals_completed', count: 1, ritualId: 'ember-vigil' }], rewards: { currencies: [{ currency: 'embers', amount: 5 }] },
    },
  ],
  chapters: [
    {
      id: 'first-dawn', title: 'The First Dawn', summary: 'An oracle wakes, wins a crown, and hears the sky sung awake.',
      quests: ['story-first-dawn-crown', 'story-first-dawn-hymn'],
    },
    {
      id: 'tide-rising', title: 'The Tide Rising', summary: 'The Dawn Hymn carries to the sea, and the sea answers.',
      requires: { codexEntries: ['codex/dawn-hymn'] },
      quests: ['story-tide-call'],
      encounter: { kind: 'ritual', id: 'harbour-of-sel', seed: 'story-harbour-of-sel-0001', ritualId: 'tidecall' },
    },
    {
      id: 'leviathan-wakes', title: 'The Leviathan Wakes', summary: 'What the tide called rises from the abyss.',
      requires: { codexEntries: ['codex/tidecall'] },
      quests: ['story-leviathan'],
      encounter: { kind: 'raid', id: 'leviathan-wakes', seed: 'story-leviathan-wakes-0001', bossId: 'leviathan' },
    },
  ],
  achievements: [
    { id: 'first-quest', steamId: 'ACH_FIRST_QUEST', title: 'Quest Giver\'s Friend', description: 'Claim the reward of a quest.', criterion: { kind: 'quests_claimed', atLeast: 1 } },
    { id: 'daily-devotion', steamId: 'ACH_DAILY_DEVOTION', title: 'Daily Devotion', description: 'Claim seven daily quests.', criterion: { kind: 'quests_claimed', atLeast: 7, cadence: 'daily' } },
    { id: 'first-dawn', steamId: 'ACH_CHAPTER_FIRST_DAWN', title: 'The First Dawn', description: 'Complete the first chapter of the story.', criterion: { kind: 'chapter_completed', chapterId: 'first-dawn' } },
    { id: 'tidecaller', steamId: 'ACH_TIDECALLER', title: 'Tidecaller', description: 'Earn the title Tidecaller.', criterion: { kind: 'title_earned', titleId: 'tidecaller' } },
  ],
} satisfies z.input<typeof QuestBook>;
