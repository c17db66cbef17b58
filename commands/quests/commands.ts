// What may be asked of a player's quest log. Time, the log's head position, the content
// version and the player's codex entries are passed in by the caller (service.ts): the rules
// never read a clock or a read model.
import { z } from 'zod';
import { CodexEntryId } from '../../events/content/codex.ts';
import { ChapterId, QuestId } from '../../events/content/quests.ts';
import { ContentVersion, Fact, Millis, PlayerId, Source } from './model.ts';

const Codex = z.array(CodexEntryId).max(1000);

export const AcceptQuest = z.strictObject({
  type: z.literal('AcceptQuest'),
  playerId: PlayerId,
  questId: QuestId,
  now: Millis,
  /** The content whose quest book is offered now. */
  contentVersion: ContentVersion,
  /** The log's head when the player accepted: only later events count. */
  headPosition: z.int().min(0),
  /** The codex entries the player has unlocked (prerequisites). */
  codexEntries: Codex,
});
export type AcceptQuest = z.infer<typeof AcceptQuest>;

export const AbandonQuest = z.strictObject({ type: z.literal('AbandonQuest'), playerId: PlayerId, questId: QuestId });
export type AbandonQuest = z.infer<typeof AbandonQuest>;

export const ClaimQuestReward = z.strictObject({ type: z.literal('ClaimQuestReward'), playerId: PlayerId, questId: QuestId, now: Millis });
export type ClaimQuestReward = z.infer<typeof ClaimQuestReward>;

/** Facts one source event records about the player (progress.ts issues it). */
export const RecordProgress = z.strictObject({ type: z.literal('RecordProgress'), playerId: PlayerId, source: Source, facts: z.array(Fact).min(1).max(32) });
export type RecordProgress = z.infer<typeof RecordProgress>;

/** Opens the story encounter of a chapter the player has reached, with companions to fill its seats. */
export const OpenEncounter = z.strictObject({
  type: z.literal('OpenEncounter'),
  playerId: PlayerId,
  chapterId: ChapterId,
  party: z.array(PlayerId).max(5),
  contentVersion: ContentVersion,
  codexEntries: Codex,
});
export type OpenEncounter = z.infer<typeof OpenEncounter>;

export const QuestCommand = z.discriminatedUnion('type', [AcceptQuest, AbandonQuest, ClaimQuestReward, RecordProgress, OpenEncounter]);
export type QuestCommand = z.infer<typeof QuestCommand>;
