// A room kind and a read model added with only the files docs/architecture.md lists (the
// fixtures rooms/testing/tally/ and projections/testing/tallyWins.ts), composed in as the
// document says: the kind's events in the catalog, its rules in the registry audits use,
// the read model in a runner. The kind plays through the same actor the Colyseus room
// drives, is rebuilt from its stream mid-game, audits clean, and its read model folds it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import type { SqlExecutor } from '../events/sql/executor.ts';
import { openPgExecutor } from '../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../events/sql/testing/schema.ts';
import type { EventStore } from '../events/store.ts';
import { createRulesRegistry } from '../events/tick/rulesVersions.ts';
import { auditStream } from '../projections/anticheat/audit.ts';
import { openProjectionRunner } from '../projections/index.ts';
import { readModelTable } from '../projections/runner/tables.ts';
import { tallyWins, tallyWinsProjection } from '../projections/testing/tallyWins.ts';
import { roomRules } from '../rooms/rulesRegistry.ts';
import { RoomActor } from '../rooms/shared/actor.ts';
import { tallyEventDefinitions } from '../rooms/testing/tally/events.ts';
import { tallyKind, tallyRoom } from '../rooms/testing/tally/room.ts';
import { tallyRules } from '../rooms/testing/tally/rulesVersions.ts';
import { createCatalog } from './catalog.ts';

const catalog = createCatalog(tallyEventDefinitions);
const rules = createRulesRegistry([...roomRules.kinds, tallyRules], roomRules.aliases);
let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;

before(async () => {
  schema = await createTestSchema('extending');
  db = await openPgExecutor({ connectionString: testDatabaseUrl });
  store = await openSqlEventStore({ db, catalog, schema: schema.name, pollIntervalMs: 50 });
});
after(async () => {
  await store.close();
  await db.close();
  await schema.drop();
});

const add = (playerId: string, amount: number) => ({ kind: 'command' as const, playerId, command: { type: 'Add' as const, playerId, amount } });

test('a new room kind plays, comes back from its stream, audits clean, and a new read model folds it', async () => {
  assert.equal(typeof tallyRoom({} as Parameters<typeof tallyRoom>[0]), 'function', 'the kind makes a Colyseus room class');
  let actor = await RoomActor.create(tallyKind, store, 'first', { players: ['ana', 'bo'], target: 10 }, 'seed-first');
  const moves: [string, number][] = [['ana', 3], ['ana', 1], ['bo', 3], ['ana', 1], ['bo', 2], ['ana', 1]];
  const refusals: string[] = [];
  for (const [i, [player, amount]] of moves.entries()) {
    // Half way, the process "dies": the room is rebuilt from its stream and plays on.
    if (i === 3) actor = await RoomActor.load(tallyKind, store, actor.streamId);
    actor.enqueue(add(player, amount));
    const report = await actor.step();
    for (const outcome of report?.outcomes ?? []) if (!outcome.accepted) refusals.push(outcome.code);
  }
  assert.deepEqual(refusals, ['tally/not_your_turn']);
  assert.equal(actor.status, 'over');
  assert.deepEqual({ total: actor.state.total, winner: actor.state.winner }, { total: 10, winner: 'ana' });

  const report = await auditStream(store, actor.streamId, { rules, catalog });
  assert.equal(report.verdict, 'clean', JSON.stringify(report.divergence ?? report.tampered));
  assert.equal(report.kind, 'tally');

  const runner = await openProjectionRunner({ db, store, schema: schema.name, processors: [tallyWinsProjection], logger: pino({ level: 'silent' }) });
  await runner.start();
  try {
    await runner.waitFor(await store.headPosition());
    assert.deepEqual(await tallyWins(db, readModelTable(schema.name, 'tally_wins', 'wins')), { ana: 1 });
  } finally {
    await runner.stop();
  }
});
