// Crash recovery, as it happens: a server process is SIGKILLed mid-battle, another
// starts on the same store, brings the battle back from its stream, the players rejoin
// by room id and play it out. The stream must be one unbroken chain that the rules
// reproduce event for event from its recorded inputs: what an uninterrupted run fed
// the same commands at the same ticks would have written.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Room } from '@colyseus/sdk';
import { verifyStream } from '../../events/hashChain.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { freePort, startServerProcess, type ServerProcess } from '../../infra/testing/process.ts';
import { SignedInClient } from '../../infra/testing/signedIn.ts';
import { playBattle } from '../../load-tests/bots/battleBot.ts';
import { replay } from '../../events/tick/replay.ts';
import { duelSetup } from './testing/fixtures.e2e.ts';
import { battleKind } from './room.ts';
import type { BattleView } from './state.ts';
import { quiet, until } from '../../infra/testing/roomClient.ts';

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
const processes: ServerProcess[] = [];

before(async () => {
  schema = await createTestSchema('crash');
  db = await openPgExecutor({ connectionString: testDatabaseUrl });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name });
});
after(async () => {
  for (const child of processes) child.kill('SIGKILL');
  await store.close();
  await db.close();
  await schema.drop();
});

async function startServer(): Promise<{ server: ServerProcess; url: string }> {
  const port = await freePort();
  const server = startServerProcess({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: testDatabaseUrl, PANTHEON_DB_SCHEMA: schema.name });
  processes.push(server);
  await server.waitFor('ready');
  return { server, url: `ws://127.0.0.1:${port}` };
}

/** A client that stays down when its server dies: the test rejoins it by hand. */
function detached(room: Room<BattleView>): Room<BattleView> {
  quiet(room);
  room.reconnection.enabled = false;
  room.onError(() => {});
  room.onLeave(() => {});
  return room;
}

test('a battle survives SIGKILL of its server: resumed elsewhere, finished, and its stream replays exactly', async () => {
  const first = await startServer();
  const ana = detached(await new SignedInClient(first.url).create<BattleView>('battle', { ...duelSetup('ana', 'bo', { tickLimit: 1200 }), playerId: 'ana' }));
  const bo = detached(await new SignedInClient(first.url).joinById<BattleView>(ana.roomId, { playerId: 'bo' }));
  const roomId = ana.roomId;
  const streamId = `battle-${roomId}`;
  await until(bo, (s) => s.oracles.size === 2, 'the line-up');
  let stops = [playBattle(ana, { playerId: 'ana', everyMs: 150 }), playBattle(bo, { playerId: 'bo', everyMs: 150 })];
  await until(ana, (s) => s.tick > 40, 'some fighting');
  stops.forEach((stop) => stop());

  first.server.kill('SIGKILL');
  assert.equal(await first.server.exit, null);
  const beforeCrash = await store.readStream(streamId);
  assert.ok(beforeCrash.some((e) => e.type === 'CommandAccepted'), 'commands were durable before the crash');
  assert.notEqual(beforeCrash.at(-1)!.type, 'BattleEnded');

  const second = await startServer();
  const resumed = await second.server.waitFor((line) => line.msg === 'room resumed' && line.room === roomId);
  assert.equal(resumed.stream, streamId);
  const ana2 = detached(await new SignedInClient(second.url).joinById<BattleView>(roomId, { playerId: 'ana' }));
  const bo2 = detached(await new SignedInClient(second.url).joinById<BattleView>(roomId, { playerId: 'bo' }));
  await until(ana2, (s) => s.oracles.size === 2 && s.tick >= beforeCrash.at(-1)!.metadata.tick!, 'the resumed battle');
  stops = [playBattle(ana2, { playerId: 'ana', everyMs: 60 }), playBattle(bo2, { playerId: 'bo', everyMs: 60 })];
  await until(ana2, (s) => s.status === 'ended', 'the end of the resumed battle', 90_000);
  stops.forEach((stop) => stop());

  const stream = await store.readStream(streamId);
  assert.ok(stream.length > beforeCrash.length);
  assert.deepEqual(stream.slice(0, beforeCrash.length), beforeCrash, 'the log before the crash is untouched');
  assert.ok(stream.slice(beforeCrash.length).some((e) => e.type === 'CommandAccepted'), 'play went on after the crash');
  assert.deepEqual(stream.map((e) => e.version), stream.map((_, i) => i), 'no gap and no duplicate');
  assert.equal((await verifyStream(store, streamId)).intact, true);
  assert.equal(stream.at(-1)!.type === 'BattleEnded' || stream.some((e) => e.type === 'BattleEnded'), true);

  const reference = replay(battleKind, stream);
  assert.equal(reference.ok, true, reference.ok ? '' : JSON.stringify(reference.divergence));
  assert.equal(reference.state.status, 'ended');
  await Promise.all([ana2.leave(), bo2.leave()]);
  second.server.kill('SIGTERM');
  assert.equal(await second.server.exit, 0);
});
