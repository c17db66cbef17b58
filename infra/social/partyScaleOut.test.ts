// A party of three friends spread over two game processes (one Redis, one store) queues
// from its party room and lands, together on one side, in the same battle as three solo
// players who queued through the other process.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Room } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { Matched } from '../../rooms/matchmaking/room.ts';
import type { PartyQueued } from '../../rooms/party/model.ts';
import type { PartyView } from '../../rooms/party/state.ts';
import { freePort, startServerProcess, type ServerProcess } from '../testing/process.ts';
import { until } from '../testing/roomClient.ts';
import { SignedInClient, tokenMinter } from '../testing/signedIn.ts';

// A Redis database of this file's own: Colyseus keeps its listing under fixed key names.
const redisUrl = `${process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'}/13`;
const tokenFor = tokenMinter();
let schema: TestSchema;
const processes: ServerProcess[] = [];
const rooms: Room[] = [];

before(async () => {
  schema = await createTestSchema('party_scale_out');
});
after(async () => {
  for (const room of rooms.filter((r) => r.connection.isOpen)) await room.leave().catch(() => {});
  for (const p of processes) p.kill('SIGTERM');
  await Promise.all(processes.map((p) => p.exit));
  const redis = new Redis(redisUrl);
  await redis.flushdb();
  redis.disconnect();
  await schema.drop();
});

async function startServer() {
  const port = await freePort();
  const server = startServerProcess({
    PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: testDatabaseUrl, PANTHEON_DB_SCHEMA: schema.name, REDIS_URL: redisUrl, LOG_LEVEL: 'info', PANTHEON_ROLE: 'game',
  });
  processes.push(server);
  await server.waitFor('ready');
  return { port, url: `ws://127.0.0.1:${port}`, http: `http://127.0.0.1:${port}` };
}

const charts = [{ sun: 'aries', moon: 'leo', rising: 'sagittarius' }, { sun: 'cancer', moon: 'pisces', rising: 'virgo' }] as const;
const oracles = (playerId: string) => [{ oracleId: `${playerId}-o1`, name: 'Oracle', chart: { ...charts[playerId.length % 2]! } }];

async function post(base: string, path: string, as: string) {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${await tokenFor(as)}` } });
  assert.equal(response.status, 200, `${path}: ${await response.text()}`);
}

function matchedOf(client: SignedInClient, room: Room): Promise<Matched> {
  return new Promise((resolve, reject) => {
    room.onMessage('matched', (m: Matched) => resolve(m));
    room.onMessage('refused', (r: { code: string }) => reject(new Error(r.code)));
    void client;
  });
}

test('a party of three friends on two processes queues together and lands in the same battle, on one side', async () => {
  const a = await startServer();
  const b = await startServer();
  const [lead, two, three] = ['sc-lead', 'sc-two', 'sc-three'];
  for (const friend of [two, three]) {
    await post(a.http, `/players/${lead}/friends/${friend}/request`, lead);
    await post(b.http, `/players/${friend}/friends/${lead}/accept`, friend);
  }

  const clients = new Map<string, SignedInClient>([[lead, new SignedInClient(a.url)], [two, new SignedInClient(a.url)], [three, new SignedInClient(b.url)]]);
  const party = await clients.get(lead)!.create<PartyView>('party', { playerId: lead, oracles: oracles(lead) });
  rooms.push(party);
  const invited = new Promise<void>((resolve) => {
    let count = 0;
    party.onMessage('invited', () => ++count === 2 && resolve());
  });
  party.send('invite', { playerId: two });
  party.send('invite', { playerId: three });
  await invited;
  const members = new Map<string, Room<PartyView>>([[lead, party]]);
  for (const friend of [two, three]) {
    // The third friend comes through the other process: it places the seat in the party wherever it runs.
    const room = await clients.get(friend)!.joinById<PartyView>(party.roomId, { playerId: friend, oracles: oracles(friend) });
    rooms.push(room);
    members.set(friend, room);
  }
  for (const room of members.values()) {
    room.onMessage('history', () => {});
    room.onMessage('chat', () => {});
  }
  await until(party, (s) => s.members?.size === 3, 'three in the party');

  const queued = [...members].map(([playerId, room]) => new Promise<{ playerId: string; seat: PartyQueued }>((resolve) => room.onMessage('queued', (seat: PartyQueued) => resolve({ playerId, seat }))));
  party.send('queue', { mode: 'battle-3v3' });
  const inQueue = await Promise.all(queued.map(async (q) => {
    const { playerId, seat } = await q;
    const client = clients.get(playerId)!;
    const room = await client.consumeSeatReservation(seat.reservation as never);
    rooms.push(room);
    return { playerId, client, matched: matchedOf(client, room) };
  }));

  // Three solo players queue through the other process.
  const solos = await Promise.all(['sc-x', 'sc-y', 'sc-z'].map(async (playerId) => {
    const client = new SignedInClient(b.url);
    const room = await client.joinOrCreate('matchmaking', { playerId, rating: 1000, mode: 'battle-3v3', oracles: oracles(playerId) });
    rooms.push(room);
    return { playerId, client, matched: matchedOf(client, room) };
  }));

  const everyone = [...inQueue, ...solos];
  const matched = await Promise.all(everyone.map((p) => p.matched));
  assert.equal(new Set(matched.map((m) => m.roomId)).size, 1, 'one battle for all six');
  const sides = matched[0]!.sides.map((side) => [...side].sort());
  assert.ok(sides.some((side) => side.join() === [lead, three, two].sort().join()), `the party shares a side: ${JSON.stringify(sides)}`);
  // Everyone takes their seat in that one battle.
  const games = await Promise.all(everyone.map((p, i) => p.client.consumeSeatReservation(matched[i]!.reservation)));
  rooms.push(...games);
  for (const g of games) {
    g.onMessage('refused', () => {});
    g.onMessage('room/status', () => {});
  }
  await until(games[0]! as Room<{ seats: Map<string, unknown> }>, (s) => s.seats?.size === 6, 'six seats in the battle');
  assert.equal(new Set(games.map((g) => g.roomId)).size, 1);
});
