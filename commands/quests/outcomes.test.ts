// The quest log's views of room events, held to the events the rooms' own rules record
// (played into a real PostgreSQL store): who earns which facts from a battle, a ritual and
// a raid, and who earns nothing (forfeits, abandoned or failed rituals).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { playBattle, playRaid, playRitual } from '../../projections/testing/matches.ts';
import { factsOf } from './outcomes.ts';

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
before(async () => {
  schema = await createTestSchema('quest_outcomes');
  db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 50 });
});
after(async () => {
  await store.close();
  await db.close();
  await schema.drop();
});

const ending = (stream: readonly RecordedEvent[], type: string) => stream.find((e) => e.type === type)!;

test('a battle: the winner won with the elements it fielded, both played; a forfeit earns nothing', async () => {
  const duel = await playBattle(store, { battleId: 'q-duel', dice: 'crits', active: ['ana'], participants: [{ playerId: 'ana', side: 'a', element: ['fire', 'water'] }, { playerId: 'bo', side: 'b', element: ['air', 'air'] }] });
  assert.deepEqual(factsOf(ending(duel, 'BattleEnded'), duel), [
    { playerId: 'ana', facts: [{ kind: 'battle_played' }, { kind: 'battle_won', elements: ['fire', 'water'] }] },
    { playerId: 'bo', facts: [{ kind: 'battle_played' }] },
  ]);
  const quit = await playBattle(store, { battleId: 'q-quit', active: [], forfeits: [{ playerId: 'bo', atTick: 3 }], participants: [{ playerId: 'ana', side: 'a' }, { playerId: 'bo', side: 'b' }] });
  assert.deepEqual(factsOf(ending(quit, 'BattleEnded'), quit).map((f) => f.playerId), ['ana']);
});

test('a ritual: every celebrant completed it, perfectly when every rite was perfect, with its codex entries; a failed one gives nothing', async () => {
  const rite = await playRitual(store, { ritualRoomId: 'q-dawn', ritualId: 'anointing-of-the-dawn', participants: ['ana', 'bo'] });
  const completed = ending(rite, 'RitualCompleted');
  const expected = [{ kind: 'ritual_completed', ritualId: 'anointing-of-the-dawn', perfect: true }, { kind: 'codex_entry', entryId: 'codex/dawn-hymn' }, { kind: 'codex_entry', entryId: 'codex/first-light' }];
  assert.deepEqual(factsOf(completed, rite), [{ playerId: 'ana', facts: expected }, { playerId: 'bo', facts: expected }]);
  // The same ritual with one rite landed merely good is complete, but not perfect.
  const good = rite.map((e, i) => (e.type === 'RiteChannelled' && i === rite.findIndex((x) => x.type === 'RiteChannelled') ? { ...e, data: { ...(e.data as object), quality: 'good' } } : e));
  assert.equal(factsOf(completed, good)[0]!.facts[0]!.kind === 'ritual_completed' && (factsOf(completed, good)[0]!.facts[0] as { perfect: boolean }).perfect, false);
  const abandoned = await playRitual(store, { ritualRoomId: 'q-tide', ritualId: 'tidecall', participants: ['ana', 'bo', 'cy'], abandon: { playerId: 'cy', atTick: 4 } });
  assert.deepEqual(factsOf(ending(abandoned, 'RitualCompleted'), abandoned), []);
});

test('a raid won: those who stayed defeated the boss in the phase it fell in; the one who forfeited did not', async () => {
  const raid = await playRaid(store, { raidId: 'q-raid', participants: [{ playerId: 'gus' }, { playerId: 'hal' }, { playerId: 'ivo' }], forfeits: [{ playerId: 'ivo', atTick: 2 }] });
  const ended = ending(raid, 'RaidEnded');
  const { phaseId, outcome } = ended.data as { phaseId: string; outcome: string };
  assert.equal(outcome, 'victory');
  assert.deepEqual(factsOf(ended, raid), ['gus', 'hal'].map((playerId) => ({ playerId, facts: [{ kind: 'raid_won', bossId: 'golem', phaseId }] })));
});
