// The quest log's events, in `quests-<playerId>`: facts in past tense, defined once with zod.
// Progress names the source event it was read from, so the log says exactly which match
// advanced which objective, and a rebuild or an audit can follow it back.
import { z } from 'zod';
import { defineEvent, type EventOf } from '../../events/catalog.ts';
import { QuestCadence, QuestReward, StoryEncounter } from '../../events/content/quests.ts';
import { ContentVersion, PlayerId, QuestKey, Source } from './model.ts';

const QuestId = z.string().min(1).max(64);
const Instant = z.iso.datetime();
const quest = { playerId: PlayerId, key: QuestKey, questId: QuestId };

export const QuestAccepted = defineEvent('QuestAccepted', z.strictObject({
  ...quest,
  cadence: QuestCadence,
  contentVersion: ContentVersion,
  period: z.string().max(20).nullable(),
  expiresAt: Instant.nullable(),
  acceptedAfter: z.int().min(0),
  objectives: z.int().min(1).max(5),
}));

export const QuestAbandoned = defineEvent('QuestAbandoned', z.strictObject(quest));

export const QuestProgressed = defineEvent('QuestProgressed', z.strictObject({
  ...quest, objective: z.int().min(0).max(4), progress: z.int().min(1), target: z.int().min(1), source: Source,
}));

export const QuestCompleted = defineEvent('QuestCompleted', z.strictObject({ ...quest, source: Source }));

/** The reward as the content defined it when claimed; quest_rewards (rewards.ts) pays the coins. */
export const QuestRewardClaimed = defineEvent('QuestRewardClaimed', z.strictObject({
  ...quest, cadence: QuestCadence, contentVersion: ContentVersion, rewards: QuestReward,
}));

export const StoryChapterCompleted = defineEvent('StoryChapterCompleted', z.strictObject({
  playerId: PlayerId, chapterId: z.string().min(1).max(64), title: z.string().min(1).max(80), contentVersion: ContentVersion, source: Source,
}));

/** A chapter's encounter room, prepared with the content's fixed seed and setup; its match is recorded in its own stream. */
export const StoryEncounterOpened = defineEvent('StoryEncounterOpened', z.strictObject({
  playerId: PlayerId,
  chapterId: z.string().min(1).max(64),
  encounter: StoryEncounter,
  contentVersion: ContentVersion,
  attempt: z.int().min(1),
  roomId: z.string().min(1).max(100),
  roomStreamId: z.string().min(1).max(120),
  /** Everyone seated, the player first. */
  players: z.array(PlayerId).min(1).max(6),
}));

export const questEventDefinitions = [
  QuestAccepted, QuestAbandoned, QuestProgressed, QuestCompleted, QuestRewardClaimed, StoryChapterCompleted, StoryEncounterOpened,
] as const;
export const questEventTypes: ReadonlySet<string> = new Set(questEventDefinitions.map((d) => d.type));

export type QuestAccepted = EventOf<typeof QuestAccepted>;
export type QuestAbandoned = EventOf<typeof QuestAbandoned>;
export type QuestProgressed = EventOf<typeof QuestProgressed>;
export type QuestCompleted = EventOf<typeof QuestCompleted>;
export type QuestRewardClaimed = EventOf<typeof QuestRewardClaimed>;
export type StoryChapterCompleted = EventOf<typeof StoryChapterCompleted>;
export type StoryEncounterOpened = EventOf<typeof StoryEncounterOpened>;
export type QuestEvent = EventOf<(typeof questEventDefinitions)[number]>;
