// Start-up finds the rooms to bring back from the open-rooms read model and the log after
// its checkpoint, and finds exactly what a scan of the whole log finds: finished matches
// are not open, rooms created before and after the checkpoint are.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { openPgExecutor } from '../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../events/sql/testing/schema.ts';
import type { SqlExecutor } from '../events/sql/executor.ts';
import type { EventStore } from '../events/store.ts';
import { fillStore } from '../load-tests/simulate/mix.ts';
import { openProjectionRunner } from '../projections/index.ts';
import { openRoomsProjection } from '../projections/openRooms/projection.ts';
import { openRoomsSnapshot } from '../projections/openRooms/queries.ts';
import { battleKind } from '../rooms/battle/room.ts';
import { duelSetup } from '../rooms/battle/testing/fixtures.e2e.ts';
import { RoomActor } from '../rooms/shared/actor.ts';
import { findOpenRooms } from '../rooms/shared/recovery.ts';
import { roomRules } from '../rooms/rulesRegistry.ts';
import { createCatalog } from './catalog.ts';
import { openRoomsOf } from './openRooms.ts';
import { roomKinds } from './rooms.ts';

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
before(async () => {
  schema = await createTestSchema('open_rooms');
  db = await openPgExecutor({ connectionString: testDatabaseUrl });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name });
});
after(async () => {
  await store.close();
  await db.close();
  await schema.drop();
});

const openBattle = (roomId: string) => RoomActor.create(battleKind, store, roomId, battleKind.setup.parse(duelSetup(`${roomId}-a`, `${roomId}-b`).setup), '0'.repeat(32));

test('the rooms to bring back come from the open-rooms read model and the log after it, as a full scan finds them', async () => {
  await fillStore(store, { seed: 'open-rooms', players: 50, events: 3000 });
  await openBattle('before-checkpoint');
  const runner = await openProjectionRunner({ db, store, schema: schema.name, processors: [openRoomsProjection(roomRules)], logger: pino({ level: 'silent' }) });
  await runner.start();
  await runner.waitFor(await store.headPosition());
  await runner.stop();

  const snapshot = await openRoomsSnapshot(db, schema.name);
  assert.equal(snapshot.position, await store.headPosition());
  assert.deepEqual(snapshot.rooms.map((room) => room.roomId), ['before-checkpoint'], 'finished matches are not open');

  // A room opened after the read model's checkpoint is found in the log's tail.
  await openBattle('after-checkpoint');
  const found = (await openRoomsOf({ store, db, schema: schema.name })()).map((room) => room.streamId).sort();
  assert.deepEqual(found, ['battle-after-checkpoint', 'battle-before-checkpoint']);
  assert.deepEqual(found, (await findOpenRooms(store, roomKinds)).map((room) => room.streamId).sort());
});

test('before the read model ever ran, the whole log is read', async () => {
  const fresh = await createTestSchema('open_rooms_fresh');
  try {
    assert.deepEqual(await openRoomsSnapshot(db, fresh.name), { position: 0, rooms: [] });
  } finally {
    await fresh.drop();
  }
});
