// Admission to a match room, end to end with real SDK clients: a seat is always its player's,
// whatever else is connected; one live connection per player; watchers have their own
// bounded allowance; a protocol-abuse close holds no reconnection seat, a network drop does.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { matchMaker } from '@colyseus/core';
import type { Room } from '@colyseus/sdk';
import { startTestGameServer, type TestGameServer } from '../../infra/testing/gameServer.ts';
import { until } from '../../infra/testing/roomClient.ts';
import { duelSetup } from '../battle/testing/fixtures.e2e.ts';
import type { BattleView } from '../battle/state.ts';
import { CLOSE_REPLACED, SPECTATORS_PER_ROOM } from './admission.ts';

let server: TestGameServer;
before(async () => {
  // Many joins from one address and token are the point here, not the join rate limits.
  server = await startTestGameServer('room_admission', { env: { PANTHEON_RATE_LIMITS: 'join.ip=100000/60,join.player=100000/60' } });
});
after(() => server.stop());

function quiet<R extends Room>(room: R): R {
  room.onMessage('refused', () => {});
  room.onMessage('room/status', () => {});
  return room;
}

async function openDuel(p1: string, p2: string) {
  const r1 = quiet(await server.client().create<BattleView>('battle', { ...duelSetup(p1, p2), playerId: p1 }));
  await until(r1, (s) => s.oracles?.size === 2, 'the line-up');
  return r1;
}

/** Polls until `check` holds (the server handles a close a moment after the client sees it). */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const clientsIn = (roomId: string) => matchMaker.getLocalRoomById(roomId)!.clients.length;

const left = (room: Room) => new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));

describe('match room admission', () => {
  test('watchers beyond the allowance are refused, and the seated player still joins', async () => {
    const r1 = await openDuel('adm-a', 'adm-b');
    const attempts = await Promise.allSettled(Array.from({ length: SPECTATORS_PER_ROOM + 8 }, () => server.client().joinById(r1.roomId, { spectator: true })));
    const joined = attempts.flatMap((a) => (a.status === 'fulfilled' ? [quiet(a.value)] : []));
    const refused = attempts.flatMap((a) => (a.status === 'rejected' ? [String((a.reason as Error).message)] : []));
    assert.equal(joined.length, SPECTATORS_PER_ROOM);
    assert.equal(refused.length, 8);
    for (const message of refused) assert.match(message, /^room\/seat_reserved: /);
    const r2 = quiet(await server.client().joinById<BattleView>(r1.roomId, { playerId: 'adm-b' }));
    await until(r2, (s) => s.oracles?.size === 2, 'the seated player’s view');
    await Promise.all([r1, r2, ...joined].map((room) => room.leave()));
  });

  test('a second connection of the same player replaces the first', async () => {
    const r1 = await openDuel('rep-a', 'rep-b');
    const first = quiet(await server.client().joinById<BattleView>(r1.roomId, { playerId: 'rep-b' }));
    const firstLeft = left(first);
    const second = quiet(await server.client().joinById<BattleView>(r1.roomId, { playerId: 'rep-b' }));
    assert.equal(await firstLeft, CLOSE_REPLACED);
    await until(second, (s) => s.oracles?.size === 2, 'the new connection’s view');
    await eventually(() => clientsIn(r1.roomId) === 2, 'the replaced connection to be gone');
    await Promise.all([r1.leave(), second.leave()]);
  });

  test('an oversize frame leaves no reconnection seat; the player rejoins by room id', async () => {
    const r1 = await openDuel('big-a', 'big-b');
    const client = server.client();
    const r2 = quiet(await client.joinById<BattleView>(r1.roomId, { playerId: 'big-b' }));
    r2.reconnection.enabled = false;
    const token = r2.reconnectionToken;
    const closed = left(r2);
    r2.connection.send(new Uint8Array(64 * 1024));
    await closed;
    await assert.rejects(client.reconnect(token), /expired|invalid|consumed|reconnect/i);
    const again = quiet(await server.client().joinById<BattleView>(r1.roomId, { playerId: 'big-b' }));
    await until(again, (s) => s.oracles?.size === 2, 'the rejoined view');
    await Promise.all([r1.leave(), again.leave()]);
  });

  test('a network drop keeps the seat for its player, and a fresh join takes it over', async () => {
    const r1 = await openDuel('net-a', 'net-b');
    const client = server.client();
    const r2 = quiet(await client.joinById<BattleView>(r1.roomId, { playerId: 'net-b' }));
    r2.reconnection.enabled = false;
    const token = r2.reconnectionToken;
    r2.connection.close();
    await eventually(() => clientsIn(r1.roomId) === 1, 'the server to see the drop');
    const back = quiet(await client.reconnect<BattleView>(token));
    assert.equal(back.sessionId, r2.sessionId);
    back.reconnection.enabled = false;
    const token2 = back.reconnectionToken;
    back.connection.close();
    await eventually(() => clientsIn(r1.roomId) === 1, 'the server to see the second drop');
    // The player joins anew instead of reconnecting: the held seat is given up, not kept beside it.
    const fresh = quiet(await server.client().joinById<BattleView>(r1.roomId, { playerId: 'net-b' }));
    await until(fresh, (s) => s.oracles?.size === 2, 'the fresh join’s view');
    await assert.rejects(client.reconnect(token2));
    assert.equal(clientsIn(r1.roomId), 2);
    await Promise.all([r1.leave(), fresh.leave()]);
  });
});
