// A Redis outage during a failover: the leases cannot be renewed nor read, so no process
// can tell a dead peer from a silent one. Rooms wait (fail closed, and say so) rather than
// being resumed twice; once Redis answers again, the dead process's room is resumed, once,
// and the live process's own room plays on.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Room } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { duelSetup } from '../../rooms/battle/testing/fixtures.e2e.ts';
import type { BattleView } from '../../rooms/battle/state.ts';
import type { RoomStatusMessage } from '../../rooms/shared/messages.ts';
import { createCatalog } from '../catalog.ts';
import { SignedInClient } from '../testing/signedIn.ts';
import { freePort, startServerProcess, type ServerProcess } from '../testing/process.ts';
import { until } from '../testing/roomClient.ts';
import { startTcpProxy, type TcpProxy } from '../testing/tcpProxy.ts';

// A Redis database of this file's own: Colyseus keeps its listing under fixed key names.
const redisDb = 10;
let proxy: TcpProxy;
let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
let redis: Redis;
const processes: ServerProcess[] = [];
const rooms: Room[] = [];

before(async () => {
  proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
  schema = await createTestSchema('redis_outage');
  db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 100 });
  redis = new Redis(`redis://127.0.0.1:6379/${redisDb}`);
});

after(async () => {
  proxy.restore();
  for (const room of rooms.filter((r) => r.connection.isOpen)) await room.leave().catch(() => {});
  for (const server of processes) server.kill('SIGKILL');
  await Promise.all(processes.map((server) => server.exit));
  await redis.del('roomcaches', 'roomcount');
  for (const key of await redis.keys('pantheon*')) await redis.del(key);
  redis.disconnect();
  await store.close();
  await db.close();
  await schema.drop();
  await proxy.close();
});

async function startServer(): Promise<{ process: ServerProcess; port: number; client(): SignedInClient }> {
  const port = await freePort();
  const server = startServerProcess({
    PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: testDatabaseUrl, PANTHEON_DB_SCHEMA: schema.name,
    REDIS_URL: `redis://127.0.0.1:${proxy.port}/${redisDb}`, PANTHEON_ROLE: 'game', LOG_LEVEL: 'info',
  });
  processes.push(server);
  await server.waitFor('ready');
  return { process: server, port, client: () => new SignedInClient(`ws://127.0.0.1:${port}`) };
}

const opened = (server: ServerProcess, roomId: string) => server.lines.some((line) => line.msg === 'room opened' && line.room === roomId);
const resumes = (server: ServerProcess, roomId: string) => server.lines.filter((line) => line.msg === 'room resumed' && line.room === roomId).length;

test('during a Redis outage no room is resumed; once Redis is back the dead process\'s room is resumed once and the survivor\'s own room plays on', async () => {
  const e = await startServer();
  const f = await startServer();
  // One room on each process.
  const byHost = new Map<ServerProcess, Room<BattleView>>();
  for (let i = 0; i < 12 && byHost.size < 2; i++) {
    const room = await [e, f][i % 2]!.client().create<BattleView>('battle', { ...duelSetup(`r${i}`, `s${i}`, { tickLimit: 6000 }), playerId: `r${i}` });
    room.onMessage('refused', () => {});
    rooms.push(room);
    await until(room, (s) => s.oracles?.size === 2, 'the line-up');
    const deadline = Date.now() + 5000;
    while (!opened(e.process, room.roomId) && !opened(f.process, room.roomId) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const host = opened(e.process, room.roomId) ? e.process : f.process;
    if (!byHost.has(host)) byHost.set(host, room);
  }
  const onE = byHost.get(e.process)!;
  const onF = byHost.get(f.process)!;
  assert.ok(onE && onF, 'each process hosts a room');
  const statusesOnE: RoomStatusMessage[] = [];
  onE.onMessage('room/status', (message: RoomStatusMessage) => statusesOnE.push(message));

  // Redis goes away, and F dies meanwhile.
  proxy.cut();
  f.process.kill('SIGKILL');
  await f.process.exit;
  // E's room cannot know whether it is still E's: it stops and says so.
  await until(onE, () => statusesOnE.some((message) => message.code === 'room/store_unavailable'), 'the pause of E\'s own room', 20_000);
  await e.process.waitFor('lease Redis unreachable: rooms pause until it answers');
  assert.equal(resumes(e.process, onF.roomId), 0, 'nothing is resumed while Redis is away');

  // Redis returns: F's room comes back on E, once; E's own room is E's again.
  proxy.restore();
  await e.process.waitFor((line) => line.msg === 'room resumed' && line.room === onF.roomId, 30_000);
  const back = await e.client().joinById<BattleView>(onF.roomId, { playerId: onF.state.seats ? [...onF.state.seats.keys()][0]! : '' });
  back.onMessage('refused', () => {});
  back.onMessage('room/status', () => {});
  rooms.push(back);
  await until(back, (s) => s.oracles?.size === 2 && s.roomStatus === 'running', 'F\'s room, resumed on E');
  const creatorOfE = [...onE.state.seats.keys()][0]!;
  const again = await e.client().joinById<BattleView>(onE.roomId, { playerId: creatorOfE });
  again.onMessage('refused', () => {});
  again.onMessage('room/status', () => {});
  rooms.push(again);
  await until(again, (s) => s.oracles?.size === 2, 'E\'s own room, rejoined');
  const tick = again.state.tick;
  await until(again, (s) => s.tick > tick + 20 && s.roomStatus === 'running', 'E\'s own room playing on');
  assert.equal(resumes(e.process, onF.roomId), 1, 'F\'s room was resumed once');
  for (const room of [onE.roomId, onF.roomId]) {
    const stream = await store.readStream(`battle-${room}`);
    assert.deepEqual(stream.map((event) => event.version), stream.map((_, i) => i));
  }
  e.process.kill('SIGTERM');
  assert.equal(await e.process.exit, 0);
});
