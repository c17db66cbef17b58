// The values of live operations: feature flags and their targeting rules, the client
// platforms and versions they target, staged rollouts and their health guard. Defined once
// with zod: the HTTP API, the CLI and the store's decoder all validate with these.
import semver from 'semver';
import { z } from 'zod';

/** `battle.damage_percent`, `shop.new_layout`: lower-case words, dotted. */
export const FlagKey = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/, 'flag keys are lower-case dotted words, e.g. battle.damage_percent');

/** Where the game runs. */
export const Platform = z.enum(['steam', 'vr', 'ios', 'android', 'discord', 'web']);
export type Platform = z.output<typeof Platform>;
export const platforms = Platform.options;

/** A region code the client reports (`eu`, `na`, `sea`, `br`…). */
export const Region = z.string().regex(/^[a-z]{2,4}$/, 'regions are 2-4 lower-case letters, e.g. eu');

/** A player cohort: a role of the session token (player, admin, auditor) or a named group. */
export const Cohort = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'cohorts are lower-case words, e.g. beta');

/** A client build, as semver: `1.4.2`. */
export const ClientVersion = z
  .string()
  .max(64)
  .refine((v) => semver.valid(v) !== null, 'a client version is semver, e.g. 1.4.2');

/** A semver range of client builds: `>=1.4.0 <2.0.0`. */
export const VersionRange = z
  .string()
  .min(1)
  .max(200)
  .refine((range) => semver.validRange(range) !== null, 'a client version range is a semver range, e.g. >=1.4.0 <2.0.0');

export const FlagType = z.enum(['boolean', 'string', 'number', 'object']);
export type FlagType = z.output<typeof FlagType>;

/** A flag's value: what OpenFeature resolves (booleans, strings, integers, JSON objects). */
export const FlagValue = z.union([
  z.boolean(),
  z.string().max(1000),
  z.int().min(-1_000_000_000).max(1_000_000_000),
  z.record(z.string(), z.json()).refine((value) => JSON.stringify(value).length <= 8192, 'object values are at most 8 KiB of JSON'),
]);
export type FlagValue = z.output<typeof FlagValue>;

export function typeOfValue(value: FlagValue): FlagType {
  return typeof value === 'boolean' ? 'boolean' : typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'object';
}

/** A variant's name, as OpenFeature reports it and experiments record it. */
export const VariantName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'variant names are lower-case words, e.g. treatment');

/**
 * One targeting rule: every condition it states must hold (those it leaves out always do);
 * the first rule that holds gives the flag its value. `percentage` is sticky: a player is in
 * when the hash of the flag key and their id falls below it, so raising it only adds players.
 */
export const FlagRule = z.strictObject({
  variant: VariantName.optional(),
  platforms: z.array(Platform).min(1).max(platforms.length).optional(),
  clientVersions: VersionRange.optional(),
  regions: z.array(Region).min(1).max(50).optional(),
  cohorts: z.array(Cohort).min(1).max(20).optional(),
  percentage: z.int().min(0).max(100).optional(),
  value: FlagValue,
});
export type FlagRule = z.output<typeof FlagRule>;

export const FlagRules = z.array(FlagRule).max(50);

export const FlagDescription = z.string().max(500);

/** What an admin defines. An experiment records which variant each player was shown, once. */
export const FlagDefinition = z
  .strictObject({
    key: FlagKey,
    type: FlagType,
    description: FlagDescription.default(''),
    defaultValue: FlagValue,
    rules: FlagRules.default([]),
    experiment: z.boolean().default(false),
  })
  .superRefine((flag, ctx) => {
    for (const issue of valueTypeIssues(flag.type, flag.defaultValue, flag.rules)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type FlagDefinition = z.output<typeof FlagDefinition>;

/** Where a flag's values do not have its type, as zod issues (path and message). */
export function valueTypeIssues(type: FlagType, defaultValue: FlagValue, rules: readonly FlagRule[]): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const check = (value: FlagValue, path: (string | number)[]) => {
    if (typeOfValue(value) !== type) issues.push({ path, message: `a ${type} flag takes ${type} values, not ${typeOfValue(value)}` });
  };
  check(defaultValue, ['defaultValue']);
  rules.forEach((rule, index) => check(rule.value, ['rules', index, 'value']));
  return issues;
}

/**
 * When a staged rollout stops and puts the flag back: within one check interval, more
 * refused commands than `maxRefusedPercent` of those sent (once at least `minCommands` were),
 * more room errors than `maxRoomErrors`, or more failed appends than `maxAppendFailurePercent`.
 */
export const HealthGuard = z.strictObject({
  maxRefusedPercent: z.int().min(0).max(100).default(20),
  minCommands: z.int().min(1).max(1_000_000).default(50),
  maxRoomErrors: z.int().min(0).max(1_000_000).default(0),
  maxAppendFailurePercent: z.int().min(0).max(100).default(1),
});
export type HealthGuard = z.output<typeof HealthGuard>;

/** What the metrics saw over one check interval. */
export const HealthReading = z.strictObject({
  commands: z.int().min(0),
  refused: z.int().min(0),
  roomErrors: z.int().min(0),
  appends: z.int().min(0),
  appendFailures: z.int().min(0),
});
export type HealthReading = z.output<typeof HealthReading>;

/** A rollout's percentages, rising, e.g. [5, 25, 50, 100]. */
export const RolloutSteps = z
  .array(z.int().min(1).max(100))
  .min(1)
  .max(20)
  .refine((steps) => steps.every((step, i) => i === 0 || step > steps[i - 1]!), 'rollout steps rise, e.g. [5, 25, 50, 100]');

export const RolloutId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'rollout ids are 1-64 characters of A-Z a-z 0-9 _ -');
