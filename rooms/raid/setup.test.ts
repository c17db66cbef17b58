// Specs for creating a raid from a matchmaking party against the published bosses, and for
// registering the raid's events next to battle's in one catalog.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventCatalog } from '../../events/catalog.ts';
import { deriveOracle, loadContent, type Chart } from '../../events/content/index.ts';
import { battleEventDefinitions } from '../battle/events.ts';
import { ritualEventDefinitions } from '../ritual/events.ts';
import { fold } from '../../events/decider.ts';
import { seedPrng } from '../../events/tick/prng.ts';
import { RaidCreated, raidEventDefinitions } from './events.ts';
import { raidRulesVersion } from './model.ts';
import { raidDecider } from './rules.ts';
import { createRaid, type RaidSetup } from './setup.ts';
import { raidTuning } from './tuning.ts';

const content = loadContent();
const fire: Chart = { sun: 'aries', moon: 'leo', rising: 'sagittarius' };
const water: Chart = { sun: 'cancer', moon: 'pisces', rising: 'scorpio' };
const seed = 'crypto-random-seed-0001';
const fresh = raidDecider.initialState();

function setup(overrides: Partial<RaidSetup> = {}): RaidSetup {
  return {
    raidId: 'r1',
    bossId: 'leviathan',
    seed,
    participants: [
      { playerId: 'p1', oracles: [{ oracleId: 'o1', name: 'Ember', chart: fire }] },
      { playerId: 'p2', oracles: [{ oracleId: 'o2', name: 'Tide', chart: water }] },
    ],
    ...overrides,
  };
}

test('createRaid derives oracles from charts, snapshots the boss and freezes versions, seed and timers', () => {
  const decision = createRaid(fresh, setup(), { tick: 30 }, content);
  assert.ok(decision.ok);
  const event = decision.events[0];
  assert.ok(event?.type === 'RaidCreated');
  RaidCreated.schema.parse(event.data);
  assert.deepEqual(
    [event.data.rulesVersion, event.data.contentVersion, event.data.startTick, event.data.tickLimit, event.data.bossCadenceTicks],
    [raidRulesVersion, content.contentVersion, 30, 12_000 + raidTuning.enrageGraceTicks, raidTuning.bossCadenceTicks],
  );
  assert.deepEqual(event.data.boss, { bossId: 'leviathan', name: 'The Leviathan', element: 'water', stats: { hp: 60_000, attack: 80, defense: 40, speed: 10 }, phaseId: 'surface' });
  assert.deepEqual(event.data.participants[0]?.oracles[0], { oracleId: 'o1', name: 'Ember', ...deriveOracle(fire, content) });

  const state = fold(raidDecider, fresh, decision.events);
  assert.equal(state.status, 'active');
  assert.deepEqual(state.prng, seedPrng(seed));
  assert.deepEqual([state.boss.oracleId, state.boss.hp, state.boss.phaseId, state.boss.enraged], ['leviathan', 60_000, 'surface', false]);
  assert.deepEqual(state.oracles.map((o) => [o.oracleId, o.playerId, o.hp === o.stats.hp]), [['o1', 'p1', true], ['o2', 'p2', true]]);
});

test('createRaid takes the Behemoth, a countdown and an explicit tick limit, and up to six players of three oracles', () => {
  const oracle = (id: string) => ({ oracleId: id, name: id, chart: water });
  const participants = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((playerId) => ({ playerId, oracles: [oracle(`${playerId}a`), oracle(`${playerId}b`), oracle(`${playerId}c`)] }));
  const decision = createRaid(fresh, setup({ bossId: 'behemoth', startTick: 100, tickLimit: 600, participants }), { tick: 30 }, content);
  assert.ok(decision.ok);
  const state = fold(raidDecider, fresh, decision.events);
  assert.deepEqual([state.bossId, state.boss.phaseId, state.startTick, state.tickLimit, state.oracles.length], ['behemoth', 'awakened', 100, 600, 18]);
});

test('createRaid refuses parties and settings that cannot make a raid', () => {
  const oracle = (id: string) => ({ oracleId: id, name: id, chart: fire });
  const players = (n: number) => Array.from({ length: n }, (_, i) => ({ playerId: `p${i}`, oracles: [oracle(`o${i}`)] }));
  const cases: [string, Partial<RaidSetup>][] = [
    ['a lone player', { participants: players(1) }],
    ['seven players', { participants: players(7) }],
    ['four oracles for one player', { participants: [{ playerId: 'p1', oracles: ['a', 'b', 'c', 'd'].map(oracle) }, ...players(1)] }],
    ['a duplicate player', { participants: [{ playerId: 'p1', oracles: [oracle('a')] }, { playerId: 'p1', oracles: [oracle('b')] }] }],
    ['a duplicate oracle id', { participants: [{ playerId: 'p1', oracles: [oracle('x')] }, { playerId: 'p2', oracles: [oracle('x')] }] }],
    ["an oracle named after the boss", { participants: [{ playerId: 'p1', oracles: [oracle('leviathan')] }, ...players(1)] }],
    ['a tick limit beyond the maximum', { tickLimit: raidTuning.maxTickLimit + 1 }],
    ['a guessable seed', { seed: '42' }],
  ];
  for (const [label, overrides] of cases) {
    const decision = createRaid(fresh, setup(overrides), { tick: 0 }, content);
    assert.equal(decision.ok ? 'accepted' : decision.refusal.code, 'raid/invalid_setup', label);
  }
});

test("the raid's events register beside battle's and ritual's in one catalog", () => {
  const catalog = new EventCatalog([...battleEventDefinitions, ...raidEventDefinitions, ...ritualEventDefinitions]);
  for (const definition of raidEventDefinitions) assert.ok(catalog.has(definition.type), definition.type);
});
