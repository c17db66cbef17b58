// Specs for what the end of a tick does on its own: the boss's cadence, wind-ups and
// targeting, the enrage timer, burns (a burn can win the raid), defeat and timeout.
// The golem's phases have one ability each, so its pick is a roll over one choice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PrngState } from '../../events/tick/prng.ts';
import { fold } from '../../events/decider.ts';
import { pickTargets } from './boss.ts';
import type { RaidEvent } from './events.ts';
import { CADENCE, START, TICK_LIMIT, cast, created, decider, draws, forfeit, given, play, seeded, statusOn, trio, wounded } from './testing/fixtures.ts';

const LAST = START + TICK_LIMIT - 1;
const phase = (fromPhaseId: string, toPhaseId: string, attackPercent: number): RaidEvent =>
  ({ type: 'BossPhaseChanged', data: { fromPhaseId, toPhaseId, hpPercent: 50, attackPercent } });
const bossHit = (abilityId: string, targetId: string, amount: number, hpAfter: number, elementPercent: number, prng: PrngState): RaidEvent => ({
  type: 'DamageDealt',
  data: { sourceId: 'golem', targetId, amount, absorbed: 0, hpAfter, shieldAfter: 0,
    cause: { kind: 'ability', abilityId, elementPercent, variancePercent: 100, critical: false, prng } },
});

test('onTick: on its cadence the boss rolls an ability of its phase and a random target, and strikes', () => {
  // Slam: 100 attack × 100 % = 100; vs ember 100 × 100 / 125 = 80 (earth vs fire 100 %); vs zephyr 80 × 80 % = 64.
  const rolled = draws(seeded, 1, 2);
  const targetId = rolled.values[1] === 0 ? 'ember' : 'zephyr';
  const struck = draws(rolled.prng, 100, 1);
  given([created()]).whenTick({ tick: START + CADENCE }).then([
    { type: 'BossAbilityCast', data: { abilityId: 'slam', phaseId: 'intact', targetIds: [targetId], landsAtTick: START + 40, readyAtTick: START + 80, prng: rolled.prng } },
    { type: 'BossAbilityLanded', data: { abilityId: 'slam', attackPercent: 100 } },
    targetId === 'ember' ? bossHit('slam', 'ember', 80, 420, 100, struck.prng) : bossHit('slam', 'zephyr', 64, 336, 80, struck.prng),
  ]);
});

test('onTick: the boss acts only on cadence ticks after the start', () => {
  for (const tick of [START - 1, START, START + CADENCE - 1, START + CADENCE + 1]) given([created()]).whenTick({ tick }).then([]);
  assert.equal(given([created({ cadence: 7 })]).whenTick({ tick: START + 7 }).events()[0]?.type, 'BossAbilityCast');
});

test('onTick: a wind-up telegraphs its targets and lands later on those still standing', () => {
  // Cracked: 100 × 150 % = 150 attack; rockfall 150 × 50 % = 75; vs ember 75 × 100 / 125 = 60; vs zephyr 60 × 80 % = 48.
  const cracked = [created({ participants: trio, cadence: 10 }), phase('intact', 'cracked', 150)];
  const picked = draws(seeded, 1);
  given(cracked).whenTick({ tick: START + 10 }).then([
    { type: 'BossAbilityCast', data: { abilityId: 'rockfall', phaseId: 'cracked', targetIds: ['ember', 'zephyr', 'tide'], landsAtTick: START + 30, readyAtTick: START + 90, prng: picked.prng } },
  ]);
  // p3 leaves during the wind-up, so tide is spared; the tick at +20 brings nothing.
  const windingUp = play(cracked, ['tick', START + 10], [forfeit('p3'), START + 15], ['tick', START + 20]);
  assert.equal(windingUp.at(-1)?.type, 'OracleFell');
  // Per target in party order: crit and variance rolls for the hit, then the stun's proc roll.
  const emberHit = draws(picked.prng, 100, 1);
  const emberStun = draws(emberHit.prng, 100);
  const zephyrHit = draws(emberStun.prng, 100, 1);
  const zephyrStun = draws(zephyrHit.prng, 100);
  const stun = (targetId: string, proc: { values: number[]; prng: PrngState }): RaidEvent => ({ type: 'StatusApplied', data: { targetId, abilityId: 'rockfall',
    status: { kind: 'stun', sourceId: 'golem', appliedAtTick: START + 30, expiresAtTick: START + 40 }, roll: proc.values[0] ?? -1, chancePercent: 100, prng: proc.prng } });
  given(windingUp).whenTick({ tick: START + 30 }).then([
    { type: 'BossAbilityLanded', data: { abilityId: 'rockfall', attackPercent: 150 } },
    bossHit('rockfall', 'ember', 60, 440, 100, emberHit.prng),
    stun('ember', emberStun),
    bossHit('rockfall', 'zephyr', 48, 352, 80, zephyrHit.prng),
    stun('zephyr', zephyrStun),
  ]);
});

test('onTick: a stunned or winding-up boss starts nothing; an ability on cooldown is skipped', () => {
  const stunned = [created(), statusOn('golem', 'thunderclap', { kind: 'stun', sourceId: 'zephyr', appliedAtTick: START, expiresAtTick: START + 40 })];
  given(stunned).whenTick({ tick: START + 40 }).then([{ type: 'StatusExpired', data: { oracleId: 'golem', kind: 'stun' } }]);
  assert.equal(given(play(stunned, ['tick', START + 40])).whenTick({ tick: START + 80 }).events()[0]?.type, 'BossAbilityCast');
  const cooling: RaidEvent = { type: 'BossAbilityCast', data: { abilityId: 'slam', phaseId: 'intact', targetIds: ['ember'], landsAtTick: START, readyAtTick: START + 41, prng: seeded } };
  given([created(), cooling, { type: 'BossAbilityLanded', data: { abilityId: 'slam', attackPercent: 100 } }]).whenTick({ tick: START + 40 }).then([]);
  // Slam is ready, but a wind-up landing at +50 still holds the boss at the +40 cadence tick.
  const busy: RaidEvent = { type: 'BossAbilityCast', data: { abilityId: 'rockfall', phaseId: 'intact', targetIds: ['ember'], landsAtTick: START + 50, readyAtTick: START + 90, prng: seeded } };
  given([created(), busy]).whenTick({ tick: START + 40 }).then([]);
});

test('pickTargets: highest and lowest HP (ties to party order), everyone standing, the boss itself', () => {
  // Everyone at 400 HP after these wounds, so ties decide; later tide dips to 399.
  const state = fold(decider, decider.initialState(), [created({ participants: trio }), wounded('golem', 'ember', 100, 400), wounded('golem', 'tide', 50, 400)]);
  assert.deepEqual(pickTargets(state, 'highest_hp_enemy', seeded), [['ember'], seeded]);
  assert.deepEqual(pickTargets(state, 'lowest_hp_enemy', seeded), [['ember'], seeded]);
  assert.deepEqual(pickTargets(state, 'self', seeded), [['golem'], seeded]);
  const fell: RaidEvent = { type: 'OracleFell', data: { oracleId: 'zephyr', cause: 'forfeit', byOracleId: null } };
  assert.deepEqual(pickTargets(fold(decider, state, [fell]), 'all_enemies', seeded), [['ember', 'tide'], seeded]);
  const hurt = fold(decider, state, [wounded('golem', 'tide', 1, 399)]);
  assert.deepEqual([pickTargets(hurt, 'highest_hp_enemy', seeded)[0], pickTargets(hurt, 'lowest_hp_enemy', seeded)[0]], [['ember'], ['tide']]);
  const [randomPick, after] = pickTargets(state, 'random_enemy', seeded);
  const rolled = draws(seeded, 3);
  assert.deepEqual([randomPick, after], [[['ember', 'zephyr', 'tide'][rolled.values[0] ?? -1]], rolled.prng]);
});

test('onTick: the boss enrages at its enrage tick, once', () => {
  given([created({ cadence: 7 })]).whenTick({ tick: START + 599 }).then([]);
  given([created({ cadence: 7 })]).whenTick({ tick: START + 600 }).then([{ type: 'RaidEnraged', data: { attackPercent: 200, abilityIds: ['frenzy'] } }]);
  const enraged = play([created({ cadence: 7 })], ['tick', START + 600]);
  given(enraged).whenTick({ tick: START + 601 }).then([]);
  given([created({ bossId: 'leviathan', cadence: 7, tickLimit: 20_000 })]).whenTick({ tick: START + 12_000 }).then([
    { type: 'RaidEnraged', data: { attackPercent: 300, abilityIds: ['abyssal-tide'] } },
  ]);
});

test('onTick: an enraged boss adds its enrage abilities and hits with phase × enrage attack', () => {
  // Slam is cooling, so frenzy is the only choice; it goes for the lowest HP (zephyr, 400).
  // Intact 100 % × enrage 200 % = 200 attack × 300 % = 600; 600 × 100 / 125 = 480; earth vs air 80 % = 384.
  const history: RaidEvent[] = [
    created(), { type: 'RaidEnraged', data: { attackPercent: 200, abilityIds: ['frenzy'] } },
    { type: 'BossAbilityCast', data: { abilityId: 'slam', phaseId: 'intact', targetIds: ['ember'], landsAtTick: START, readyAtTick: START + 999, prng: seeded } },
    { type: 'BossAbilityLanded', data: { abilityId: 'slam', attackPercent: 200 } },
  ];
  const picked = draws(seeded, 1);
  given(history).whenTick({ tick: START + CADENCE }).then([
    { type: 'BossAbilityCast', data: { abilityId: 'frenzy', phaseId: 'intact', targetIds: ['zephyr'], landsAtTick: START + 40, readyAtTick: START + 80, prng: picked.prng } },
    { type: 'BossAbilityLanded', data: { abilityId: 'frenzy', attackPercent: 200 } },
    bossHit('frenzy', 'zephyr', 384, 16, 80, draws(picked.prng, 100, 1).prng),
  ]);
});

test("onTick: a burn that fells the boss wins the raid, with loot", () => {
  const burning = [created(), statusOn('golem', 'kindle', { kind: 'burn', sourceId: 'ember', appliedAtTick: START, expiresAtTick: START + 120, damagePerPulse: 10, pulseEveryTicks: 20 })];
  const events = given([...burning, wounded('ember', 'golem', 995, 5)]).whenTick({ tick: START + 20 }).events();
  assert.deepEqual(events.slice(0, 2), [
    { type: 'DamageDealt', data: { sourceId: 'ember', targetId: 'golem', amount: 5, absorbed: 0, hpAfter: 0, shieldAfter: 0, cause: { kind: 'burn' } } },
    { type: 'BossDefeated', data: { bossId: 'golem', cause: 'burn', byOracleId: 'ember' } },
  ]);
  assert.deepEqual(events.slice(2).map((e) => e.type === 'LootDropped' ? e.data.playerId : e.type), ['p1', 'p2', 'RaidEnded']);
});

test('onTick: a boss ability that fells the last oracles loses the raid', () => {
  // Rockfall for 60 and 48 on 50 and 40 HP: each falls, and the stun is never rolled.
  const history: RaidEvent[] = [
    created(), phase('intact', 'cracked', 150), wounded('golem', 'ember', 450, 50), wounded('golem', 'zephyr', 360, 40),
    { type: 'BossAbilityCast', data: { abilityId: 'rockfall', phaseId: 'cracked', targetIds: ['ember', 'zephyr'], landsAtTick: START + 30, readyAtTick: START + 90, prng: seeded } },
  ];
  given(history).whenTick({ tick: START + 30 }).then([
    { type: 'BossAbilityLanded', data: { abilityId: 'rockfall', attackPercent: 150 } },
    bossHit('rockfall', 'ember', 50, 0, 100, draws(seeded, 100, 1).prng),
    { type: 'OracleFell', data: { oracleId: 'ember', cause: 'damage', byOracleId: 'golem' } },
    bossHit('rockfall', 'zephyr', 40, 0, 80, draws(seeded, 100, 1, 100, 1).prng),
    { type: 'OracleFell', data: { oracleId: 'zephyr', cause: 'damage', byOracleId: 'golem' } },
    { type: 'RaidEnded', data: { outcome: 'defeat', bossHp: 1000, bossHpPercent: 100, phaseId: 'cracked', enraged: false } },
  ]);
});

test('onTick: at the tick limit the raid times out, and after the end nothing happens', () => {
  const history: RaidEvent[] = [created(), { type: 'RaidEnraged', data: { attackPercent: 200, abilityIds: ['frenzy'] } }, wounded('ember', 'golem', 250, 750)];
  given(history).whenTick({ tick: LAST - 1 }).then([]);
  given(history).whenTick({ tick: LAST }).then([
    { type: 'RaidEnded', data: { outcome: 'timeout', bossHp: 750, bossHpPercent: 75, phaseId: 'intact', enraged: true } },
  ]);
  const ended = play(history, ['tick', LAST]);
  given(ended).whenTick({ tick: LAST + CADENCE + 1 }).then([]);
  given([]).whenTick({ tick: START + CADENCE }).then([]);
  assert.equal(given(ended).when(cast('p1', 'ember', 'solar-flare', 'golem'), { tick: LAST + 1 }).decision.ok, false);
});
