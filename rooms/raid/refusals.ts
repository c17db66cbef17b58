// Stable refusal codes: clients and tests branch on these strings, so they never change
// meaning; new situations get new codes.
import { refusalsOf } from '../../events/decider.ts';

export const raidRefusalCodes = [
  /** Returned by createRaid: the stream already has its RaidCreated. */
  'raid/already_created',
  /** Returned by createRaid: the line-up, seed or tick limit cannot start a raid. */
  'raid/invalid_setup',
  /** Returned by createRaid: the content version has no boss with that id. */
  'raid/unknown_boss',
  /** No RaidCreated yet, or the tick is before the raid's start tick. */
  'raid/not_started',
  'raid/ended',
  /** The acting player is not in this raid. */
  'raid/not_participant',
  /** The oracle does not exist or belongs to another player (the two are not told apart). */
  'raid/not_your_oracle',
  /** The caster has fallen (forfeiting fells all of a player's oracles). */
  'raid/oracle_fallen',
  'raid/stunned',
  /** Not in the oracle's loadout. */
  'raid/unknown_ability',
  'raid/on_cooldown',
  /** Not the boss for a harmful ability, not a standing party oracle for a helpful one, not the caster for a self one. */
  'raid/invalid_target',
  'raid/already_forfeited',
] as const;
export type RaidRefusalCode = (typeof raidRefusalCodes)[number];

export const refuseRaid = refusalsOf<RaidRefusalCode>();
