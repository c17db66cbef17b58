// Pure specs: which events become moments (a critical finishing blow told once, not again as
// the fall it caused), which codex entries one event unlocks, and the offline narrator's
// words (deterministic per seed, within the event's limits, for every kind of moment).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { RecordedEvent } from '../../events/envelope.ts';
import { loadCodex } from '../../events/content/codex.ts';
import { NarrationGenerated } from './events.ts';
import { codexUnlocks, contextOf, MomentSelector, plannedMoments, type Facts } from './moments.ts';
import { offlineText } from '../../infra/narrator/offline.ts';

const codex = loadCodex();
let position = 0;
function event(streamId: string, type: string, data: unknown, tick = 0): RecordedEvent {
  position++;
  return { id: `e${position}`, streamId, version: position, position, type, schemaVersion: 1, data, metadata: { tick, recordedAt: '2026-03-01T00:00:00Z' }, hash: '' };
}
const oracle = (oracleId: string, name: string, element: string) => ({ oracleId, name, element });
const battleCreated = (streamId: string) => event(streamId, 'BattleCreated', {
  participants: [
    { playerId: 'ana', side: 'a', oracles: [oracle('a1', 'Pyra', 'fire'), oracle('a2', 'Ignis', 'fire')] },
    { playerId: 'bo', side: 'b', oracles: [oracle('b1', 'Thalassa', 'water')] },
  ],
});
const crit = (streamId: string, sourceId: string, targetId: string, hpAfter: number, tick: number) => event(streamId, 'DamageDealt', {
  sourceId, targetId, amount: 120, absorbed: 0, hpAfter, shieldAfter: 0,
  cause: { kind: 'ability', abilityId: 'flare', elementPercent: 100, variancePercent: 100, critical: true, prng: [1, 2, 3, 4] },
}, tick);

describe('moments', () => {
  test('a critical finishing blow is told once, not again as the fall it caused; other falls and the end are told', () => {
    const s = 'battle-x';
    const events = [
      battleCreated(s),
      crit(s, 'a1', 'b1', 30, 40),
      crit(s, 'b1', 'a2', 0, 50),
      event(s, 'OracleFell', { oracleId: 'a2', cause: 'damage', byOracleId: 'b1' }, 50),
      event(s, 'OracleFell', { oracleId: 'a1', cause: 'burn', byOracleId: 'b1' }, 70),
      event(s, 'BattleEnded', { winnerSide: 'b', reason: 'defeat', sides: [{ side: 'a', hpPercent: 0 }, { side: 'b', hpPercent: 25 }], wager: null }, 70),
    ];
    const selector = new MomentSelector();
    const context = contextOf(events[0]!);
    const moments = events.flatMap((e) => selector.select(e, context));
    assert.deepEqual(moments.map((m) => [m.facts.kind, m.sourceEventId, m.players]), [
      ['critical_finish', events[2]!.id, ['bo', 'ana']],
      ['oracle_fell', events[4]!.id, ['bo', 'ana']],
      ['battle_ended', events[5]!.id, ['ana', 'bo']],
    ]);
    assert.deepEqual(moments[2]!.facts, { kind: 'battle_ended', draw: false, winners: ['Thalassa'], losers: ['Pyra', 'Ignis'], reason: 'defeat', winnerHpPercent: 25 });
    assert.ok(moments.every((m) => m.streamId === 'narration-battle-x' && m.use === 'battle_highlight'));
    // Ids are the source event's: the same events planned again give the same ids.
    assert.deepEqual(plannedMoments(events, codex).filter((m) => !m.codexEntryId).map((m) => m.id), moments.map((m) => m.id));
  });

  test('codex entries a single event unlocks, for whom', () => {
    const s = 'battle-y';
    const created = battleCreated(s);
    const context = contextOf(created);
    const ids = (e: RecordedEvent) => codexUnlocks(e, context, codex).map(({ entry, players }) => `${entry.id}:${players.join('+')}`);
    assert.deepEqual(ids(created), ['codex/oracle-of-flame:ana', 'codex/oracle-of-tides:bo']);
    assert.deepEqual(ids(crit(s, 'a1', 'b1', 0, 9)), ['codex/killing-star:ana', 'codex/starfall:ana']);
    assert.deepEqual(ids(crit(s, 'a1', 'b1', 10, 9)), ['codex/killing-star:ana']);
    assert.deepEqual(ids(event(s, 'BattleEnded', { winnerSide: 'a', reason: 'defeat', sides: [], wager: null })), ['codex/first-crown:ana']);
    assert.deepEqual(ids(event(s, 'BattleEnded', { winnerSide: null, reason: 'tick_limit', sides: [], wager: null })), ['codex/even-scales:ana+bo']);

    const ritual = event('ritual-z', 'RitualCreated', { definition: { name: 'Anointing of the Dawn' }, participants: ['cy', 'di'] });
    const completed = (outcome: string, entries: string[]) => event('ritual-z', 'RitualCompleted', { outcome, reason: 'all_rites_channelled', score: 9, tick: 30, omen: 'silent', unlocks: { codexEntries: entries, anointments: [] } });
    assert.deepEqual(codexUnlocks(completed('success', ['codex/dawn-hymn']), contextOf(ritual), codex).map(({ entry }) => entry.id), ['codex/dawn-hymn']);
    assert.deepEqual(codexUnlocks(completed('failure', []), contextOf(ritual), codex), []);
  });

  test('a stream that is no room’s has no moments', () => {
    const selector = new MomentSelector();
    assert.deepEqual(selector.select(event('wallet-ana', 'OracleFell', { oracleId: 'a1', cause: 'damage', byOracleId: null }), null), []);
  });
});

const who = fc.record({ name: fc.string({ minLength: 1, maxLength: 60 }), element: fc.constantFrom('fire', 'water', 'air', 'earth') });
const names = fc.array(fc.string({ minLength: 1, maxLength: 60 }), { minLength: 1, maxLength: 5 });
const facts: fc.Arbitrary<Facts> = fc.oneof(
  fc.record({ kind: fc.constant('critical_finish' as const), striker: who, fallen: who, damage: fc.nat(100_000) }),
  fc.record({ kind: fc.constant('oracle_fell' as const), fallen: who, by: fc.option(who, { nil: null }), cause: fc.constantFrom('damage' as const, 'burn' as const, 'forfeit' as const) }),
  fc.record({ kind: fc.constant('battle_ended' as const), draw: fc.boolean(), winners: names, losers: names, reason: fc.constantFrom('defeat' as const, 'tick_limit' as const, 'forfeit' as const), winnerHpPercent: fc.nat(100) }),
  fc.record({ kind: fc.constant('boss_phase' as const), boss: fc.string({ minLength: 1, maxLength: 60 }), fromPhase: fc.string({ minLength: 1, maxLength: 64 }), toPhase: fc.string({ minLength: 1, maxLength: 64 }), bossHpPercent: fc.nat(100), attackPercent: fc.integer({ min: 1, max: 1000 }) }),
  fc.record({ kind: fc.constant('raid_enraged' as const), boss: fc.string({ minLength: 1, maxLength: 60 }), attackPercent: fc.integer({ min: 100, max: 1000 }) }),
  fc.record({ kind: fc.constant('boss_defeated' as const), boss: fc.string({ minLength: 1, maxLength: 60 }), by: who, cause: fc.constantFrom('damage' as const, 'burn' as const) }),
  fc.record({ kind: fc.constant('raid_ended' as const), boss: fc.string({ minLength: 1, maxLength: 60 }), outcome: fc.constantFrom('victory' as const, 'defeat' as const, 'timeout' as const), bossHpPercent: fc.nat(100), enraged: fc.boolean(), party: names }),
  fc.record({ kind: fc.constant('ritual_completed' as const), ritual: fc.string({ minLength: 1, maxLength: 60 }), outcome: fc.constantFrom('success' as const, 'failure' as const), reason: fc.string({ maxLength: 40 }), omen: fc.constantFrom('favourable' as const, 'silent' as const, 'none' as const), score: fc.nat(1000), celebrants: fc.integer({ min: 2, max: 5 }) }),
);

describe('offline narrator', () => {
  test('the same moment and seed always give the same words, and the words always fit the event', () => {
    fc.assert(fc.property(facts, fc.string({ minLength: 1 }), (moment, seed) => {
      const text = offlineText(moment, seed);
      assert.equal(offlineText(structuredClone(moment), seed), text);
      assert.ok(NarrationGenerated.schema.shape.text.safeParse(text).success, text);
    }));
  });

  test('codex lore offline is the entry’s canon, and every entry’s fits the event', () => {
    for (const entry of codex.entries) {
      const text = offlineText({ kind: 'codex_entry', title: entry.title, category: entry.category, canon: entry.lore }, entry.id);
      assert.equal(text, `${entry.title}. ${entry.lore}`);
      assert.ok(NarrationGenerated.schema.shape.text.safeParse(text).success);
    }
  });

  test('different moments read differently: the variant follows the seed', () => {
    const fall: Facts = { kind: 'oracle_fell', fallen: { name: 'Thalassa', element: 'water' }, by: { name: 'Pyra', element: 'fire' }, cause: 'damage' };
    const texts = new Set(Array.from({ length: 20 }, (_, i) => offlineText(fall, `seed-${i}`)));
    assert.equal(texts.size, 3);
  });
});
