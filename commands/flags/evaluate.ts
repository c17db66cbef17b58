// Evaluating a flag for one player (or one room): pure, no clock, no I/O. The first rule
// whose conditions all hold gives the value; none does, the flag's default. A percentage is
// sticky: the player's bucket (0-99) comes from a hash of the flag key and their id, so the
// same player always lands in the same bucket of a flag, and raising the percentage only
// ever adds players. Buckets of different flags are independent (the key is hashed in).
import { createHash } from 'node:crypto';
import semver from 'semver';
import type { FlagRule, FlagValue, Platform } from './model.ts';
import type { FlagState } from './rules.ts';

/** Who a flag is evaluated for. `targetingKey` is the player id (or a room's id for room-wide flags). */
export type FlagContext = {
  readonly targetingKey: string;
  readonly platform?: Platform | undefined;
  readonly clientVersion?: string | undefined;
  readonly region?: string | undefined;
  readonly cohorts?: readonly string[] | undefined;
};

export type Evaluation = {
  readonly value: FlagValue;
  readonly variant: string;
  /** OpenFeature's reasons: a rule matched, a percentage split placed the player, the default, or the flag is archived. */
  readonly reason: 'TARGETING_MATCH' | 'SPLIT' | 'DEFAULT' | 'DISABLED';
  /** Index of the rule that matched; -1 for the default. */
  readonly ruleIndex: number;
};

/** The player's bucket of this flag, 0-99. */
export function bucketOf(flagKey: string, targetingKey: string): number {
  return createHash('sha256').update(`${flagKey}\u0000${targetingKey}`).digest().readUInt32BE(0) % 100;
}

export function ruleHolds(flagKey: string, rule: FlagRule, context: FlagContext): boolean {
  if (rule.platforms && (!context.platform || !rule.platforms.includes(context.platform))) return false;
  if (rule.clientVersions && (!context.clientVersion || !semver.satisfies(context.clientVersion, rule.clientVersions))) return false;
  if (rule.regions && (!context.region || !rule.regions.includes(context.region))) return false;
  if (rule.cohorts && !rule.cohorts.some((cohort) => context.cohorts?.includes(cohort))) return false;
  if (rule.percentage !== undefined && bucketOf(flagKey, context.targetingKey) >= rule.percentage) return false;
  return true;
}

export function evaluateFlag(flag: Pick<FlagState, 'key' | 'defaultValue' | 'rules' | 'archived'>, context: FlagContext): Evaluation {
  if (flag.archived) return { value: flag.defaultValue, variant: 'default', reason: 'DISABLED', ruleIndex: -1 };
  const index = flag.rules.findIndex((rule) => ruleHolds(flag.key, rule, context));
  if (index === -1) return { value: flag.defaultValue, variant: 'default', reason: 'DEFAULT', ruleIndex: -1 };
  const rule = flag.rules[index]!;
  return { value: rule.value, variant: rule.variant ?? `rule-${index + 1}`, reason: rule.percentage === undefined ? 'TARGETING_MATCH' : 'SPLIT', ruleIndex: index };
}

/** Whether a client build is older than a platform's minimum (none: never). */
export function belowMinimum(clientVersion: string, minimum: string | undefined): boolean {
  return minimum !== undefined && semver.lt(clientVersion, minimum);
}
