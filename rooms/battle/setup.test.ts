// Specs for creating a battle from a matchmaking line-up, and for settling wagers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveOracle, loadContent, type Chart } from '../../events/content/index.ts';
import { fold } from '../../events/decider.ts';
import { seedPrng } from '../../events/tick/prng.ts';
import { BattleCreated } from './events.ts';
import { battleDecider } from './rules.ts';
import { BATTLE_RULES_VERSION } from './model.ts';
import { settleWager } from './outcome.ts';
import { createBattle, type BattleSetup } from './setup.ts';

const content = loadContent();
const fire: Chart = { sun: 'aries', moon: 'leo', rising: 'sagittarius' };
const water: Chart = { sun: 'cancer', moon: 'pisces', rising: 'scorpio' };
const seed = 'crypto-random-seed-0001';

function setup(overrides: Partial<BattleSetup> = {}): BattleSetup {
  return {
    battleId: 'b1',
    seed,
    startTick: 40,
    participants: [
      { playerId: 'p1', side: 'a', oracles: [{ oracleId: 'o1', name: 'Ember', chart: fire }] },
      { playerId: 'p2', side: 'b', oracles: [{ oracleId: 'o2', name: 'Tide', chart: water }] },
    ],
    ...overrides,
  };
}

test('createBattle derives each oracle from its chart and freezes the versions and seed', () => {
  const decision = createBattle(setup({ wager: { currency: 'crowns', amount: 25 } }), content);
  assert.ok(decision.ok);
  const event = decision.events[0];
  assert.ok(event);
  BattleCreated.schema.parse(event.data);
  assert.equal(event.data.rulesVersion, BATTLE_RULES_VERSION);
  assert.equal(event.data.contentVersion, content.contentVersion);
  assert.equal(event.data.tickLimit, content.battle.defaultTickLimit);
  assert.deepEqual(event.data.participants[0]?.oracles[0], { oracleId: 'o1', name: 'Ember', ...deriveOracle(fire, content) });

  const state = fold(battleDecider, battleDecider.initialState(), decision.events);
  assert.equal(state.status, 'active');
  assert.deepEqual(state.prng, seedPrng(seed));
  assert.deepEqual(state.oracles.map((o) => [o.oracleId, o.side, o.hp === o.stats.hp]), [['o1', 'a', true], ['o2', 'b', true]]);
  assert.deepEqual(state.wager, { currency: 'crowns', amount: 25 });
});

test('createBattle accepts squads of up to three a side, split over players', () => {
  const oracle = (id: string) => ({ oracleId: id, name: id, chart: fire });
  const decision = createBattle(setup({ participants: [
    { playerId: 'p1', side: 'a', oracles: [oracle('a1'), oracle('a2')] },
    { playerId: 'p3', side: 'a', oracles: [oracle('a3')] },
    { playerId: 'p2', side: 'b', oracles: [oracle('b1'), oracle('b2'), oracle('b3')] },
  ] }), content);
  assert.ok(decision.ok);
});

test('createBattle refuses line-ups that cannot make a fair battle', () => {
  const oracle = (id: string) => ({ oracleId: id, name: id, chart: fire });
  const cases: [string, Partial<BattleSetup>][] = [
    ['four a side', { participants: [
      { playerId: 'p1', side: 'a', oracles: [oracle('a1'), oracle('a2'), oracle('a3')] },
      { playerId: 'p3', side: 'a', oracles: [oracle('a4')] },
      { playerId: 'p2', side: 'b', oracles: [oracle('b1'), oracle('b2'), oracle('b3')] },
      { playerId: 'p4', side: 'b', oracles: [oracle('b4')] },
    ] }],
    ['one side only', { participants: [
      { playerId: 'p1', side: 'a', oracles: [oracle('a1')] },
      { playerId: 'p2', side: 'a', oracles: [oracle('a2')] },
    ] }],
    ['a duplicate oracle id', { participants: [
      { playerId: 'p1', side: 'a', oracles: [oracle('x')] },
      { playerId: 'p2', side: 'b', oracles: [oracle('x')] },
    ] }],
    ['a duplicate player', { participants: [
      { playerId: 'p1', side: 'a', oracles: [oracle('a1')] },
      { playerId: 'p1', side: 'b', oracles: [oracle('b1')] },
    ] }],
    ['a tick limit beyond the content maximum', { tickLimit: content.battle.maxTickLimit + 1 }],
    ['a guessable seed', { seed: '42' }],
  ];
  for (const [label, overrides] of cases) {
    const decision = createBattle(setup(overrides), content);
    assert.equal(decision.ok ? 'accepted' : decision.refusal.code, 'battle/invalid_setup', label);
  }
});

test('settleWager splits an uneven pot one unit at a time, and a forfeiter leaves their stake', () => {
  const oracle = (id: string) => ({ oracleId: id, name: id, chart: fire });
  const decision = createBattle(setup({
    wager: { currency: 'crowns', amount: 101 },
    participants: [
      { playerId: 'p1', side: 'a', oracles: [oracle('a1'), oracle('a2')] },
      { playerId: 'p2', side: 'b', oracles: [oracle('b1')] },
      { playerId: 'p4', side: 'b', oracles: [oracle('b2')] },
    ],
  }), content);
  assert.ok(decision.ok);
  const state = fold(battleDecider, battleDecider.initialState(), decision.events);
  const payouts = (s: typeof state, side: 'a' | 'b' | null) => settleWager(s, side)?.payouts.map((p) => p.amount);
  assert.deepEqual(payouts(state, 'b'), [0, 152, 151]);
  assert.deepEqual(payouts(state, 'a'), [303, 0, 0]);
  assert.deepEqual(payouts(state, null), [101, 101, 101]);
  const p2Left = { ...state, participants: state.participants.map((p) => (p.playerId === 'p2' ? { ...p, forfeited: true } : p)) };
  assert.deepEqual(payouts(p2Left, 'b'), [0, 0, 303]);
});
