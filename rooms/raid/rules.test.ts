// Specs for every raid command and every refusal code: given(history).when(command).then(...).
// Damage is worked out by hand in comments from the fixtures' round numbers (the golem has
// no defense and an earth element) and battle's formula; the steady content has no crits and
// no variance, so the dice only show up as generator states, which `draws` reproduces.
// Time-driven rules (the boss's turn, enrage, timeout) are specified in tick.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadContent } from '../../events/content/index.ts';
import { tide, zephyr } from '../battle/testing/fixtures.ts';
import type { SpecOutcome } from '../../events/testing/specs.ts';
import type { RaidEvent } from './events.ts';
import { START, cast, created, draws, forfeit, given, play, seeded, statusOn, trio, wounded } from './testing/fixtures.ts';
import type { RaidState } from './model.ts';
import { raidRefusalCodes, type RaidRefusalCode } from './refusals.ts';
import { createRaid, type RaidSetup } from './setup.ts';

const covered = new Set<string>();
function refused(outcome: SpecOutcome<RaidState, RaidEvent>, code: RaidRefusalCode): void {
  outcome.thenRefused(code);
  covered.add(code);
}

const T = START + 5;
const hit = draws(seeded, 100, 1); // crit roll, then a variance roll over a single value
const hitThenProc = draws(seeded, 100, 1, 100);
const emberHit = (amount: number, hpAfter: number, prng = hit.prng): RaidEvent => ({
  type: 'DamageDealt',
  data: { sourceId: 'ember', targetId: 'golem', amount, absorbed: 0, hpAfter, shieldAfter: 0,
    cause: { kind: 'ability', abilityId: 'solar-flare', elementPercent: 100, variancePercent: 100, critical: false, prng } },
});
const flare = cast('p1', 'ember', 'solar-flare', 'golem');
const flareCast: RaidEvent = { type: 'AbilityCast', data: { casterId: 'ember', abilityId: 'solar-flare', targetId: 'golem', readyAtTick: T + 40 } };
const emberBurn = { kind: 'burn', sourceId: 'ember', appliedAtTick: T, expiresAtTick: T + 100, damagePerPulse: 6, pulseEveryTicks: 20 } as const;

test('CastAbility: a strike on the boss deals battle damage and its burn takes', () => {
  // 50 attack × 120 % = 60; no defense: 60; fire vs earth 100 %: 60.
  given([created()]).when(flare, { tick: T }).then([
    flareCast,
    emberHit(60, 940),
    { type: 'StatusApplied', data: { targetId: 'golem', abilityId: 'solar-flare', status: emberBurn, roll: hitThenProc.values[2] ?? -1, chancePercent: 100, prng: hitThenProc.prng } },
  ]);
});

test('CastAbility: element advantage and afflictions apply to the boss', () => {
  // Thunderclap: 40 × 55 % = 22; air vs earth 125 % = 27; then a stun for 20 ticks.
  const outcome = given([created()]).when(cast('p2', 'zephyr', 'thunderclap', 'golem'), { tick: T });
  const [, damage, stun] = outcome.events();
  assert.equal(damage?.type === 'DamageDealt' && damage.data.amount, 27);
  assert.deepEqual(stun?.type === 'StatusApplied' && stun.data.status, { kind: 'stun', sourceId: 'zephyr', appliedAtTick: T, expiresAtTick: T + 20 });
  assert.deepEqual(outcome.stateAfter.boss.statuses.map((s) => s.kind), ['stun']);
});

test("CastAbility: the boss's shield soaks a hit before its HP", () => {
  const hardened: RaidEvent = { type: 'ShieldRaised', data: { sourceId: 'golem', targetId: 'golem', abilityId: 'harden', amount: 100, shieldAfter: 100 } };
  const damage = given([created(), hardened]).when(flare, { tick: T }).events()[1];
  assert.deepEqual(damage?.type === 'DamageDealt' && [damage.data.absorbed, damage.data.amount, damage.data.shieldAfter, damage.data.hpAfter], [60, 0, 40, 1000]);
});

test('CastAbility: heals and shields go to any standing ally, the caster included', () => {
  // Hearth Glow: 50 × 90 % = 45 healed. Second Wind: 40 × 50 % = 20 healed, 40 × 60 % = 24 shield.
  given([created(), wounded('golem', 'zephyr', 100, 300)]).when(cast('p1', 'ember', 'hearth-glow', 'zephyr'), { tick: T }).then([
    { type: 'AbilityCast', data: { casterId: 'ember', abilityId: 'hearth-glow', targetId: 'zephyr', readyAtTick: T + 80 } },
    { type: 'HealApplied', data: { sourceId: 'ember', targetId: 'zephyr', abilityId: 'hearth-glow', amount: 45, hpAfter: 345 } },
  ]);
  given([created(), wounded('golem', 'zephyr', 50, 350)]).when(cast('p2', 'zephyr', 'second-wind', 'zephyr'), { tick: T }).then([
    { type: 'AbilityCast', data: { casterId: 'zephyr', abilityId: 'second-wind', targetId: 'zephyr', readyAtTick: T + 70 } },
    { type: 'HealApplied', data: { sourceId: 'zephyr', targetId: 'zephyr', abilityId: 'second-wind', amount: 20, hpAfter: 370 } },
    { type: 'ShieldRaised', data: { sourceId: 'zephyr', targetId: 'zephyr', abilityId: 'second-wind', amount: 24, shieldAfter: 24 } },
  ]);
});

test('CastAbility: crossing an HP threshold changes phase, once, to the phase reached', () => {
  // 530 - 60 = 470: 47 % is below cracked's 50 %. 230 - 60 = 170: 17 % skips straight to crumbling.
  const outcome = given([created(), wounded('ember', 'golem', 470, 530)]).when(flare, { tick: T });
  assert.deepEqual(outcome.events().slice(1, 3), [
    emberHit(60, 470),
    { type: 'BossPhaseChanged', data: { fromPhaseId: 'intact', toPhaseId: 'cracked', hpPercent: 47, attackPercent: 150 } },
  ]);
  const skipped = given([created(), wounded('ember', 'golem', 770, 230)]).when(flare, { tick: T }).events()[2];
  assert.deepEqual(skipped, { type: 'BossPhaseChanged', data: { fromPhaseId: 'intact', toPhaseId: 'crumbling', hpPercent: 17, attackPercent: 200 } });
  assert.equal(given([created(), wounded('ember', 'golem', 400, 600)]).when(flare, { tick: T }).events()[2]?.type, 'StatusApplied');
});

test("CastAbility: the Leviathan surfaces into its maelstrom exactly at 60 %", () => {
  // 60 × 100 / (100 + 40 defense) = 42; fire vs water 80 % = 33. 36 033 - 33 = 36 000 = 60 % of 60 000.
  const history = (hp: number) => [created({ bossId: 'leviathan' }), wounded('ember', 'leviathan', 60_000 - hp, hp)];
  const events = given(history(36_033)).when(cast('p1', 'ember', 'solar-flare', 'leviathan'), { tick: T }).events();
  assert.deepEqual(events[2], { type: 'BossPhaseChanged', data: { fromPhaseId: 'surface', toPhaseId: 'maelstrom', hpPercent: 60, attackPercent: 100 } });
  const above = given(history(36_034)).when(cast('p1', 'ember', 'solar-flare', 'leviathan'), { tick: T });
  assert.equal(above.stateAfter.boss.phaseId, 'surface');
});

/** Loot rolls continue from `from`: per player and per table roll, an item pick over weight 4 then a quantity. */
function expectedLoot(from: readonly [number, number, number, number], players: string[]): RaidEvent[] {
  let prng = from;
  return players.map((playerId) => {
    const rolled = draws(prng, 4, 1, 4, 1);
    prng = rolled.prng;
    const item = (pick: number | undefined) => ((pick ?? 0) < 3 ? { itemId: 'golem-core', quantity: 1 } : { itemId: 'golem-eye', quantity: 2 });
    return { type: 'LootDropped', data: { playerId, items: [item(rolled.values[0]), item(rolled.values[2])], prng } };
  });
}

test('CastAbility: the killing blow wins the raid and drops loot for each player who stayed', () => {
  // 60 damage on 30 HP: HP stops at 0; the burn never lands, the raid is over.
  given([created(), wounded('ember', 'golem', 970, 30)]).when(flare, { tick: T }).then([
    flareCast,
    emberHit(30, 0),
    { type: 'BossDefeated', data: { bossId: 'golem', cause: 'damage', byOracleId: 'ember' } },
    ...expectedLoot(hit.prng, ['p1', 'p2']),
    { type: 'RaidEnded', data: { outcome: 'victory', bossHp: 0, bossHpPercent: 0, phaseId: 'intact', enraged: false } },
  ]);
  const left = play([created({ participants: trio }), wounded('ember', 'golem', 970, 30)], [forfeit('p2'), T]);
  const loot = given(left).when(flare, { tick: T }).events().filter((e) => e.type === 'LootDropped');
  assert.deepEqual(loot, expectedLoot(hit.prng, ['p1', 'p3']));
});

test('Forfeit: the player leaves and their oracles fall; the raid goes on while anyone stands', () => {
  given([created({ participants: [{ playerId: 'p1', oracles: [{ ...tide, oracleId: 't1' }, { ...tide, oracleId: 't2' }] }, { playerId: 'p2', oracles: [zephyr] }] })])
    .when(forfeit('p1'), { tick: T }).then([
      { type: 'PlayerForfeited', data: { playerId: 'p1' } },
      { type: 'OracleFell', data: { oracleId: 't1', cause: 'forfeit', byOracleId: null } },
      { type: 'OracleFell', data: { oracleId: 't2', cause: 'forfeit', byOracleId: null } },
    ]);
});

test('Forfeit: when the last standing player leaves, the raid is lost; allowed during the countdown', () => {
  given(play([created()], [forfeit('p1'), T])).when(forfeit('p2'), { tick: T }).then([
    { type: 'PlayerForfeited', data: { playerId: 'p2' } },
    { type: 'OracleFell', data: { oracleId: 'zephyr', cause: 'forfeit', byOracleId: null } },
    { type: 'RaidEnded', data: { outcome: 'defeat', bossHp: 1000, bossHpPercent: 100, phaseId: 'intact', enraged: false } },
  ]);
  assert.equal(given([created()]).when(forfeit('p1'), { tick: 0 }).stateAfter.participants[0]?.forfeited, true);
});

test('CastAbility refusals: not_started, ended, not_participant, not_your_oracle', () => {
  refused(given([]).when(flare, { tick: T }), 'raid/not_started');
  refused(given([created()]).when(flare, { tick: START - 1 }), 'raid/not_started');
  refused(given(play([created()], [forfeit('p1'), T], [forfeit('p2'), T])).when(flare, { tick: T + 1 }), 'raid/ended');
  refused(given([created()]).when(cast('p9', 'ember', 'solar-flare', 'golem'), { tick: T }), 'raid/not_participant');
  refused(given([created()]).when(cast('p1', 'zephyr', 'gale-cut', 'golem'), { tick: T }), 'raid/not_your_oracle');
  refused(given([created()]).when(cast('p1', 'golem', 'slam', 'ember'), { tick: T }), 'raid/not_your_oracle');
});

test('CastAbility refusals: oracle_fallen, stunned, unknown_ability, on_cooldown', () => {
  const fell: RaidEvent = { type: 'OracleFell', data: { oracleId: 'ember', cause: 'damage', byOracleId: 'golem' } };
  refused(given([created(), wounded('golem', 'ember', 500, 0), fell]).when(flare, { tick: T }), 'raid/oracle_fallen');
  const stunned = statusOn('ember', 'rockfall', { kind: 'stun', sourceId: 'golem', appliedAtTick: START, expiresAtTick: T });
  refused(given([created(), stunned]).when(flare, { tick: T }), 'raid/stunned');
  refused(given([created()]).when(cast('p1', 'ember', 'gale-cut', 'golem'), { tick: T }), 'raid/unknown_ability');
  refused(given([created()]).when(cast('p1', 'ember', 'no-such-thing', 'golem'), { tick: T }), 'raid/unknown_ability');
  const flared = play([created()], [flare, T]);
  refused(given(flared).when(flare, { tick: T + 39 }), 'raid/on_cooldown');
  given(flared).when(flare, { tick: T + 40 }).events();
});

test('CastAbility refusals: invalid_target (harm only the boss, help only standing allies, self only self)', () => {
  const raid = [created({ participants: trio })];
  refused(given(raid).when(cast('p1', 'ember', 'solar-flare', 'zephyr'), { tick: T }), 'raid/invalid_target');
  refused(given(raid).when(cast('p1', 'ember', 'hearth-glow', 'golem'), { tick: T }), 'raid/invalid_target');
  refused(given(raid).when(cast('p2', 'zephyr', 'second-wind', 'ember'), { tick: T }), 'raid/invalid_target');
  refused(given(raid).when(cast('p1', 'ember', 'solar-flare', 'nobody'), { tick: T }), 'raid/invalid_target');
  refused(given(play(raid, [forfeit('p2'), T])).when(cast('p1', 'ember', 'hearth-glow', 'zephyr'), { tick: T }), 'raid/invalid_target');
});

test('Forfeit refusals: not_started, ended, not_participant, already_forfeited', () => {
  refused(given([]).when(forfeit('p1'), { tick: T }), 'raid/not_started');
  refused(given(play([created()], [forfeit('p1'), T], [forfeit('p2'), T])).when(forfeit('p1'), { tick: T }), 'raid/ended');
  refused(given([created()]).when(forfeit('p9'), { tick: T }), 'raid/not_participant');
  refused(given(play([created({ participants: trio })], [forfeit('p1'), T])).when(forfeit('p1'), { tick: T }), 'raid/already_forfeited');
});

test('createRaid refusals: already_created, invalid_setup, unknown_boss', () => {
  const content = loadContent();
  const chart = { sun: 'leo', moon: 'leo', rising: 'leo' } as const;
  const setup: RaidSetup = { raidId: 'r2', bossId: 'leviathan', seed: 'a-long-enough-seed-01', participants: [
    { playerId: 'p1', oracles: [{ oracleId: 'o1', name: 'One', chart }] },
    { playerId: 'p2', oracles: [{ oracleId: 'o2', name: 'Two', chart }] },
  ] };
  const code = (decision: ReturnType<typeof createRaid>) => (decision.ok ? 'accepted' : decision.refusal.code);
  const fresh = given([]).state;
  assert.equal(code(createRaid(given([created()]).state, setup, { tick: 0 }, content)), 'raid/already_created');
  assert.equal(code(createRaid(fresh, { ...setup, participants: setup.participants.slice(0, 1) }, { tick: 0 }, content)), 'raid/invalid_setup');
  assert.equal(code(createRaid(fresh, { ...setup, bossId: 'kraken' }, { tick: 0 }, content)), 'raid/unknown_boss');
  for (const c of ['raid/already_created', 'raid/invalid_setup', 'raid/unknown_boss']) covered.add(c);
});

test('every refusal code has a spec', () => {
  assert.deepEqual(raidRefusalCodes.filter((code) => !covered.has(code)), []);
});
