// Live operations recorded in the log. One stream, `liveops-flags`, holds every flag
// definition and change, every staged rollout and the minimum client version per platform:
// admins change it rarely, every game server folds all of it (follower.ts), and its
// `revision` (1, 2, 3… carried by each event) names one configuration for caches and ETags.
// ExperimentAssigned lives in `experiment-<flag>:<player>`: which variant a player was
// shown first, recorded once.
import { z } from 'zod';
import { defineEvent, type EventOf } from '../../events/catalog.ts';
import { PlayerId } from '../../events/players.ts';
import {
  ClientVersion, FlagDescription, FlagKey, FlagRules, FlagType, FlagValue, HealthGuard, HealthReading, Platform, RolloutId, RolloutSteps, VariantName,
} from './model.ts';

export const LIVEOPS_STREAM = 'liveops-flags';

export function experimentStreamId(flagKey: string, playerId: string): string {
  return `experiment-${flagKey}:${playerId}`;
}

/** Who did it: an admin's player id, `cli:<name>`, or `rollout:<id>` for the rollout guard. */
const Actor = z.string().min(1).max(200);
/** Position of this event in the live-ops configuration: 1, 2, 3… */
const Revision = z.int().min(1);
/** Milliseconds since the epoch, as the caller's clock read it. */
const At = z.int().min(0);

export const FlagDefined = defineEvent(
  'FlagDefined',
  z.strictObject({
    revision: Revision,
    key: FlagKey,
    type: FlagType,
    description: FlagDescription,
    defaultValue: FlagValue,
    rules: FlagRules,
    experiment: z.boolean(),
    definedBy: Actor,
  }),
);

/** New rules (and default) for a flag: by an admin, or by a rollout step (`rollout` set). */
export const FlagRuleChanged = defineEvent(
  'FlagRuleChanged',
  z.strictObject({
    revision: Revision,
    key: FlagKey,
    defaultValue: FlagValue,
    rules: FlagRules,
    changedBy: Actor,
    reason: z.string().max(500).nullable(),
    rollout: z.strictObject({ rolloutId: RolloutId, step: z.int().min(0), at: At }).nullable(),
  }),
);

/** A flag retired: it leaves the manifest and evaluates to its default; its key is never reused. */
export const FlagArchived = defineEvent('FlagArchived', z.strictObject({ revision: Revision, key: FlagKey, archivedBy: Actor }));

/** Clients of this platform older than `version` are told to update at sign-in (null: no minimum). */
export const MinimumClientVersionSet = defineEvent(
  'MinimumClientVersionSet',
  z.strictObject({ revision: Revision, platform: Platform, version: ClientVersion.nullable(), setBy: Actor }),
);

/** A staged rollout of one rule's percentage; `previousRules` is what a rollback restores. */
export const RolloutStarted = defineEvent(
  'RolloutStarted',
  z.strictObject({
    revision: Revision,
    rolloutId: RolloutId,
    key: FlagKey,
    ruleIndex: z.int().min(0),
    steps: RolloutSteps,
    stepSeconds: z.int().min(1),
    guard: HealthGuard,
    previousRules: FlagRules,
    startedBy: Actor,
    at: At,
  }),
);

export const RolloutCompleted = defineEvent('RolloutCompleted', z.strictObject({ revision: Revision, rolloutId: RolloutId, key: FlagKey, at: At }));

/** The rollout stopped and the flag went back to `rules` (its rules before the rollout), because of `reason`. */
export const RolloutRolledBack = defineEvent(
  'RolloutRolledBack',
  z.strictObject({
    revision: Revision,
    rolloutId: RolloutId,
    key: FlagKey,
    reason: z.string().min(1).max(500),
    /** What the health guard saw, when it was the guard that stopped it. */
    observed: HealthReading.nullable(),
    rules: FlagRules,
    rolledBackBy: Actor,
    at: At,
  }),
);

/** The variant of an experiment a player was first shown. */
export const ExperimentAssigned = defineEvent(
  'ExperimentAssigned',
  z.strictObject({ experiment: FlagKey, playerId: PlayerId, variant: VariantName, value: FlagValue, revision: Revision }),
);

export const liveOpsEventDefinitions = [FlagDefined, FlagRuleChanged, FlagArchived, MinimumClientVersionSet, RolloutStarted, RolloutCompleted, RolloutRolledBack] as const;
/** For the catalog (infra/catalog.ts). */
export const flagEventDefinitions = [...liveOpsEventDefinitions, ExperimentAssigned] as const;

export type LiveOpsEvent = EventOf<(typeof liveOpsEventDefinitions)[number]>;
export type FlagDefined = EventOf<typeof FlagDefined>;
export type FlagRuleChanged = EventOf<typeof FlagRuleChanged>;
export type FlagArchived = EventOf<typeof FlagArchived>;
export type MinimumClientVersionSet = EventOf<typeof MinimumClientVersionSet>;
export type RolloutStarted = EventOf<typeof RolloutStarted>;
export type RolloutCompleted = EventOf<typeof RolloutCompleted>;
export type RolloutRolledBack = EventOf<typeof RolloutRolledBack>;
export type ExperimentAssigned = EventOf<typeof ExperimentAssigned>;
