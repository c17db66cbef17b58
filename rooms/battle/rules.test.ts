// Specs for every battle command and every refusal code: given(history).when(command).then(...).
// Damage is worked out by hand in comments from the fixtures' round numbers and the formula
// in damage.ts; the steady content has no crits and no variance, so the dice only show up
// as generator states, which `draws` reproduces (crit roll, variance roll, then proc roll).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadContent } from '../../events/content/index.ts';
import type { SpecOutcome } from '../../events/testing/specs.ts';
import type { BattleEvent } from './events.ts';
import {
  START, cast, created, critContent, draws, forfeit, given, play, seeded, squads, statusOn, wounded,
} from './testing/fixtures.ts';
import type { BattleState } from './model.ts';
import { battleRefusalCodes, type BattleRefusalCode } from './refusals.ts';
import { createBattle } from './setup.ts';

const covered = new Set<string>();
function refused(outcome: SpecOutcome<BattleState, BattleEvent>, code: BattleRefusalCode): void {
  outcome.thenRefused(code);
  covered.add(code);
}

const T = START + 5;
const hit = draws(seeded, 100, 1); // crit roll, then a variance roll over a single value
const hitThenProc = draws(seeded, 100, 1, 100);

test('CastAbility: a fire strike on an air oracle deals +25 % and its burn takes', () => {
  // 50 attack × 120 % = 60; 60 × 100 / (100 + 25 defense) = 48; fire vs air 125 % = 60.
  given([created()]).when(cast('p1', 'ember', 'solar-flare', 'zephyr'), { tick: T }).then([
    { type: 'AbilityCast', data: { casterId: 'ember', abilityId: 'solar-flare', targetId: 'zephyr', readyAtTick: T + 40 } },
    { type: 'DamageDealt', data: { sourceId: 'ember', targetId: 'zephyr', amount: 60, absorbed: 0, hpAfter: 340, shieldAfter: 0,
      cause: { kind: 'ability', abilityId: 'solar-flare', elementPercent: 125, variancePercent: 100, critical: false, prng: hit.prng } } },
    { type: 'StatusApplied', data: { targetId: 'zephyr', abilityId: 'solar-flare',
      status: { kind: 'burn', sourceId: 'ember', appliedAtTick: T, expiresAtTick: T + 100, damagePerPulse: 6, pulseEveryTicks: 20 },
      roll: hitThenProc.values[2] ?? -1, chancePercent: 100, prng: hitThenProc.prng } },
  ]);
});

test('CastAbility: an air strike on a fire oracle deals -20 %', () => {
  // 40 × 95 % = 38; 38 × 100 / 125 = 30; air vs fire 80 % = 24.
  const outcome = given([created()]).when(cast('p2', 'zephyr', 'gale-cut', 'ember'), { tick: T });
  assert.deepEqual(outcome.events()[1], { type: 'DamageDealt', data: { sourceId: 'zephyr', targetId: 'ember', amount: 24, absorbed: 0,
    hpAfter: 476, shieldAfter: 0, cause: { kind: 'ability', abilityId: 'gale-cut', elementPercent: 80, variancePercent: 100, critical: false, prng: hit.prng } } });
});

test('CastAbility: a critical hit deals the crit multiplier', () => {
  // 60 as above × 150 % = 90.
  const outcome = given([created({ content: critContent })]).when(cast('p1', 'ember', 'solar-flare', 'zephyr'), { tick: T });
  const damage = outcome.events()[1];
  assert.equal(damage?.type === 'DamageDealt' && damage.data.amount, 90);
  assert.equal(damage?.type === 'DamageDealt' && damage.data.cause.kind === 'ability' && damage.data.cause.critical, true);
});

test('CastAbility: a shield soaks damage before HP', () => {
  const shielded: BattleEvent = { type: 'ShieldRaised', data: { sourceId: 'zephyr', targetId: 'zephyr', abilityId: 'second-wind', amount: 30, shieldAfter: 30 } };
  const outcome = given([created(), shielded]).when(cast('p1', 'ember', 'solar-flare', 'zephyr'), { tick: T });
  const damage = outcome.events()[1];
  assert.deepEqual(damage?.type === 'DamageDealt' && [damage.data.absorbed, damage.data.amount, damage.data.shieldAfter, damage.data.hpAfter], [30, 30, 0, 370]);
  assert.equal(outcome.stateAfter.oracles[1]?.shield, 0);
});

test('CastAbility: a weakened caster hits softer', () => {
  // Undertow cut zephyr's attack by 30 %: 40 → 28; 28 × 95 % = 26; 26 × 100 / 125 = 20; 80 % = 16.
  const weakened = statusOn('zephyr', 'undertow', { kind: 'weaken', sourceId: 'tide', appliedAtTick: START, expiresAtTick: START + 100, attackReductionPercent: 30 });
  const outcome = given([created({ participants: squads }), weakened]).when(cast('p2', 'zephyr', 'gale-cut', 'ember'), { tick: T });
  const damage = outcome.events()[1];
  assert.equal(damage?.type === 'DamageDealt' && damage.data.amount, 16);
});

test('CastAbility: a stun lands on a 100 % proc and a weaken is resisted on a 0 % one', () => {
  // Thunderclap: 40 × 55 % = 22; 22 × 100 / 125 = 17; air vs fire 80 % = 13; then the stun.
  given([created()]).when(cast('p2', 'zephyr', 'thunderclap', 'ember'), { tick: T }).then([
    { type: 'AbilityCast', data: { casterId: 'zephyr', abilityId: 'thunderclap', targetId: 'ember', readyAtTick: T + 140 } },
    { type: 'DamageDealt', data: { sourceId: 'zephyr', targetId: 'ember', amount: 13, absorbed: 0, hpAfter: 487, shieldAfter: 0,
      cause: { kind: 'ability', abilityId: 'thunderclap', elementPercent: 80, variancePercent: 100, critical: false, prng: hit.prng } } },
    { type: 'StatusApplied', data: { targetId: 'ember', abilityId: 'thunderclap', status: { kind: 'stun', sourceId: 'zephyr', appliedAtTick: T, expiresAtTick: T + 20 },
      roll: hitThenProc.values[2] ?? -1, chancePercent: 100, prng: hitThenProc.prng } },
  ]);
  const resisted = given([created({ participants: squads })]).when(cast('p3', 'tide', 'tidal-crash', 'zephyr'), { tick: T }).events()[2];
  assert.deepEqual(resisted, { type: 'StatusResisted', data: { sourceId: 'tide', targetId: 'zephyr', abilityId: 'tidal-crash', kind: 'weaken',
    roll: hitThenProc.values[2], chancePercent: 0, prng: hitThenProc.prng } });
});

test('CastAbility: heals restore up to max HP, on self or an ally', () => {
  // 50 attack × 90 % = 45.
  const heal = (history: BattleEvent[], targetId: string) =>
    given(history).when(cast('p1', 'ember', 'hearth-glow', targetId), { tick: T }).events()[1];
  assert.deepEqual(heal([created(), wounded('zephyr', 'ember', 100, 400)], 'ember'),
    { type: 'HealApplied', data: { sourceId: 'ember', targetId: 'ember', abilityId: 'hearth-glow', amount: 45, hpAfter: 445 } });
  assert.deepEqual(heal([created(), wounded('zephyr', 'ember', 20, 480)], 'ember'),
    { type: 'HealApplied', data: { sourceId: 'ember', targetId: 'ember', abilityId: 'hearth-glow', amount: 20, hpAfter: 500 } });
  assert.deepEqual(heal([created({ participants: squads }), wounded('zephyr', 'tide', 100, 350)], 'tide'),
    { type: 'HealApplied', data: { sourceId: 'ember', targetId: 'tide', abilityId: 'hearth-glow', amount: 45, hpAfter: 395 } });
});

test('CastAbility: a self ability heals and shields its caster', () => {
  // 40 × 50 % = 20 healed; 40 × 60 % = 24 shield (cap 50 % of 400 = 200).
  given([created(), wounded('ember', 'zephyr', 50, 350)]).when(cast('p2', 'zephyr', 'second-wind', 'zephyr'), { tick: T }).then([
    { type: 'AbilityCast', data: { casterId: 'zephyr', abilityId: 'second-wind', targetId: 'zephyr', readyAtTick: T + 70 } },
    { type: 'HealApplied', data: { sourceId: 'zephyr', targetId: 'zephyr', abilityId: 'second-wind', amount: 20, hpAfter: 370 } },
    { type: 'ShieldRaised', data: { sourceId: 'zephyr', targetId: 'zephyr', abilityId: 'second-wind', amount: 24, shieldAfter: 24 } },
  ]);
});

test('CastAbility: the last blow fells the oracle, ends the battle and settles the wager', () => {
  const history = [created({ wager: { currency: 'crowns', amount: 100 } }), wounded('ember', 'zephyr', 350, 50)];
  given(history).when(cast('p1', 'ember', 'solar-flare', 'zephyr'), { tick: T }).then([
    { type: 'AbilityCast', data: { casterId: 'ember', abilityId: 'solar-flare', targetId: 'zephyr', readyAtTick: T + 40 } },
    { type: 'DamageDealt', data: { sourceId: 'ember', targetId: 'zephyr', amount: 50, absorbed: 0, hpAfter: 0, shieldAfter: 0,
      cause: { kind: 'ability', abilityId: 'solar-flare', elementPercent: 125, variancePercent: 100, critical: false, prng: hit.prng } } },
    { type: 'OracleFell', data: { oracleId: 'zephyr', cause: 'damage', byOracleId: 'ember' } },
    { type: 'BattleEnded', data: { winnerSide: 'a', reason: 'defeat', sides: [{ side: 'a', hpPercent: 100 }, { side: 'b', hpPercent: 0 }],
      wager: { currency: 'crowns', stake: 100, pot: 200, payouts: [{ playerId: 'p1', amount: 200 }, { playerId: 'p2', amount: 0 }] } } },
  ]);
});

test('CastAbility: in squads one fallen oracle does not end the battle', () => {
  const outcome = given([created({ participants: squads }), wounded('ember', 'zephyr', 350, 50)])
    .when(cast('p1', 'ember', 'solar-flare', 'zephyr'), { tick: T });
  assert.deepEqual(outcome.events().map((e) => e.type), ['AbilityCast', 'DamageDealt', 'OracleFell']);
  assert.equal(outcome.stateAfter.status, 'active');
});

test('CastAbility refusals: not_started, before creation and before the start tick', () => {
  refused(given([]).when(cast('p1', 'ember', 'solar-flare', 'zephyr'), { tick: T }), 'battle/not_started');
  refused(given([created()]).when(cast('p1', 'ember', 'solar-flare', 'zephyr'), { tick: START - 1 }), 'battle/not_started');
});

test('CastAbility refusals: ended', () => {
  const over = play([created()], [forfeit('p2'), T]);
  refused(given(over).when(cast('p1', 'ember', 'solar-flare', 'zephyr'), { tick: T + 1 }), 'battle/ended');
});

test('CastAbility refusals: not_participant and not_your_oracle', () => {
  refused(given([created()]).when(cast('p9', 'ember', 'solar-flare', 'zephyr'), { tick: T }), 'battle/not_participant');
  refused(given([created()]).when(cast('p1', 'zephyr', 'gale-cut', 'ember'), { tick: T }), 'battle/not_your_oracle');
  refused(given([created()]).when(cast('p1', 'ghost', 'gale-cut', 'zephyr'), { tick: T }), 'battle/not_your_oracle');
});

test('CastAbility refusals: oracle_fallen', () => {
  const history = [created({ participants: squads }), wounded('zephyr', 'ember', 500, 0),
    { type: 'OracleFell', data: { oracleId: 'ember', cause: 'damage', byOracleId: 'zephyr' } } satisfies BattleEvent];
  refused(given(history).when(cast('p1', 'ember', 'solar-flare', 'zephyr'), { tick: T }), 'battle/oracle_fallen');
});

test('CastAbility refusals: stunned until the stun expires', () => {
  const stunned = play([created()], [cast('p2', 'zephyr', 'thunderclap', 'ember'), START]);
  refused(given(stunned).when(cast('p1', 'ember', 'solar-flare', 'zephyr'), { tick: START + 20 }), 'battle/stunned');
  const recovered = play(stunned, ['tick', START + 20]);
  assert.equal(recovered.at(-1)?.type, 'StatusExpired');
  given(recovered).when(cast('p1', 'ember', 'solar-flare', 'zephyr'), { tick: START + 21 }).events();
});

test('CastAbility refusals: unknown_ability, outside the loadout or unheard of', () => {
  refused(given([created()]).when(cast('p1', 'ember', 'gale-cut', 'zephyr'), { tick: T }), 'battle/unknown_ability');
  refused(given([created()]).when(cast('p1', 'ember', 'no-such-thing', 'zephyr'), { tick: T }), 'battle/unknown_ability');
});

test('CastAbility refusals: on_cooldown until the ready-at tick', () => {
  const history = play([created()], [cast('p1', 'ember', 'solar-flare', 'zephyr'), START]);
  refused(given(history).when(cast('p1', 'ember', 'solar-flare', 'zephyr'), { tick: START + 39 }), 'battle/on_cooldown');
  given(history).when(cast('p1', 'ember', 'solar-flare', 'zephyr'), { tick: START + 40 }).events();
  given(history).when(cast('p1', 'ember', 'kindle', 'zephyr'), { tick: START + 1 }).events();
});

test('CastAbility refusals: invalid_target for wrong side, not self, fallen or unknown', () => {
  const squad = [created({ participants: squads })];
  refused(given(squad).when(cast('p1', 'ember', 'solar-flare', 'tide'), { tick: T }), 'battle/invalid_target');
  refused(given(squad).when(cast('p1', 'ember', 'hearth-glow', 'zephyr'), { tick: T }), 'battle/invalid_target');
  refused(given(squad).when(cast('p2', 'zephyr', 'second-wind', 'boulder'), { tick: T }), 'battle/invalid_target');
  refused(given(squad).when(cast('p1', 'ember', 'solar-flare', 'nobody'), { tick: T }), 'battle/invalid_target');
  const fallen = play(squad, [forfeit('p2'), START]);
  refused(given(fallen).when(cast('p1', 'ember', 'solar-flare', 'zephyr'), { tick: T }), 'battle/invalid_target');
});

test('Forfeit: in a duel the forfeiting side loses and leaves its stake', () => {
  given([created({ wager: { currency: 'crowns', amount: 100 } })]).when(forfeit('p2'), { tick: T }).then([
    { type: 'PlayerForfeited', data: { playerId: 'p2' } },
    { type: 'OracleFell', data: { oracleId: 'zephyr', cause: 'forfeit', byOracleId: null } },
    { type: 'BattleEnded', data: { winnerSide: 'a', reason: 'forfeit', sides: [{ side: 'a', hpPercent: 100 }, { side: 'b', hpPercent: 0 }],
      wager: { currency: 'crowns', stake: 100, pot: 200, payouts: [{ playerId: 'p1', amount: 200 }, { playerId: 'p2', amount: 0 }] } } },
  ]);
});

test('Forfeit: in squads the side fights on until its last player leaves', () => {
  const history = [created({ participants: squads, wager: { currency: 'crowns', amount: 100 } })];
  given(history).when(forfeit('p1'), { tick: T }).then([
    { type: 'PlayerForfeited', data: { playerId: 'p1' } },
    { type: 'OracleFell', data: { oracleId: 'ember', cause: 'forfeit', byOracleId: null } },
  ]);
  const ended = given(play(history, [forfeit('p1'), T])).when(forfeit('p3'), { tick: T }).events().at(-1);
  assert.deepEqual(ended?.type === 'BattleEnded' && ended.data.wager?.payouts,
    [{ playerId: 'p1', amount: 0 }, { playerId: 'p2', amount: 200 }, { playerId: 'p3', amount: 0 }, { playerId: 'p4', amount: 200 }]);
});

test('Forfeit: allowed during the countdown before the start tick', () => {
  assert.equal(given([created()]).when(forfeit('p1'), { tick: 0 }).stateAfter.outcome?.winnerSide, 'b');
});

test('Forfeit refusals: not_started, ended, not_participant, already_forfeited', () => {
  refused(given([]).when(forfeit('p1'), { tick: T }), 'battle/not_started');
  refused(given(play([created()], [forfeit('p2'), T])).when(forfeit('p1'), { tick: T }), 'battle/ended');
  refused(given([created()]).when(forfeit('p9'), { tick: T }), 'battle/not_participant');
  const squad = play([created({ participants: squads })], [forfeit('p1'), T]);
  refused(given(squad).when(forfeit('p1'), { tick: T }), 'battle/already_forfeited');
});

test('createBattle refusal: invalid_setup for an uneven line-up', () => {
  const chart = { sun: 'leo', moon: 'leo', rising: 'leo' } as const;
  const decision = createBattle({
    battleId: 'b2',
    seed: 'a-long-enough-seed-01',
    startTick: 0,
    participants: [
      { playerId: 'p1', side: 'a', oracles: [{ oracleId: 'o1', name: 'One', chart }, { oracleId: 'o2', name: 'Two', chart }] },
      { playerId: 'p2', side: 'b', oracles: [{ oracleId: 'o3', name: 'Three', chart }] },
    ],
  }, loadContent());
  assert.equal(!decision.ok && decision.refusal.code, 'battle/invalid_setup');
  covered.add('battle/invalid_setup');
});

test('every refusal code has a spec', () => {
  assert.deepEqual(battleRefusalCodes.filter((code) => !covered.has(code)), []);
});
