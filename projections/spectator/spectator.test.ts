// The spectator feed over real PostgreSQL, fed by battles, raids and rituals played through
// the rooms' rules into a real store: what a watcher sees of each, narration included, and a
// rebuild that reproduces the live rows exactly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { openProjectionRunner, type ProjectionRunner } from '../runner/runner.ts';
import { playBattle, playRaid, playRitual, snapshot } from '../testing/matches.ts';
import { foldSummary, LAST_ACTIONS, liveMatches, spectatorProjection, summaryOf } from './index.ts';
import { narrate } from './testing/feed.ts';

describe('spectator feed read model (PostgreSQL)', () => {
  let schema: TestSchema;
  let db: SqlExecutor;
  let store: EventStore;
  let runner: ProjectionRunner;

  before(async () => {
    schema = await createTestSchema('spectator');
    db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
    store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 20 });
    // Small live batches, so matches straddle batches.
    runner = await openProjectionRunner({ db, store, schema: schema.name, processors: [spectatorProjection], logger: pino({ level: 'silent' }), batchSize: 7 });
    await runner.start();
  });
  after(async () => {
    await runner.stop();
    await store.close();
    await db.close();
    await schema.drop();
  });

  const settled = async () => runner.waitFor(await store.headPosition());

  test('a battle shows both sides with HP, the last actions, narration and the result', async () => {
    const events = await playBattle(store, { battleId: 'feed-duel', participants: [{ playerId: 'ana', side: 'a' }, { playerId: 'bo', side: 'b', element: 'water' }], active: ['ana'] });
    const fell = events.find((e) => e.type === 'OracleFell')!;
    await narrate(store, fell, 'Bo’s oracle sinks beneath the tide.');
    await settled();
    const summary = (await summaryOf(db, schema.name, 'feed-duel'))!;
    assert.equal(summary.streamId, 'battle-feed-duel');
    assert.equal(summary.status, 'ended');
    assert.equal(summary.result, 'Side A wins (defeat)');
    assert.deepEqual(summary.sides.map((s) => [s.side, s.players.map((p) => p.playerId)]), [['a', ['ana']], ['b', ['bo']]]);
    const [ana, bo] = summary.sides.map((s) => s.fighters[0]!);
    assert.equal(bo!.hp, 0);
    assert.equal(bo!.fallen, true);
    assert.ok(ana!.hp > 0 && ana!.hp <= ana!.maxHp);
    assert.equal(summary.narration, 'Bo’s oracle sinks beneath the tide.');
    assert.ok(summary.lastActions.length > 0 && summary.lastActions.length <= LAST_ACTIONS);
    assert.match(summary.lastActions.at(-1)!.text, /falls/);
    // Looked up by stream id too, and equal to a fold of the streams by hand.
    assert.deepEqual(await summaryOf(db, schema.name, 'battle-feed-duel'), summary);
    const byHand = foldSummary([...events, ...(await store.readStream('narration-battle-feed-duel'))]);
    assert.deepEqual(byHand, summary);
  });

  test('a raid shows the party against the boss; a ritual its progress', async () => {
    await playRaid(store, { raidId: 'feed-raid', participants: [{ playerId: 'cy' }, { playerId: 'di', element: 'water' }] });
    await playRitual(store, { ritualRoomId: 'feed-rite', ritualId: 'anointing-of-the-dawn', participants: ['cy', 'di'] });
    await settled();
    const raid = (await summaryOf(db, schema.name, 'feed-raid'))!;
    assert.deepEqual(raid.sides.map((s) => s.side), ['party', 'boss']);
    assert.equal(raid.sides[1]!.fighters[0]!.id, 'golem');
    assert.equal(raid.status, 'ended');
    assert.equal(raid.result, 'Victory: the boss is down');
    const rite = (await summaryOf(db, schema.name, 'feed-rite'))!;
    assert.equal(rite.kind, 'ritual');
    assert.equal(rite.ritual!.step, rite.ritual!.steps);
    assert.match(rite.result!, /^Success/);
  });

  test('a match under way is listed as live until it ends', async () => {
    // Ends at the tick limit: idle players, so it runs to 40 ticks; stop it half way.
    await playBattle(store, { battleId: 'feed-half', participants: [{ playerId: 'el', side: 'a' }, { playerId: 'fa', side: 'b' }], active: [], tickLimit: 40 }, 20);
    await settled();
    const live = await liveMatches(db, schema.name);
    assert.deepEqual(live.map((m) => m.streamId), ['battle-feed-half']);
    assert.equal(live[0]!.result, null);
  });

  test('a rebuild gives back exactly the live rows', async () => {
    const live = await snapshot(db, schema.name, spectatorProjection);
    assert.equal(live.matches!.length, 4);
    await runner.rebuild(['spectator']);
    assert.deepEqual(await snapshot(db, schema.name, spectatorProjection), live);
  });
});
