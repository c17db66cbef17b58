// Property tests over whole random battles played with the published content (crits and
// variance on): random line-ups from random charts, random command streams (mostly legal,
// some not), driven the way the room drives them: commands of a tick in order, then onTick.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EventCatalog } from '../../events/catalog.ts';
import { loadContent, signIds, type Chart } from '../../events/content/index.ts';
import { fold } from '../../events/decider.ts';
import { nextInt } from '../../events/tick/prng.ts';
import { assertReplays, deepFreeze } from '../../events/testing/ruleTesting.ts';
import type { BattleCommand } from './commands.ts';
import { battleEventDefinitions, type BattleEvent } from './events.ts';
import { percentOf } from './intMath.ts';
import { lastTick, type BattleState } from './model.ts';
import { battleDecider as decider } from './rules.ts';
import { createBattle } from './setup.ts';

const content = loadContent();
const catalog = new EventCatalog(battleEventDefinitions);
const sign = fc.constantFrom(...signIds);
const chart: fc.Arbitrary<Chart> = fc.record({ sun: sign, moon: sign, rising: sign });
// Indexes into small lists (by modulo); a small range keeps shrinking quick.
const pick = fc.nat({ max: 59 });
const step = fc.record({ gap: fc.nat({ max: 4 }), action: fc.nat({ max: 299 }), actor: pick, oracle: pick, ability: pick, target: pick });
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

const scenario = fc.record({
  seed: fc.string({ minLength: 16, maxLength: 32 }),
  size: fc.integer({ min: 1, max: 3 }),
  onePlayerPerOracle: fc.boolean(),
  charts: fc.array(chart, { minLength: 6, maxLength: 6 }),
  tickLimit: fc.integer({ min: 60, max: 1500 }),
  stake: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
  steps: fc.array(fc.noShrink(step), { maxLength: 600, size: 'max' }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** `batches`: the events of each decision and each tick, in order. */
type Run = { log: BattleEvent[]; state: BattleState; batches: (readonly BattleEvent[])[] };

function simulate(sc: Scenario): Run {
  const participants = (['a', 'b'] as const).flatMap((side, s) => {
    const oracles = Array.from({ length: sc.size }, (_, i) => ({ oracleId: `${side}${i}`, name: `${side}${i}`, chart: sc.charts[s * 3 + i] ?? sc.charts[0]! }));
    return sc.onePlayerPerOracle
      ? oracles.map((oracle, i) => ({ playerId: `p${side}${i}`, side, oracles: [oracle] }))
      : [{ playerId: `p${side}`, side, oracles }];
  });
  const creation = createBattle({ battleId: 'prop', seed: sc.seed, startTick: 5, tickLimit: sc.tickLimit, wager: sc.stake === null ? null : { currency: 'crowns', amount: sc.stake }, participants }, content);
  if (!creation.ok) throw new Error(creation.refusal.message);

  const run: Run = { log: [], state: decider.initialState(), batches: [] };
  const apply = (events: readonly BattleEvent[]) => {
    run.batches.push(events);
    run.state = fold(decider, run.state, events);
    run.log.push(...events);
  };
  apply(creation.events);
  let tick = 0;
  for (const s of sc.steps) {
    for (let i = 0; i < s.gap; i++) apply(decider.onTick(deepFreeze(run.state), { tick: tick++ }));
    const decision = decider.decide(deepFreeze(run.state), commandFor(run.state, s), { tick });
    if (decision.ok) apply(decision.events);
  }
  // The tick limit guarantees an end; the bound only turns a rules bug into a failure instead of a hang.
  while (run.state.status === 'active' && tick <= lastTick(run.state)) apply(decider.onTick(deepFreeze(run.state), { tick: tick++ }));
  return run;
}

/**
 * Mostly a cast by one of the actor's own oracles at a target its ability allows, so that
 * battles get fought to a finish; sometimes a forfeit, a stranger, someone else's oracle,
 * an unknown ability or any target at all.
 */
function commandFor(state: BattleState, s: Step): BattleCommand {
  const player = state.participants[s.actor % state.participants.length]!;
  if (s.action === 0) return { type: 'Forfeit', playerId: player.playerId };
  const pool = s.action === 1 ? state.oracles : state.oracles.filter((o) => o.playerId === player.playerId);
  const oracle = pool[s.oracle % pool.length]!;
  const abilityId = s.action === 2 ? 'no-such-ability' : oracle.abilityIds[s.ability % oracle.abilityIds.length]!;
  const aim = content.abilities.find((a) => a.id === abilityId)?.target;
  const allowed = state.oracles.filter((o) =>
    !o.fallen && (aim === 'enemy' ? o.side !== oracle.side : aim === 'ally' ? o.side === oracle.side : o === oracle));
  const targets = s.action === 4 || allowed.length === 0 ? state.oracles : allowed;
  const target = targets[s.target % targets.length]!;
  return { type: 'CastAbility', playerId: s.action === 3 ? 'stranger' : player.playerId, oracleId: oracle.oracleId, abilityId, targetId: target.oracleId };
}

const runs = { numRuns: 60 };

test('HP never drops below 0 nor rises above max; shields stay within their cap; the fallen hold nothing', () => {
  fc.assert(fc.property(scenario, (sc) => {
    // Checked after each whole decision or tick: inside one, a hit may leave HP at 0 an event before OracleFell.
    let state = decider.initialState();
    for (const batch of simulate(sc).batches) {
      state = fold(decider, state, batch);
      for (const o of state.oracles) {
        assert.ok(Number.isSafeInteger(o.hp) && o.hp >= 0 && o.hp <= o.stats.hp, `${o.oracleId} hp ${o.hp}`);
        assert.ok(o.shield >= 0 && o.shield <= percentOf(o.stats.hp, content.battle.shieldCapPercent), `${o.oracleId} shield ${o.shield}`);
        assert.equal(o.fallen, o.hp === 0, `${o.oracleId} fallen ${o.fallen} at hp ${o.hp}`);
        if (o.fallen) assert.deepEqual([o.shield, o.statuses], [0, []]);
      }
    }
  }), runs);
});

test('events report the state they fold to: hpAfter, shieldAfter and the generator state', () => {
  fc.assert(fc.property(scenario, (sc) => {
    let state = decider.initialState();
    for (const event of simulate(sc).log) {
      state = decider.evolve(state, event);
      const targetId = event.type === 'DamageDealt' || event.type === 'HealApplied' || event.type === 'ShieldRaised' ? event.data.targetId : '';
      const target = state.oracles.find((o) => o.oracleId === targetId);
      if (event.type === 'DamageDealt') assert.deepEqual([target?.hp, target?.shield], [event.data.hpAfter, event.data.shieldAfter]);
      if (event.type === 'HealApplied') assert.equal(target?.hp, event.data.hpAfter);
      if (event.type === 'ShieldRaised') assert.equal(target?.shield, event.data.shieldAfter);
      if (event.type === 'DamageDealt' && event.data.cause.kind === 'ability') assert.deepEqual(state.prng, event.data.cause.prng);
      if (event.type === 'StatusApplied' || event.type === 'StatusResisted') assert.deepEqual(state.prng, event.data.prng);
    }
  }), runs);
});

test('every recorded roll re-draws from the generator state before it (what an auditor checks)', () => {
  const { critChancePercent, varianceMinPercent, varianceMaxPercent } = content.battle;
  fc.assert(fc.property(scenario, (sc) => {
    let state = decider.initialState();
    for (const event of simulate(sc).log) {
      if (event.type === 'DamageDealt' && event.data.cause.kind === 'ability') {
        const [crit, afterCrit] = nextInt(state.prng, 100);
        const [variance, after] = nextInt(afterCrit, varianceMaxPercent - varianceMinPercent + 1);
        const { critical, variancePercent, prng } = event.data.cause;
        assert.deepEqual([critical, variancePercent, prng], [crit < critChancePercent, varianceMinPercent + variance, after]);
      }
      if (event.type === 'StatusApplied' || event.type === 'StatusResisted') {
        const [roll, after] = nextInt(state.prng, 100);
        assert.deepEqual([event.data.roll, event.data.prng, event.type === 'StatusApplied'], [roll, after, roll < event.data.chancePercent]);
      }
      state = decider.evolve(state, event);
    }
  }), runs);
});

test('replay: the same seed and commands give identical events, and folding the stored stream gives the live state', () => {
  fc.assert(fc.property(scenario, (sc) => assertReplays(decider, catalog, 'battle-prop', () => simulate(sc))), runs);
});

test('a battle ends exactly once, last, and wager payouts sum to the pot', () => {
  fc.assert(fc.property(scenario, (sc) => {
    const { log, state } = simulate(sc);
    const ends = log.filter((e) => e.type === 'BattleEnded');
    assert.equal(ends.length, 1);
    assert.equal(log.at(-1)?.type, 'BattleEnded');
    assert.equal(state.status, 'ended');
    const wager = ends[0]?.type === 'BattleEnded' ? ends[0].data.wager : null;
    assert.equal(wager === null, sc.stake === null);
    if (wager) assert.equal(wager.payouts.reduce((sum, p) => sum + p.amount, 0), wager.pot);
  }), runs);
});
