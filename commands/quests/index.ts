// The quest log's public boundary: what the HTTP API, Discord, the read models and the composition root use.
export { QuestService, type PlayerRequest, type QuestResult, type QuestServiceOptions } from './service.ts';
export { AbandonQuest, AcceptQuest, ClaimQuestReward, OpenEncounter, QuestCommand, RecordProgress } from './commands.ts';
export {
  QuestAbandoned, QuestAccepted, QuestCompleted, QuestProgressed, QuestRewardClaimed, StoryChapterCompleted, StoryEncounterOpened,
  questEventDefinitions, questEventTypes, type QuestEvent,
} from './events.ts';
export { initialQuestLog, questLogStreamId, type Fact, type QuestEntry, type QuestLogState, type Source } from './model.ts';
export { COMMAND_INVALID, questRefusalCodes, type QuestRefusalCode } from './refusals.ts';
export { chapterUnlocked, createQuestLogDecider, lockOf, questLogDecider } from './rules.ts';
export { inSeason, periodOf, questKeyOf, seasonAt, type Period } from './calendar.ts';
export { createQuestProgressReactor, QUEST_PROGRESS } from './progress.ts';
export { createQuestRewardsReactor, payQuestReward, QUEST_REWARDS, QUEST_REWARDS_ACCOUNT } from './rewards.ts';
