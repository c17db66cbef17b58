// Graceful drain on real server processes (infra/main.ts) sharing one PostgreSQL store and
// one Redis: SIGTERM during a battle loses no event, and the battle either finishes on its
// own process within the grace period, or is handed over through its stream and played to
// the end on another process. The stream stays one unbroken chain that the rules reproduce.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Room } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { verifyStream } from '../events/hashChain.ts';
import { openPgExecutor } from '../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../events/sql/testing/schema.ts';
import type { SqlExecutor } from '../events/sql/executor.ts';
import type { EventStore } from '../events/store.ts';
import { playBattle } from '../load-tests/bots/battleBot.ts';
import { duelSetup } from '../rooms/battle/testing/fixtures.e2e.ts';
import { battleKind } from '../rooms/battle/room.ts';
import type { BattleView } from '../rooms/battle/state.ts';
import { replay } from '../events/tick/replay.ts';
import { roomEventTypes } from '../events/tick/roomEvents.ts';
import { createCatalog } from './catalog.ts';
import { freePort, startServerProcess, type LogLine, type ServerProcess } from './testing/process.ts';
import { quiet, until } from './testing/roomClient.ts';
import { SignedInClient } from './testing/signedIn.ts';

// A Redis database of this file's own: Colyseus keeps its listing under fixed key names.
const redisUrl = `${process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'}/12`;

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
let redis: Redis;
const processes: ServerProcess[] = [];

before(async () => {
  schema = await createTestSchema('drain');
  db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 100 });
  redis = new Redis(redisUrl);
  await redis.flushdb();
});

after(async () => {
  for (const server of processes) server.kill('SIGKILL');
  await Promise.all(processes.map((server) => server.exit));
  await redis.flushdb();
  redis.disconnect();
  await store.close();
  await db.close();
  await schema.drop();
});

type Server = { process: ServerProcess; url: string };

async function startServer(drainSeconds: number): Promise<Server> {
  const port = await freePort();
  const server = startServerProcess({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: testDatabaseUrl,
    PANTHEON_DB_SCHEMA: schema.name,
    REDIS_URL: redisUrl,
    PANTHEON_DRAIN_SECONDS: String(drainSeconds),
    LOG_LEVEL: 'info',
  });
  processes.push(server);
  await server.waitFor('ready');
  return { process: server, url: `ws://127.0.0.1:${port}` };
}

type Left = { code: number; tick: number; hp: Record<string, number> };
type Seat = { room: Room<BattleView>; left: Promise<Left> };

/** A client that stays down when its room closes: the test rejoins it by hand, as a game client would. */
function seat(room: Room<BattleView>): Seat {
  quiet(room);
  room.reconnection.enabled = false;
  room.onError(() => {});
  const left = new Promise<Left>((resolve) =>
    room.onLeave((code) => resolve({ code, tick: room.state.tick, hp: Object.fromEntries([...room.state.oracles.values()].map((o) => [o.oracleId, o.hp])) })),
  );
  return { room, left };
}

const lineOf = (server: Server, msg: string, roomId: string): LogLine | undefined =>
  server.process.lines.find((line) => line.msg === msg && line.room === roomId);

function assertWholeAndReplayable(stream: Awaited<ReturnType<EventStore['readStream']>>): void {
  assert.deepEqual(stream.map((e) => e.version), stream.map((_, i) => i), 'no gap and no duplicate');
  const reference = replay(battleKind, stream);
  assert.equal(reference.ok, true, reference.ok ? '' : JSON.stringify(reference.divergence));
  assert.equal(reference.state.status, 'ended');
  assert.ok(stream.some((e) => e.type === 'BattleEnded'));
}

test('SIGTERM mid-battle: the room hands over through its stream, another process resumes it, and the battle is played to its end', async () => {
  const a = await startServer(1);
  const b = await startServer(1);
  const servers = [a, b];

  const ana = seat(await new SignedInClient(a.url).create<BattleView>('battle', { ...duelSetup('ana', 'bo', { tickLimit: 200 }), playerId: 'ana' }));
  const roomId = ana.room.roomId;
  const streamId = `battle-${roomId}`;
  const bo = seat(await new SignedInClient(a.url).joinById<BattleView>(roomId, { playerId: 'bo' }));
  await until(bo.room, (s) => s.oracles.size === 2, 'the line-up');
  // Rooms are placed on the process with the fewest: find the host by its log.
  const host = servers.find((server) => lineOf(server, 'room opened', roomId))!;
  const peer = servers.find((server) => server !== host)!;
  assert.ok(host && peer);

  let stops = [playBattle(ana.room, { playerId: 'ana', everyMs: 100 }), playBattle(bo.room, { playerId: 'bo', everyMs: 100 })];
  await until(ana.room, (s) => s.tick > 40, 'some fighting');
  host.process.kill('SIGTERM');

  // The players are told the server is going away (4001), after seeing what the log has.
  const [anaLeft, boLeft] = await Promise.all([ana.left, bo.left]);
  stops.forEach((stop) => stop());
  assert.deepEqual([anaLeft.code, boLeft.code], [4001, 4001]);
  assert.equal(await host.process.exit, 0, 'the draining process exits cleanly');

  const handedOver = lineOf(host, 'room handed over', roomId);
  assert.ok(handedOver, `the host handed the room over: ${JSON.stringify(host.process.lines.filter((line) => line.room === roomId))}`);
  const atHandOver = await store.readStream(streamId);
  assert.equal(atHandOver.at(-1)!.version, handedOver.version, 'the tick in flight landed before the room closed, and nothing after');
  // What the players last saw is what the log says at the tick they last saw (the final
  // patch may still be on its way as the server goes): no outcome they saw is missing from it.
  assert.ok(Math.max(anaLeft.tick, boLeft.tick) <= Number(handedOver.tick));
  const hpAt = (tick: number) => {
    let state = battleKind.decider.initialState();
    for (const event of atHandOver) {
      if (!roomEventTypes.has(event.type) && (event.metadata.tick ?? 0) <= tick) state = battleKind.decider.evolve(state, { type: event.type, data: event.data } as Parameters<typeof battleKind.decider.evolve>[1]);
    }
    return Object.fromEntries(state.oracles.map((o) => [o.oracleId, o.hp]));
  };
  assert.deepEqual([anaLeft.hp, boLeft.hp], [hpAt(anaLeft.tick), hpAt(boLeft.tick)]);
  assert.ok(atHandOver.some((e) => e.type === 'DamageDealt'), 'the fight left marks, so the comparison means something');
  assert.ok(atHandOver.some((e) => e.type === 'CommandAccepted'), 'commands were durable before the drain');
  assert.notEqual(atHandOver.at(-1)!.type, 'BattleEnded');

  // The peer takes the room over, from exactly where the host left it.
  await peer.process.waitFor((line) => line.msg === 'room resumed' && line.room === roomId);
  assert.equal(lineOf(peer, 'room opened', roomId)?.version, handedOver.version);

  // The players rejoin by room id, and play on to the end.
  const ana2 = seat(await new SignedInClient(peer.url).joinById<BattleView>(roomId, { playerId: 'ana' }));
  const bo2 = seat(await new SignedInClient(peer.url).joinById<BattleView>(roomId, { playerId: 'bo' }));
  await until(ana2.room, (s) => s.oracles.size === 2 && s.tick >= Number(handedOver.tick), 'the resumed battle');
  stops = [playBattle(ana2.room, { playerId: 'ana', everyMs: 60 }), playBattle(bo2.room, { playerId: 'bo', everyMs: 60 })];
  await until(ana2.room, (s) => s.status === 'ended', 'the end of the resumed battle', 60_000);
  stops.forEach((stop) => stop());

  const stream = await store.readStream(streamId);
  assert.deepEqual(stream.slice(0, atHandOver.length), atHandOver, 'the log before the hand-over is untouched');
  assert.ok(stream.slice(atHandOver.length).some((e) => e.type === 'CommandAccepted'), 'play went on after the hand-over');
  assertWholeAndReplayable(stream);
  assert.equal((await verifyStream(store, streamId)).intact, true);
  assert.ok(!peer.process.lines.some((line) => line.msg === 'append failed; room paused until the store answers'), 'no writer fought the peer over the stream');

  await Promise.all([ana2.room.leave(), bo2.room.leave()]);
  peer.process.kill('SIGTERM');
  assert.equal(await peer.process.exit, 0);
});

test('SIGTERM with a battle about to end: new joins are refused, the battle finishes on its own process, then it exits', async () => {
  const server = await startServer(60);
  const ana = seat(await new SignedInClient(server.url).create<BattleView>('battle', { ...duelSetup('cy', 'di', { tickLimit: 120 }), playerId: 'cy' }));
  const roomId = ana.room.roomId;
  const streamId = `battle-${roomId}`;
  const di = seat(await new SignedInClient(server.url).joinById<BattleView>(roomId, { playerId: 'di' }));
  await until(di.room, (s) => s.oracles.size === 2 && s.tick > 10, 'the battle under way');

  server.process.kill('SIGTERM');
  await server.process.waitFor('draining');
  // Still served: the battle goes on (to its tick limit) while the process drains...
  const tickAtSigterm = ana.room.state.tick;
  await until(ana.room, (s) => s.tick > tickAtSigterm + 5, 'ticks during the drain');
  // ...but nobody new gets in.
  await assert.rejects(new SignedInClient(server.url).joinById<BattleView>(roomId, { spectator: true }));

  await until(ana.room, (s) => s.status === 'ended', 'the end of the battle', 30_000);
  const [anaLeft] = await Promise.all([ana.left, di.left]);
  assert.equal(anaLeft.code, 4001);
  assert.equal(await server.process.exit, 0);
  assert.ok(lineOf(server, 'room finished before shutdown', roomId));
  assert.ok(!lineOf(server, 'room handed over', roomId));
  assertWholeAndReplayable(await store.readStream(streamId));
  assert.ok(server.process.lines.some((line) => line.msg === 'drained' && line.finished === 1 && line.handedOver === 0));
});
