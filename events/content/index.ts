// Public boundary of game content: schemas, the version registry and pure derivations.
export {
  Ability, AbilityId, AbilityTarget, BossAbility, BossTarget, Effect, StatusKind, isHelpful, isStatusEffect, statusKinds,
} from './abilities.ts';
export type { StatusEffect } from './abilities.ts';
export {
  Codex, CodexCategory, CodexEntry, CodexEntryId, CodexError, CodexUnlockRule, CodexVersion, OracleDeed, codexByVersion, codexVersions,
  currentCodexVersion, loadCodex, oracleDeeds, parseCodex,
} from './codex.ts';
export type { CodexInput } from './codex.ts';
export { BossPhase, DropEntry, DropTable, Enrage, RaidBoss, phaseAt, rollDrops } from './bosses.ts';
export type { Drop } from './bosses.ts';
export { BattleTuning, Content, ContentVersion, OracleRules, abilityById, raidBossById } from './content.ts';
export type { ContentInput } from './content.ts';
export { AdvantageTable, Element, elements, matchupPercent } from './elements.ts';
export { Affinity, OracleTemplate, deriveOracle } from './oracle.ts';
export { ContentError, contentByVersion, contentVersions, currentContentVersion, loadContent, parseContent } from './registry.ts';
export { StatBonus, Stats } from './stats.ts';
export { Chart, Modality, Placement, Sign, SignId, placements, signIds } from './zodiac.ts';
export {
  Achievement, AchievementCriterion, AchievementId, ChapterId, EncounterId, QuestBook, QuestCadence, QuestDefinition, QuestId, QuestObjective,
  QuestReward, SeasonCalendar, StoryChapter, StoryEncounter, TitleId, chapterById, chapterOfQuest, emptyQuestBook, questBookProblems, questById,
} from './quests.ts';
