// Several real server processes sharing one store and one Redis (REDIS_URL): a join
// made through one process lands in the room another one hosts; a process's graceful
// shutdown removes its presence entries and leaves the other's rooms alone; and a
// process starting later resumes only the open rooms that no live process hosts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Room } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { openPgExecutor } from '../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../events/sql/testing/schema.ts';
import type { EventStore } from '../events/store.ts';
import type { SqlExecutor } from '../events/sql/executor.ts';
import { duelSetup } from '../rooms/battle/testing/fixtures.e2e.ts';
import type { BattleView } from '../rooms/battle/state.ts';
import { createCatalog } from './catalog.ts';
import { SignedInClient, testJwtSecret } from './testing/signedIn.ts';
import { freePort, startServerProcess, type ServerProcess } from './testing/process.ts';
import { until } from './testing/roomClient.ts';

// A Redis database of this file's own: Colyseus keeps its listing under fixed key names.
const redisUrl = `${process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'}/11`;

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
let redis: Redis;
const processes: ServerProcess[] = [];
const rooms: Room[] = [];

before(async () => {
  schema = await createTestSchema('scale_out');
  db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 100 });
  redis = new Redis(redisUrl);
});

after(async () => {
  // Rooms whose server is gone are closed already; leaving them would wait for an answer that never comes.
  for (const room of rooms.filter((r) => r.connection.isOpen)) await room.leave().catch(() => {});
  for (const server of processes) server.kill('SIGKILL');
  await Promise.all(processes.map((server) => server.exit));
  await redis.del('roomcaches', 'roomcount');
  for (const key of await redis.keys('pantheon:*')) await redis.del(key);
  redis.disconnect();
  await store.close();
  await db.close();
  await schema.drop();
});

type Server = { process: ServerProcess; port: number; url: string; client(): SignedInClient };

async function startServer(): Promise<Server> {
  const port = await freePort();
  const server = startServerProcess({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: testDatabaseUrl,
    PANTHEON_DB_SCHEMA: schema.name,
    REDIS_URL: redisUrl,
    PANTHEON_JWT_SECRET: testJwtSecret,
    LOG_LEVEL: 'info',
  });
  processes.push(server);
  await server.waitFor('ready');
  const url = `ws://127.0.0.1:${port}`;
  return {
    process: server,
    port,
    url,
    client: () => new SignedInClient(url),
  };
}

/** Whether a process opened a room, by its log. */
function hosts(server: Server, roomId: string): boolean {
  return server.process.lines.some((line) => line.msg === 'room opened' && line.room === roomId);
}

/** Which of the processes hosts a room (its log line may trail the client's join a little). */
async function hostOf(roomId: string, servers: readonly Server[]): Promise<Server> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = servers.filter((server) => hosts(server, roomId));
    if (found.length === 1) return found[0]!;
    assert.ok(found.length === 0, `room ${roomId} opened on one process only`);
    if (Date.now() > deadline) throw new Error(`no process logged opening room ${roomId} (listed as ${JSON.stringify((await listing()).get(roomId))})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function listing(): Promise<Map<string, { processId: string; publicAddress?: string }>> {
  const raw = await redis.hgetall('roomcaches');
  return new Map(Object.entries(raw).map(([roomId, json]) => [roomId, JSON.parse(json) as { processId: string; publicAddress?: string }]));
}

/** A command reaches the room: its ref shows up in the room's stream (accepted or refused). */
async function commandLands(room: Room<BattleView>, playerId: string, ref: string): Promise<void> {
  const own = room.state.oracles.get(`${playerId}-o1`)!;
  const target = [...room.state.oracles.values()].find((oracle) => oracle.playerId !== playerId)!;
  room.send('CastAbility', { oracleId: own.oracleId, abilityId: own.abilities[0]!, targetId: target.oracleId, ref });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const events = await store.readStream(`battle-${room.roomId}`);
    if (events.some((event) => (event.data as { ref?: string }).ref === ref)) return;
    if (Date.now() > deadline) throw new Error(`command ${ref} never reached room ${room.roomId}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type Duel = { first: Room<BattleView>; roomId: string; creator: string; joiner: string };

async function openDuel(through: Server, a: string, b: string): Promise<Duel> {
  const first = await through.client().create<BattleView>('battle', { ...duelSetup(a, b), playerId: a });
  first.onMessage('refused', () => {});
  first.onMessage('room/status', () => {});
  rooms.push(first);
  return { first, roomId: first.roomId, creator: a, joiner: b };
}

test('two processes on one Redis share matchmaking: a join through one lands in the room the other hosts, which outlives the first one', async () => {
  const a = await startServer();
  const b = await startServer();

  // Colyseus places a room on the process with the fewest (as each last published its count):
  // open duels through A and B in turn until each hosts one.
  const onA: string[] = [];
  let hosted: Duel | undefined;
  for (let i = 0; i < 10 && !(hosted && onA.length > 0); i++) {
    const duel = await openDuel(i % 2 === 0 ? a : b, `p${i}`, `q${i}`);
    await until(duel.first, (s) => s.oracles?.size === 2, 'the line-up');
    if ((await hostOf(duel.roomId, [a, b])) === b) hosted ??= duel;
    else onA.push(duel.roomId);
  }
  assert.ok(hosted && onA.length > 0, 'each process hosts a room');
  const { first, roomId, creator, joiner } = hosted;

  // The listing says B hosts it, at B's public address.
  const listed = (await listing()).get(roomId);
  assert.equal(listed?.publicAddress, `127.0.0.1:${b.port}`);

  // The other player joins by id through A's port, and lands in B's room: the same live room.
  const second = await a.client().joinById<BattleView>(roomId, { playerId: joiner });
  second.onMessage('refused', () => {});
  second.onMessage('room/status', () => {});
  rooms.push(second);
  await until(second, (s) => s.oracles?.size === 2, 'the line-up through A');
  assert.ok(!hosts(a, roomId), 'A does not host the room');
  await commandLands(second, joiner, 'via-a-1');
  await commandLands(first, creator, 'via-a-2');

  // A shuts down gracefully: its presence entries go, B's room stays listed and playable.
  const processA = (await listing()).get(onA[0] ?? '')?.processId;
  const processB = listed!.processId;
  a.process.kill('SIGTERM');
  assert.equal(await a.process.exit, 0);
  const afterShutdown = await listing();
  assert.ok([...afterShutdown.values()].every((room) => room.processId === processB), `no room of A is listed any more: ${JSON.stringify([...afterShutdown])}, B is ${processB}`);
  assert.ok(afterShutdown.has(roomId));
  const counts = await redis.hgetall('roomcount');
  assert.deepEqual(Object.keys(counts), [processB]);
  assert.ok(processA && processA !== processB);
  assert.deepEqual(await redis.pubsub('CHANNELS', `p:${processA}`), []);
  await commandLands(second, joiner, 'after-a-1');
  await commandLands(first, creator, 'after-a-2');

  // A's drain handed its rooms over (infra/drain.ts): B, still running, resumed them from their streams.
  for (const id of onA) await b.process.waitFor((line) => line.msg === 'room resumed' && line.room === id);
  // A process started now resumes none of them, nor B's own: B hosts them all.
  const c = await startServer();
  const resumed = c.process.lines.filter((line) => line.msg === 'room resumed').map((line) => String(line.room)).sort();
  assert.deepEqual(resumed, []);
  assert.ok(c.process.lines.some((line) => line.msg === 'room hosted by another process' && line.room === roomId));
  assert.equal((await listing()).get(roomId)?.processId, processB);
  await commandLands(first, creator, 'after-c-1');

  // And a join through the new process still finds B's room.
  const watcher = await c.client().joinById<BattleView>(roomId, { spectator: true });
  rooms.push(watcher);
  await until(watcher, (s) => s.oracles?.size === 2, 'the spectator view through C');

  for (const server of [b, c]) {
    server.process.kill('SIGTERM');
    assert.equal(await server.process.exit, 0);
  }
  assert.deepEqual(await listing(), new Map());
  assert.deepEqual(await redis.hgetall('roomcount'), {});
});

test('rooms of a process killed outright are resumed within seconds by exactly one of two survivors, with each player\'s last acknowledged command; the killed process, restarted, leaves them alone', async () => {
  const e = await startServer();
  const f = await startServer();
  const g = await startServer();
  // A room hosted on F (placement follows the rooms each process reports).
  let onF: Duel | undefined;
  for (let i = 0; i < 12 && !onF; i++) {
    const duel = await openDuel([e, f, g][i % 3]!, `k${i}`, `m${i}`);
    await until(duel.first, (s) => s.oracles?.size === 2, 'the line-up');
    if ((await hostOf(duel.roomId, [e, f, g])) === f) onF = duel;
  }
  assert.ok(onF, 'F hosts a room');
  await commandLands(onF.first, onF.creator, 'before-kill');

  // F dies without a word. Nobody restarts anything: E and G notice its lease lapse and
  // race for the room; the per-room lock lets exactly one of them resume it.
  f.process.kill('SIGKILL');
  await f.process.exit;
  const resumedBy = (server: Server) => server.process.lines.some((line) => line.msg === 'room resumed' && line.room === onF.roomId);
  const deadline = Date.now() + 30_000;
  while (![e, g].some(resumedBy) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const resumers = [e, g].filter(resumedBy);
  assert.equal(resumers.length, 1, 'one survivor resumed the room');
  const owner = resumers[0]!;
  assert.equal((await listing()).get(onF.roomId)?.publicAddress, `127.0.0.1:${owner.port}`);

  // Its player rejoins by room id (through either survivor) and sees its last command acknowledged.
  const back = await e.client().joinById<BattleView>(onF.roomId, { playerId: onF.creator });
  back.onMessage('refused', () => {});
  back.onMessage('room/status', () => {});
  rooms.push(back);
  await until(back, (s) => s.oracles?.size === 2, 'the resumed room');
  await until(back, (s) => (s as unknown as { seats: Map<string, { lastRef: string }> }).seats.get(onF.creator)?.lastRef === 'before-kill', 'the last acknowledged ref');
  await commandLands(back, onF.creator, 'after-resume');

  // F comes back (a new process): it finds the room hosted by the survivor and leaves it alone.
  const again = await startServer();
  assert.ok(!again.process.lines.some((line) => line.msg === 'room resumed' && line.room === onF.roomId));
  assert.equal((await listing()).get(onF.roomId)?.publicAddress, `127.0.0.1:${owner.port}`);
  await commandLands(back, onF.creator, 'after-restart');

  for (const server of [e, g, again]) {
    server.process.kill('SIGTERM');
    assert.equal(await server.process.exit, 0);
  }
});

test('a process that was only paused finds its lease lost when it wakes: it closes its rooms without appending, and the survivor plays on', async () => {
  const e = await startServer();
  const f = await startServer();
  let onF: Duel | undefined;
  for (let i = 0; i < 12 && !onF; i++) {
    const duel = await openDuel(i % 2 === 0 ? e : f, `s${i}`, `t${i}`);
    await until(duel.first, (s) => s.oracles?.size === 2, 'the line-up');
    if ((await hostOf(duel.roomId, [e, f])) === f) onF = duel;
  }
  assert.ok(onF, 'F hosts a room');
  await commandLands(onF.first, onF.creator, 'before-pause');

  // F freezes (a long GC, a VM stall): its lease lapses and E resumes the room.
  f.process.kill('SIGSTOP');
  await e.process.waitFor((line) => line.msg === 'room resumed' && line.room === onF.roomId, 30_000);
  const back = await e.client().joinById<BattleView>(onF.roomId, { playerId: onF.creator });
  back.onMessage('refused', () => {});
  back.onMessage('room/status', () => {});
  rooms.push(back);
  await until(back, (s) => s.oracles?.size === 2, 'the resumed room');

  // F wakes: it learns it lost its lease and gives the room up instead of writing to it.
  f.process.kill('SIGCONT');
  await f.process.waitFor((line) => line.msg === 'room relinquished' && line.room === onF.roomId, 30_000);
  await commandLands(back, onF.creator, 'after-wake');
  assert.equal((await listing()).get(onF.roomId)?.publicAddress, `127.0.0.1:${e.port}`, 'the room is still listed at its new host');
  const stream = await store.readStream(`battle-${onF.roomId}`);
  assert.deepEqual(stream.map((event) => event.version), stream.map((_, i) => i), 'one writer at a time: the stream has no gap and no fork');
  assert.ok(!f.process.lines.some((line) => line.msg === 'room resumed' && line.room === onF.roomId), 'F did not take the room back');

  for (const server of [e, f]) {
    server.process.kill('SIGTERM');
    assert.equal(await server.process.exit, 0);
  }
});
