// Property tests over whole random raids, driven the way the room drives them (commands of a
// tick in order, then onTick): random parties from random charts against the golem and the
// shrunk published bosses (quickContent: dice on), random command streams (mostly legal,
// some not), so raids end in victory, defeat and timeout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EventCatalog } from '../../events/catalog.ts';
import { rollDrops, signIds, type Chart } from '../../events/content/index.ts';
import { fold } from '../../events/decider.ts';
import { nextInt } from '../../events/tick/prng.ts';
import { assertReplays, deepFreeze } from '../../events/testing/ruleTesting.ts';
import type { RaidCommand } from './commands.ts';
import { raidEventDefinitions, type RaidEvent } from './events.ts';
import { decider, quickContent as content } from './testing/fixtures.ts';
import { bossDefinition, type RaidState } from './model.ts';
import { readyAbilities } from './boss.ts';
import { createRaid } from './setup.ts';

const catalog = new EventCatalog(raidEventDefinitions);
const sign = fc.constantFrom(...signIds);
const chart: fc.Arbitrary<Chart> = fc.record({ sun: sign, moon: sign, rising: sign });
const step = fc.record({ gap: fc.nat({ max: 5 }), action: fc.nat({ max: 199 }), actor: fc.nat(), oracle: fc.nat(), ability: fc.nat(), target: fc.nat() });
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

const scenario = fc.record({
  seed: fc.string({ minLength: 16, maxLength: 32 }),
  bossId: fc.constantFrom('golem', 'leviathan', 'behemoth'),
  players: fc.integer({ min: 2, max: 6 }),
  oraclesEach: fc.integer({ min: 1, max: 2 }),
  charts: fc.array(chart, { minLength: 12, maxLength: 12 }),
  tickLimit: fc.integer({ min: 100, max: 800 }),
  steps: fc.array(step, { maxLength: 300, size: 'max' }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** `batches`: the events of each decision and each tick, in order, with the tick they happened at. */
type Batch = { tick: number; events: readonly RaidEvent[] };
type Run = { log: RaidEvent[]; state: RaidState; batches: Batch[] };

function simulate(sc: Scenario): Run {
  const participants = Array.from({ length: sc.players }, (_, p) => ({
    playerId: `p${p}`,
    oracles: Array.from({ length: sc.oraclesEach }, (_, i) => ({ oracleId: `o${p}-${i}`, name: `o${p}-${i}`, chart: sc.charts[p * 2 + i] ?? sc.charts[0]! })),
  }));
  const creation = createRaid(decider.initialState(), { raidId: 'prop', bossId: sc.bossId, seed: sc.seed, startTick: 5, tickLimit: sc.tickLimit, participants }, { tick: 0 }, content);
  if (!creation.ok) throw new Error(creation.refusal.message);

  const run: Run = { log: [], state: decider.initialState(), batches: [] };
  const apply = (events: readonly RaidEvent[], at = tick) => {
    run.batches.push({ tick: at, events });
    run.state = fold(decider, run.state, events);
    run.log.push(...events);
  };
  let tick = 0;
  apply(creation.events);
  for (const s of sc.steps) {
    for (let i = 0; i < s.gap; i++, tick++) apply(decider.onTick(deepFreeze(run.state), { tick }));
    const decision = decider.decide(deepFreeze(run.state), commandFor(run.state, s), { tick });
    if (decision.ok) apply(decision.events);
  }
  // The tick limit guarantees an end; the bound only turns a rules bug into a failure instead of a hang.
  for (; run.state.status === 'active' && tick <= 5 + sc.tickLimit; tick++) apply(decider.onTick(deepFreeze(run.state), { tick }));
  return run;
}

/** Mostly a cast by one of the actor's oracles at a target its ability allows; sometimes a forfeit or a wrong command. */
function commandFor(state: RaidState, s: Step): RaidCommand {
  const player = state.participants[s.actor % state.participants.length]!;
  if (s.action === 0) return { type: 'Forfeit', playerId: player.playerId };
  const pool = s.action === 1 ? state.oracles : state.oracles.filter((o) => o.playerId === player.playerId);
  const oracle = pool[s.oracle % pool.length]!;
  const abilityId = s.action === 2 ? 'no-such-ability' : oracle.abilityIds[s.ability % oracle.abilityIds.length]!;
  const aim = content.abilities.find((a) => a.id === abilityId)?.target;
  const allies = state.oracles.filter((o) => !o.fallen);
  const targets = s.action === 4 || aim === undefined ? [state.boss, ...state.oracles] : aim === 'enemy' ? [state.boss] : aim === 'self' ? [oracle] : allies;
  const target = targets[s.target % Math.max(1, targets.length)] ?? state.boss;
  return { type: 'CastAbility', playerId: s.action === 3 ? 'stranger' : player.playerId, oracleId: oracle.oracleId, abilityId, targetId: target.oracleId };
}

const runs = { numRuns: 40 };

test('replay: the same seed and commands give identical events, and folding the stored stream gives the live state', () => {
  fc.assert(fc.property(scenario, (sc) => assertReplays(decider, catalog, 'raid-prop', () => simulate(sc))), runs);
});

test('HP never drops below 0 nor rises above max, for the boss and every oracle; fallen means 0 HP', () => {
  fc.assert(fc.property(scenario, (sc) => {
    let state = decider.initialState();
    for (const batch of simulate(sc).batches) {
      state = fold(decider, state, batch.events);
      for (const c of [state.boss, ...state.oracles]) {
        assert.ok(Number.isSafeInteger(c.hp) && c.hp >= 0 && c.hp <= c.stats.hp, `${c.oracleId} hp ${c.hp}`);
        assert.ok(Number.isSafeInteger(c.shield) && c.shield >= 0, `${c.oracleId} shield ${c.shield}`);
        assert.equal(c.fallen, c.hp === 0, `${c.oracleId} fallen ${c.fallen} at hp ${c.hp}`);
      }
    }
  }), runs);
});

test('events report the state they fold to, and every roll re-draws from the generator state before it', () => {
  fc.assert(fc.property(scenario, (sc) => {
    const boss = bossDefinition(content.raidBosses, sc.bossId);
    let state = decider.initialState();
    for (const { tick, events } of simulate(sc).batches) {
      for (const event of events) {
        const before = state;
        state = decider.evolve(state, event);
        if (event.type === 'DamageDealt') {
          const target = event.data.targetId === state.boss.oracleId ? state.boss : state.oracles.find((o) => o.oracleId === event.data.targetId);
          assert.deepEqual([target?.hp, target?.shield], [event.data.hpAfter, event.data.shieldAfter]);
        }
        if (event.type === 'BossAbilityCast') {
          const ready = readyAbilities(before, boss, tick);
          assert.equal(ready[nextInt(before.prng, ready.length)[0]]?.id, event.data.abilityId);
        }
        if (event.type === 'LootDropped') assert.deepEqual(rollDrops(boss.drops, before.prng), [event.data.items, event.data.prng]);
      }
    }
  }), runs);
});

test('loot drops only on victory: one roll per player who stayed, between BossDefeated and RaidEnded', () => {
  fc.assert(fc.property(scenario, (sc) => {
    const { log, state } = simulate(sc);
    const ends = log.filter((e) => e.type === 'RaidEnded');
    assert.equal(ends.length, 1);
    assert.equal(log.at(-1)?.type, 'RaidEnded');
    const loot = log.flatMap((e) => (e.type === 'LootDropped' ? [e.data] : []));
    if (state.outcome !== 'victory') {
      assert.deepEqual([loot, log.some((e) => e.type === 'BossDefeated')], [[], false]);
      return;
    }
    const stayed = state.participants.filter((p) => !p.forfeited).map((p) => p.playerId);
    assert.deepEqual(loot.map((l) => l.playerId), stayed);
    assert.deepEqual(log.slice(-stayed.length - 2).map((e) => e.type), ['BossDefeated', ...stayed.map(() => 'LootDropped'), 'RaidEnded']);
    const table = bossDefinition(content.raidBosses, state.bossId).drops;
    for (const l of loot) {
      assert.equal(l.items.length, table.rolls);
      for (const item of l.items) assert.ok(table.entries.some((e) => e.itemId === item.itemId && item.quantity >= e.minQuantity && item.quantity <= e.maxQuantity));
    }
  }), runs);
});

test('phases only advance, and the boss enrages at most once, at the end of a tick no earlier than its enrage tick', () => {
  fc.assert(fc.property(scenario, (sc) => {
    const boss = bossDefinition(content.raidBosses, sc.bossId);
    const order = (id: string) => boss.phases.findIndex((p) => p.id === id);
    const run = simulate(sc);
    for (const event of run.log) {
      if (event.type === 'BossPhaseChanged') assert.ok(order(event.data.toPhaseId) > order(event.data.fromPhaseId));
    }
    const enrages = run.batches.filter((b) => b.events.some((e) => e.type === 'RaidEnraged'));
    assert.ok(enrages.length <= 1);
    for (const { tick } of enrages) assert.ok(tick >= 5 + boss.enrage.atTick, `enraged at ${tick}`);
    assert.equal(run.state.boss.enraged, enrages.length === 1);
  }), runs);
});
