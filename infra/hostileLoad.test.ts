// Hostile load, bounded and on loopback only: what an attacker who knows a match's room id
// can do to its players, and what floods of idle and TRACE sockets do to the server's file
// descriptors. Real sockets, real SDK clients, a real game server on PostgreSQL and Redis.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Room } from '@colyseus/sdk';
import { duelSetup } from '../rooms/battle/testing/fixtures.e2e.ts';
import type { BattleView } from '../rooms/battle/state.ts';
import { startTestGameServer, type TestGameServer } from './testing/gameServer.ts';
import { errorCodeOf, rawExchange } from './testing/rawHttp.ts';
import { until } from './testing/roomClient.ts';

let server: TestGameServer;
before(async () => {
  server = await startTestGameServer('hostile_load', {
    // The room's own defences are under test, not the join rate limits or the per-address cap.
    env: { PANTHEON_RATE_LIMITS: 'join.ip=1000000/60,join.player=1000000/60,signin.ip=1000/60,spectator.ip=1000/60', PANTHEON_CONNECTIONS_PER_ADDRESS: '10000' },
    edge: { idleTimeoutMs: 1000, headersTimeoutMs: 1000, keepAliveTimeoutMs: 500 },
  });
});
after(() => server.stop());

const openFds = () => readdirSync('/proc/self/fd').length;

async function eventually(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function quiet<R extends Room>(room: R): R {
  room.onMessage('refused', () => {});
  room.onMessage('room/status', () => {});
  return room;
}

/** Resolves with the join, or rejects once `ms` have passed without it. */
function within<T>(join: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not admitted within ${ms} ms`)), ms)));
  return Promise.race([join, deadline]).finally(() => clearTimeout(timer));
}

describe('hostile load', () => {
  test('500 watch-only connections and 100 oversize-frame reconnects cannot keep a seated player out, nor touch the log', async () => {
    const host = quiet(await server.client().create<BattleView>('battle', { ...duelSetup('hl-a', 'hl-b'), playerId: 'hl-a' }));
    await until(host, (s) => s.oracles?.size === 2, 'the line-up');
    const streamId = `battle-${host.roomId}`;
    const versionBefore = (await server.store.readStream(streamId)).length;

    // Two watch-only tokens, as anyone may get them, spread over 500 connections.
    const tokens = await Promise.all([0, 1].map(async () => ((await (await fetch(`${server.httpUrl}/auth/spectator`, { method: 'POST' })).json()) as { accessToken: string }).accessToken));
    const settled = await Promise.allSettled(Array.from({ length: 500 }, (_, i) => server.clientWithToken(tokens[i % 2]).joinById(host.roomId, { spectator: true })));
    const admitted = settled.flatMap((s) => (s.status === 'fulfilled' ? [quiet(s.value)] : []));
    // With those connected, the other participant's client reconnects with an oversize frame each time.
    let reconnects = 0;
    const abuser = (async () => {
      for (; reconnects < 100; reconnects++) {
        const room = quiet(await server.client().joinById<BattleView>(host.roomId, { playerId: 'hl-b' }));
        room.reconnection.enabled = false;
        const closed = new Promise((resolve) => room.onLeave(resolve));
        room.connection.send(new Uint8Array(64 * 1024));
            await closed;
      }
    })();

    // Midway, the seated player joins (again, from another connection).
    await eventually(() => reconnects >= 50, 'half the oversize-frame reconnects');
    const seated = quiet(await within(server.client().joinById<BattleView>(host.roomId, { playerId: 'hl-a' }), 1000, 'the seated player'));
    await until(seated, (s) => s.oracles?.size === 2, 'the seated player’s view');

    await abuser;
    for (const s of settled) if (s.status === 'rejected') assert.match(String((s.reason as Error).message), /^(room\/seat_reserved|spectate\/limit): /);
    assert.ok(admitted.length <= 16, `${admitted.length} watchers admitted to the match room`);
    // After all of it, the other player still gets their seat too.
    const other = quiet(await within(server.client().joinById<BattleView>(host.roomId, { playerId: 'hl-b' }), 1000, 'the other seated player'));
    await until(other, (s) => s.oracles?.size === 2, 'the other player’s view');

    // Nothing the attack did reached the log: only the room's own periodic state hashes.
    const appended = (await server.store.readStream(streamId)).slice(versionBefore);
    assert.deepEqual([...new Set(appended.map((e) => e.type))].filter((type) => type !== 'StateHashed'), []);
    // (The host's own first connection was replaced by the seated player's new join.)
    await Promise.all([seated, other, ...admitted].map((room) => room.leave()));
  });

  test('2,000 idle sockets and 500 TRACE sockets are closed by the edge, and file descriptors return to baseline', async () => {
    const baseline = openFds();
    const sockets: Socket[] = [];
    let closed = 0;
    const answers: string[] = [];
    const open = (onConnect?: (socket: Socket) => void) => {
      const socket = connect(game().port, '127.0.0.1');
      socket.on('error', () => {});
      socket.on('close', () => closed++);
      if (onConnect) socket.on('connect', () => onConnect(socket));
      sockets.push(socket);
    };
    const game = () => server.game;
    // In waves the listen backlog (511) can take: beyond it the kernel drops the handshake's
    // last ACK, and a socket that never sends would think itself connected to nobody.
    const pause = () => new Promise((resolve) => setTimeout(resolve, 30));
    for (let i = 0; i < 2000; i++) {
      open();
      if (i % 200 === 199) await pause();
    }
    for (let i = 0; i < 500; i++) {
      if (i % 200 === 199) await pause();
      open((socket) => {
        const chunks: Buffer[] = [];
        socket.on('data', (chunk) => chunks.push(chunk));
        socket.on('end', () => answers.push(Buffer.concat(chunks).toString('latin1')));
        socket.write('TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      });
    }
    await eventually(() => closed === sockets.length, `all ${sockets.length} sockets closed by the server`, 30_000);
    assert.equal(answers.length, 500);
    for (const answer of answers) {
      assert.match(answer, /^HTTP\/1\.1 405 /);
      assert.equal(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code, 'http/method_not_allowed');
    }
    await eventually(() => openFds() <= baseline + 5, `file descriptors back to ${baseline} (now ${openFds()})`);
    // And the server still answers.
    const health = await rawExchange(server.game.port, 'GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(errorCodeOf(health), 'http/not_found');
  });
});
