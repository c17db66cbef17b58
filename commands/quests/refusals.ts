// Stable refusal codes of the quest log: clients, the HTTP API, Discord and tests branch on
// these strings, so they never change meaning; new situations get new codes.
export const questRefusalCodes = [
  /** No quest (or chapter) by that id in the content it was asked under. */
  'quests/unknown_quest',
  'quests/unknown_chapter',
  /** Its prerequisites are not met: quests not claimed, codex entries not unlocked, or its story chapter not reached. */
  'quests/locked',
  /** Outside its event window, or between seasons for daily and weekly quests. */
  'quests/not_available',
  /** Already in the log for this period (or, for a story or event quest, at all) and not yet claimed. */
  'quests/already_accepted',
  /** Its reward was already claimed (this period, or ever for story and event quests). */
  'quests/already_claimed',
  /** Not in the player's log: accept it first. */
  'quests/not_accepted',
  /** Story quests stay in the log until done. */
  'quests/story_quest',
  /** Objectives remain. */
  'quests/not_finished',
  /** Its period reset (or its event ended) before it was finished. */
  'quests/expired',
  /** The chapter has no encounter to open. */
  'quests/no_encounter',
] as const;
export type QuestRefusalCode = (typeof questRefusalCodes)[number];

/** The command failed its zod schema; nothing was decided or recorded. */
export const COMMAND_INVALID = 'command/invalid';
