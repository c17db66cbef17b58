// Public boundary of the raid kind: what the raid room, the catalog and audits use.
export { CastAbility, Forfeit, RaidCommand, raidCommandPayloads } from './commands.ts';
export {
  BossAbilityCast, BossAbilityLanded, BossDefeated, BossPhaseChanged, LootDropped, RaidCreated, RaidEnded, RaidEnraged,
  evolve, initialState, raidEventDefinitions,
} from './events.ts';
export type { RaidEvent } from './events.ts';
export { raidRulesVersion } from './model.ts';
export type { BossCast, BossState, LootItem, ParticipantState, RaidOutcome, RaidState } from './model.ts';
export { raidRefusalCodes } from './refusals.ts';
export type { RaidRefusalCode } from './refusals.ts';
export { createRaidDecider, raidDecider } from './rules.ts';
export type { ContentResolver } from './rules.ts';
export { RaidSetup, createRaid } from './setup.ts';
export { raidTuning } from './tuning.ts';
