// The live-ops configuration as a Decider over `liveops-flags`: flags defined, changed and
// archived by admins, minimum client versions, and staged rollouts that raise one rule's
// percentage step by step while the health guard holds, and put the flag back when it
// breaks. Pure: time (`now`) and what the metrics saw (`health`) come in with the command.
// Every event carries the configuration's next revision, from which its id is derived.
import { canonicalJson } from '../../events/canonical.ts';
import { accept, refusalsOf, type Decider, type Decision } from '../../events/decider.ts';
import type { LiveOpsEvent } from './events.ts';
import { valueTypeIssues, type FlagDefinition, type FlagRule, type FlagType, type FlagValue, type HealthGuard, type HealthReading, type Platform } from './model.ts';

export const flagRefusalCodes = [
  /** The definition or rules are malformed; the message names the field. */
  'flags/invalid',
  /** No flag has this key. */
  'flags/unknown',
  /** A flag with this key exists with another definition (keys are never reused). */
  'flags/exists',
  /** The flag is archived: it can no longer change. */
  'flags/archived',
  /** A rollout of this flag is running: stop it first. */
  'flags/rollout_running',
  /** No rollout has this id, or it is not running. */
  'flags/unknown_rollout',
] as const;
export type FlagRefusalCode = (typeof flagRefusalCodes)[number];
const refuseFlag = refusalsOf<FlagRefusalCode>();

export type FlagState = {
  key: string;
  type: FlagType;
  description: string;
  defaultValue: FlagValue;
  rules: FlagRule[];
  experiment: boolean;
  archived: boolean;
  /** The running rollout's id, if any. */
  rollout: string | null;
  /** Revision of the last event that changed this flag. */
  revision: number;
};

export type RolloutState = {
  rolloutId: string;
  key: string;
  ruleIndex: number;
  steps: number[];
  stepSeconds: number;
  guard: HealthGuard;
  previousRules: FlagRule[];
  /** Index into `steps` reached so far. */
  step: number;
  lastStepAt: number;
  status: 'running' | 'completed' | 'rolled_back';
  reason: string | null;
};

export type LiveOpsState = {
  revision: number;
  flags: Record<string, FlagState>;
  minimumVersions: Partial<Record<Platform, string>>;
  rollouts: Record<string, RolloutState>;
};

export type LiveOpsCommand =
  | { type: 'DefineFlag'; definition: FlagDefinition; by: string }
  | { type: 'ChangeFlagRules'; key: string; rules: FlagRule[]; defaultValue?: FlagValue | undefined; reason?: string | undefined; by: string }
  | { type: 'ArchiveFlag'; key: string; by: string }
  | { type: 'SetMinimumVersion'; platform: Platform; version: string | null; by: string }
  | { type: 'StartRollout'; rolloutId: string; key: string; ruleIndex: number; steps: number[]; stepSeconds: number; guard: HealthGuard; now: number; by: string }
  | { type: 'CheckRollout'; rolloutId: string; now: number; health: HealthReading | null }
  | { type: 'StopRollout'; rolloutId: string; reason: string; now: number; by: string };

type E = LiveOpsEvent;

function decide(state: LiveOpsState, command: LiveOpsCommand): Decision<E> {
  const revision = state.revision + 1;
  switch (command.type) {
    case 'DefineFlag': {
      const { definition: d, by } = command;
      const existing = state.flags[d.key];
      if (existing?.archived) return refuseFlag('flags/archived', `flag ${d.key} was archived; keys are never reused, define another`);
      if (existing) {
        const same = existing.type === d.type && existing.description === d.description && existing.experiment === d.experiment
          && sameJson(existing.defaultValue, d.defaultValue) && sameJson(existing.rules, d.rules);
        return same ? accept() : refuseFlag('flags/exists', `flag ${d.key} is already defined; change its rules instead`);
      }
      return accept({ type: 'FlagDefined', data: { revision, ...d, definedBy: by } });
    }
    case 'ChangeFlagRules': {
      const flag = changeable(state, command.key);
      if (!flag.ok) return flag.refusal;
      const defaultValue = command.defaultValue ?? flag.flag.defaultValue;
      const issues = valueTypeIssues(flag.flag.type, defaultValue, command.rules);
      if (issues.length > 0) return refuseFlag('flags/invalid', issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      if (sameJson(flag.flag.rules, command.rules) && sameJson(flag.flag.defaultValue, defaultValue)) return accept();
      return accept({ type: 'FlagRuleChanged', data: { revision, key: command.key, defaultValue, rules: command.rules, changedBy: command.by, reason: command.reason ?? null, rollout: null } });
    }
    case 'ArchiveFlag': {
      const existing = state.flags[command.key];
      if (existing?.archived) return accept();
      const flag = changeable(state, command.key);
      if (!flag.ok) return flag.refusal;
      return accept({ type: 'FlagArchived', data: { revision, key: command.key, archivedBy: command.by } });
    }
    case 'SetMinimumVersion': {
      if ((state.minimumVersions[command.platform] ?? null) === command.version) return accept();
      return accept({ type: 'MinimumClientVersionSet', data: { revision, platform: command.platform, version: command.version, setBy: command.by } });
    }
    case 'StartRollout':
      return startRollout(state, command, revision);
    case 'CheckRollout':
      return checkRollout(state, command, revision);
    case 'StopRollout': {
      const rollout = state.rollouts[command.rolloutId];
      if (!rollout || rollout.status !== 'running') return refuseFlag('flags/unknown_rollout', `no running rollout ${command.rolloutId}`);
      return accept(rolledBack(rollout, revision, `stopped by ${command.by}: ${command.reason}`, null, command.by, command.now));
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function changeable(state: LiveOpsState, key: string): { ok: true; flag: FlagState } | { ok: false; refusal: Decision<E> } {
  const flag = state.flags[key];
  if (!flag) return { ok: false, refusal: refuseFlag('flags/unknown', `no flag ${key}`) };
  if (flag.archived) return { ok: false, refusal: refuseFlag('flags/archived', `flag ${key} is archived`) };
  if (flag.rollout) return { ok: false, refusal: refuseFlag('flags/rollout_running', `rollout ${flag.rollout} of ${key} is running; stop it first`) };
  return { ok: true, flag };
}

function withPercentage(rules: readonly FlagRule[], index: number, percentage: number): FlagRule[] {
  return rules.map((rule, i) => (i === index ? { ...rule, percentage } : rule));
}

function startRollout(state: LiveOpsState, command: Extract<LiveOpsCommand, { type: 'StartRollout' }>, revision: number): Decision<E> {
  const existing = state.rollouts[command.rolloutId];
  if (existing) return existing.key === command.key ? accept() : refuseFlag('flags/invalid', `rolloutId: rollout ${command.rolloutId} exists for another flag`);
  const flag = changeable(state, command.key);
  if (!flag.ok) return flag.refusal;
  if (command.ruleIndex >= flag.flag.rules.length) {
    return refuseFlag('flags/invalid', `ruleIndex: flag ${command.key} has ${flag.flag.rules.length} rules; rolls out one of them by index`);
  }
  const { rolloutId, key, ruleIndex, steps, stepSeconds, guard, now, by } = command;
  return accept<E>(
    { type: 'RolloutStarted', data: { revision, rolloutId, key, ruleIndex, steps, stepSeconds, guard, previousRules: flag.flag.rules, startedBy: by, at: now } },
    {
      type: 'FlagRuleChanged',
      data: {
        revision: revision + 1, key, defaultValue: flag.flag.defaultValue, rules: withPercentage(flag.flag.rules, ruleIndex, steps[0]!),
        changedBy: `rollout:${rolloutId}`, reason: `rollout ${rolloutId}: step 1 of ${steps.length}, ${steps[0]}%`, rollout: { rolloutId, step: 0, at: now },
      },
    },
  );
}

/** Why the guard breaks on this reading, or null while it holds. Integer math only. */
export function guardBreach(guard: HealthGuard, health: HealthReading): string | null {
  if (health.roomErrors > guard.maxRoomErrors) return `room errors: ${health.roomErrors} in the interval, more than ${guard.maxRoomErrors}`;
  if (health.appendFailures > 0 && health.appendFailures * 100 > guard.maxAppendFailurePercent * Math.max(1, health.appends)) {
    return `append failures: ${health.appendFailures} of ${health.appends} appends, more than ${guard.maxAppendFailurePercent}%`;
  }
  if (health.commands >= guard.minCommands && health.refused * 100 > guard.maxRefusedPercent * health.commands) {
    return `refused commands: ${health.refused} of ${health.commands}, more than ${guard.maxRefusedPercent}%`;
  }
  return null;
}

function checkRollout(state: LiveOpsState, command: Extract<LiveOpsCommand, { type: 'CheckRollout' }>, revision: number): Decision<E> {
  const rollout = state.rollouts[command.rolloutId];
  if (!rollout || rollout.status !== 'running') return accept();
  const breach = command.health ? guardBreach(rollout.guard, command.health) : null;
  if (breach) return accept(rolledBack(rollout, revision, `health guard: ${breach}`, command.health, `rollout:${rollout.rolloutId}`, command.now));
  const next = rollout.step + 1;
  if (next >= rollout.steps.length || command.now - rollout.lastStepAt < rollout.stepSeconds * 1000) return accept();
  const flag = state.flags[rollout.key]!;
  const percentage = rollout.steps[next]!;
  const changed: E = {
    type: 'FlagRuleChanged',
    data: {
      revision, key: rollout.key, defaultValue: flag.defaultValue, rules: withPercentage(flag.rules, rollout.ruleIndex, percentage),
      changedBy: `rollout:${rollout.rolloutId}`, reason: `rollout ${rollout.rolloutId}: step ${next + 1} of ${rollout.steps.length}, ${percentage}%`,
      rollout: { rolloutId: rollout.rolloutId, step: next, at: command.now },
    },
  };
  if (next < rollout.steps.length - 1) return accept(changed);
  return accept<E>(changed, { type: 'RolloutCompleted', data: { revision: revision + 1, rolloutId: rollout.rolloutId, key: rollout.key, at: command.now } });
}

function rolledBack(rollout: RolloutState, revision: number, reason: string, observed: HealthReading | null, by: string, at: number): E {
  return { type: 'RolloutRolledBack', data: { revision, rolloutId: rollout.rolloutId, key: rollout.key, reason: reason.slice(0, 500), observed, rules: rollout.previousRules, rolledBackBy: by, at } };
}

function evolve(state: LiveOpsState, event: E): LiveOpsState {
  const next: LiveOpsState = { ...state, revision: event.data.revision };
  const setFlag = (key: string, change: Partial<FlagState>) => {
    next.flags = { ...state.flags, [key]: { ...state.flags[key]!, ...change, revision: event.data.revision } };
  };
  const setRollout = (id: string, change: Partial<RolloutState>) => {
    next.rollouts = { ...state.rollouts, [id]: { ...state.rollouts[id]!, ...change } };
  };
  switch (event.type) {
    case 'FlagDefined': {
      const { revision, definedBy: _by, ...flag } = event.data;
      next.flags = { ...state.flags, [flag.key]: { ...flag, archived: false, rollout: null, revision } };
      return next;
    }
    case 'FlagRuleChanged': {
      setFlag(event.data.key, { rules: event.data.rules, defaultValue: event.data.defaultValue });
      const step = event.data.rollout;
      if (step) setRollout(step.rolloutId, { step: step.step, lastStepAt: step.at });
      return next;
    }
    case 'FlagArchived':
      setFlag(event.data.key, { archived: true });
      return next;
    case 'MinimumClientVersionSet': {
      const minimumVersions = { ...state.minimumVersions };
      if (event.data.version === null) delete minimumVersions[event.data.platform];
      else minimumVersions[event.data.platform] = event.data.version;
      next.minimumVersions = minimumVersions;
      return next;
    }
    case 'RolloutStarted': {
      const { rolloutId, key, ruleIndex, steps, stepSeconds, guard, previousRules, at } = event.data;
      next.rollouts = { ...state.rollouts, [rolloutId]: { rolloutId, key, ruleIndex, steps, stepSeconds, guard, previousRules, step: -1, lastStepAt: at, status: 'running', reason: null } };
      setFlag(key, { rollout: rolloutId });
      return next;
    }
    case 'RolloutCompleted':
      setRollout(event.data.rolloutId, { status: 'completed', lastStepAt: event.data.at });
      setFlag(event.data.key, { rollout: null });
      return next;
    case 'RolloutRolledBack':
      setRollout(event.data.rolloutId, { status: 'rolled_back', reason: event.data.reason, lastStepAt: event.data.at });
      setFlag(event.data.key, { rules: event.data.rules, rollout: null });
      return next;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const liveOpsDecider: Decider<LiveOpsState, LiveOpsCommand, E> = {
  initialState: () => ({ revision: 0, flags: {}, minimumVersions: {}, rollouts: {} }),
  decide,
  evolve,
};

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
