// Flags, rollouts and minimum versions as specs of liveOpsDecider, and the evaluation a
// player gets: sticky percentages within ±2% of their target over 100,000 ids, targeting by
// platform, client version, region and cohort, malformed definitions refused by field.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fold } from '../../events/decider.ts';
import { checkAgainst } from '../../events/testing/ruleTesting.ts';
import { specFor } from '../../events/testing/specs.ts';
import { bucketOf, evaluateFlag, type FlagContext } from './evaluate.ts';
import { liveOpsEventDefinitions, type LiveOpsEvent } from './events.ts';
import { FlagDefinition, HealthGuard } from './model.ts';
import { liveOpsDecider, type LiveOpsCommand } from './rules.ts';

const given = specFor(liveOpsDecider, { checkEvent: checkAgainst(liveOpsEventDefinitions) });
const guard = HealthGuard.parse({});
const define = (input: unknown): LiveOpsCommand => ({ type: 'DefineFlag', definition: FlagDefinition.parse(input), by: 'ops' });
const newShop = define({ key: 'shop.new_layout', type: 'boolean', defaultValue: false, rules: [{ cohorts: ['beta'], value: true }, { platforms: ['steam'], percentage: 10, value: true }] });
const defined = given([]).when(newShop, undefined).events();
const startAt = 1_000_000;
const start: LiveOpsCommand = { type: 'StartRollout', rolloutId: 'r1', key: 'shop.new_layout', ruleIndex: 1, steps: [10, 50, 100], stepSeconds: 60, guard, now: startAt, by: 'ops' };
const started = given(defined).when(start, undefined).events();
const healthy = { commands: 1000, refused: 10, roomErrors: 0, appends: 500, appendFailures: 0 };

describe('flags', () => {
  test('a definition is recorded once; the same again records nothing, another is refused, an archived key is never reused', () => {
    assert.deepEqual(defined.map((e) => [e.type, e.data.revision]), [['FlagDefined', 1]]);
    given(defined).when(newShop, undefined).then([]);
    given(defined).when(define({ key: 'shop.new_layout', type: 'boolean', defaultValue: true }), undefined).thenRefused('flags/exists');
    const archived = given(defined).when({ type: 'ArchiveFlag', key: 'shop.new_layout', by: 'ops' }, undefined).events();
    given([...defined, ...archived]).when(newShop, undefined).thenRefused('flags/archived');
    given([...defined, ...archived]).when({ type: 'ChangeFlagRules', key: 'shop.new_layout', rules: [], by: 'ops' }, undefined).thenRefused('flags/archived');
  });

  test('malformed definitions are refused with the field that is wrong', () => {
    const problems = (input: unknown) => FlagDefinition.safeParse(input).error?.issues.map((i) => i.path.join('.'));
    assert.deepEqual(problems({ key: 'a', type: 'boolean', defaultValue: false, rules: [{ value: true }, { value: 'yes' }] }), ['rules.1.value']);
    assert.deepEqual(problems({ key: 'a', type: 'boolean', defaultValue: false, rules: [{ clientVersions: 'newer please', value: true }] }), ['rules.0.clientVersions']);
    assert.deepEqual(problems({ key: 'a', type: 'boolean', defaultValue: false, rules: [{ percentage: 101, value: true }] }), ['rules.0.percentage']);
    assert.deepEqual(problems({ key: 'a', type: 'boolean', defaultValue: false, rules: [{ platforms: ['switch'], value: true }] }), ['rules.0.platforms.0']);
    assert.deepEqual(problems({ key: 'Not A Key', type: 'number', defaultValue: 1 }), ['key']);
    given(defined).when({ type: 'ChangeFlagRules', key: 'shop.new_layout', rules: [{ value: 3 }], by: 'ops' }, undefined).thenRefused('flags/invalid');
    given(defined).when({ type: 'ChangeFlagRules', key: 'nope', rules: [], by: 'ops' }, undefined).thenRefused('flags/unknown');
  });

  test('targeting: cohort, platform, client version range, region; the default when nothing holds', () => {
    const flag = fold(liveOpsDecider, liveOpsDecider.initialState(), given([]).when(define({
      key: 'raid.new_boss', type: 'string', defaultValue: 'old', rules: [
        { variant: 'staff', cohorts: ['admin'], value: 'staff' },
        { variant: 'vr-eu', platforms: ['vr'], regions: ['eu'], clientVersions: '>=2.1.0 <3', value: 'new' },
      ],
    }), undefined).events()).flags['raid.new_boss']!;
    const at = (context: Omit<FlagContext, 'targetingKey'>) => evaluateFlag(flag, { targetingKey: 'p1', ...context });
    assert.deepEqual(at({ cohorts: ['player', 'admin'] }), { value: 'staff', variant: 'staff', reason: 'TARGETING_MATCH', ruleIndex: 0 });
    assert.equal(at({ platform: 'vr', region: 'eu', clientVersion: '2.1.0' }).value, 'new');
    assert.equal(at({ platform: 'vr', region: 'eu', clientVersion: '2.0.9' }).value, 'old');
    assert.equal(at({ platform: 'vr', region: 'na', clientVersion: '2.5.0' }).value, 'old');
    assert.equal(at({ platform: 'steam', region: 'eu', clientVersion: '2.5.0' }).value, 'old');
    assert.deepEqual(at({}), { value: 'old', variant: 'default', reason: 'DEFAULT', ruleIndex: -1 });
  });

  test('percentages are sticky per player and within ±2% of the target over 100,000 ids', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `player-${i}`);
    for (const target of [1, 5, 25, 50, 90]) {
      const flag = { key: 'shop.new_layout', defaultValue: false, archived: false, rules: [{ percentage: target, value: true }] };
      const inside = ids.filter((id) => evaluateFlag(flag, { targetingKey: id }).value === true);
      const percent = (inside.length * 100) / ids.length;
      assert.ok(Math.abs(percent - target) <= 2, `${target}%: ${percent}% of players`);
      // The same players every time, and raising the percentage keeps them all in.
      assert.ok(inside.every((id) => evaluateFlag(flag, { targetingKey: id }).value === true));
      const raised = { ...flag, rules: [{ percentage: target + 10, value: true }] };
      assert.ok(inside.every((id) => evaluateFlag(raised, { targetingKey: id }).value === true));
    }
    // Buckets of two flags are independent: the players in the first 10% of one are spread over the other.
    const first = ids.filter((id) => bucketOf('a.flag', id) < 10);
    const elsewhere = first.filter((id) => bucketOf('b.flag', id) < 10).length;
    assert.ok(Math.abs((elsewhere * 100) / first.length - 10) <= 2, `${elsewhere} of ${first.length}`);
  });
});

describe('rollouts', () => {
  test('start at the first step, remembering the rules to go back to; a running rollout blocks hand edits', () => {
    assert.deepEqual(started.map((e) => e.type), ['RolloutStarted', 'FlagRuleChanged']);
    const state = fold(liveOpsDecider, liveOpsDecider.initialState(), [...defined, ...started]);
    assert.equal(state.flags['shop.new_layout']!.rules[1]!.percentage, 10);
    assert.equal(state.flags['shop.new_layout']!.rollout, 'r1');
    given([...defined, ...started]).when({ type: 'ChangeFlagRules', key: 'shop.new_layout', rules: [], by: 'ops' }, undefined).thenRefused('flags/rollout_running');
    given([...defined, ...started]).when({ ...start, rolloutId: 'r2' }, undefined).thenRefused('flags/rollout_running');
  });

  test('steps rise on schedule while the guard holds, and the last completes the rollout', () => {
    const history: LiveOpsEvent[] = [...defined, ...started];
    given(history).when({ type: 'CheckRollout', rolloutId: 'r1', now: startAt + 59_999, health: healthy }, undefined).then([]);
    const second = given(history).when({ type: 'CheckRollout', rolloutId: 'r1', now: startAt + 60_000, health: healthy }, undefined).events();
    assert.deepEqual(second.map((e) => e.type), ['FlagRuleChanged']);
    history.push(...second);
    given(history).when({ type: 'CheckRollout', rolloutId: 'r1', now: startAt + 100_000, health: healthy }, undefined).then([]);
    const last = given(history).when({ type: 'CheckRollout', rolloutId: 'r1', now: startAt + 120_000, health: null }, undefined).events();
    assert.deepEqual(last.map((e) => e.type), ['FlagRuleChanged', 'RolloutCompleted']);
    const state = fold(liveOpsDecider, liveOpsDecider.initialState(), [...history, ...last]);
    assert.deepEqual([state.flags['shop.new_layout']!.rules[1]!.percentage, state.flags['shop.new_layout']!.rollout, state.rollouts.r1!.status], [100, null, 'completed']);
  });

  test('a broken guard rolls the flag back to its rules before the rollout, saying why', () => {
    const history = [...defined, ...started];
    const breaches = [
      [{ ...healthy, refused: 300 }, /refused commands: 300 of 1000, more than 20%/],
      [{ ...healthy, roomErrors: 1 }, /room errors: 1/],
      [{ ...healthy, appendFailures: 20 }, /append failures: 20 of 500/],
    ] as const;
    for (const [health, why] of breaches) {
      const events = given(history).when({ type: 'CheckRollout', rolloutId: 'r1', now: startAt + 1, health }, undefined).events();
      assert.deepEqual(events.map((e) => e.type), ['RolloutRolledBack']);
      const event = events[0] as Extract<LiveOpsEvent, { type: 'RolloutRolledBack' }>;
      assert.match(event.data.reason, why);
      assert.deepEqual(event.data.observed, health);
      const state = fold(liveOpsDecider, liveOpsDecider.initialState(), [...history, ...events]);
      assert.deepEqual(state.flags['shop.new_layout']!.rules, (defined[0] as Extract<LiveOpsEvent, { type: 'FlagDefined' }>).data.rules);
      assert.equal(state.rollouts.r1!.status, 'rolled_back');
    }
    // Few commands say little: below minCommands the refused share is not judged.
    given(history).when({ type: 'CheckRollout', rolloutId: 'r1', now: startAt + 1, health: { ...healthy, commands: 10, refused: 9 } }, undefined).then([]);
  });

  test('minimum client versions: set, unchanged, cleared', () => {
    const set = given([]).when({ type: 'SetMinimumVersion', platform: 'steam', version: '1.5.0', by: 'ops' }, undefined).events();
    given(set).when({ type: 'SetMinimumVersion', platform: 'steam', version: '1.5.0', by: 'ops' }, undefined).then([]);
    const cleared = given(set).when({ type: 'SetMinimumVersion', platform: 'steam', version: null, by: 'ops' }, undefined).events();
    assert.deepEqual(fold(liveOpsDecider, liveOpsDecider.initialState(), set).minimumVersions, { steam: '1.5.0' });
    assert.deepEqual(fold(liveOpsDecider, liveOpsDecider.initialState(), [...set, ...cleared]).minimumVersions, {});
  });
});
