// Fail closed: the event store goes away mid-battle, its connection either reset (the
// server went away) or stalled (packets dropped, a network partition: only timeouts notice).
// The room stops taking commands and says so, keeps the tick it could not append, and
// once the store is back resumes from the last durable version: nothing applied twice,
// nothing lost, and the log still replays exactly.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { matchMaker } from '@colyseus/core';
import { startTestGameServer, type TestGameServer } from '../../infra/testing/gameServer.ts';
import { startTcpProxy, type TcpProxy } from '../../infra/testing/tcpProxy.ts';
import { playBattle } from '../../load-tests/bots/battleBot.ts';
import type { Refused, RoomStatusMessage } from '../shared/messages.ts';
import { replay } from '../../events/tick/replay.ts';
import { duelSetup } from './testing/fixtures.e2e.ts';
import type { BattleState } from './model.ts';
import { battleKind } from './room.ts';
import type { BattleView } from './state.ts';
import { until } from '../../infra/testing/roomClient.ts';

let proxy: TcpProxy;
let server: TestGameServer;
before(async () => {
  proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
  server = await startTestGameServer('fail_closed', { connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/test` });
});
after(async () => {
  proxy.restore();
  await server.stop();
  await proxy.close();
});

for (const mode of ['reset', 'stall'] as const) test(`a room whose store goes away (${mode}) pauses, tells its players, and resumes with nothing lost or doubled`, async () => {
  const ana = await server.client().create<BattleView>('battle', { ...duelSetup('ana', 'bo', { tickLimit: 1500 }), playerId: 'ana' });
  const bo = await server.client().joinById<BattleView>(ana.roomId, { playerId: 'bo' });
  const statuses: RoomStatusMessage[] = [];
  const refusals: Refused[] = [];
  ana.onMessage('room/status', (message: RoomStatusMessage) => statuses.push(message));
  ana.onMessage('refused', (message: Refused) => refusals.push(message));
  bo.onMessage('room/status', () => {});
  bo.onMessage('refused', () => {});
  await until(bo, (s) => s.oracles.size === 2, 'the line-up');
  const stops = [playBattle(ana, { playerId: 'ana', everyMs: 80 }), playBattle(bo, { playerId: 'bo', everyMs: 80 })];
  await until(ana, (s) => s.tick > 30, 'some fighting');

  if (mode === 'reset') proxy.cut();
  else proxy.stall();
  await until(ana, (s) => s.roomStatus === 'store_unavailable', 'the pause');
  const frozen = { tick: ana.state.tick, hp: [...ana.state.oracles.values()].map((o) => o.hp) };
  ana.send('Forfeit', { ref: 'while-down' });
  await new Promise((resolve) => setTimeout(resolve, 600));
  await until(ana, () => refusals.some((r) => r.ref === 'while-down'), 'the refusal of the command sent meanwhile');
  assert.deepEqual(statuses[0], { status: 'store_unavailable', code: 'room/store_unavailable', message: statuses[0]?.message });
  assert.ok(refusals.some((r) => r.code === 'room/store_unavailable' && r.ref === 'while-down'));
  assert.deepEqual({ tick: ana.state.tick, hp: [...ana.state.oracles.values()].map((o) => o.hp) }, frozen, 'nothing moves while the log cannot take it');

  proxy.restore();
  await until(ana, (s) => s.roomStatus === 'running' && s.tick > frozen.tick, 'the resumption', 30_000);
  assert.equal(statuses.at(-1)?.status, 'running');
  await until(ana, (s) => s.status === 'ended', 'the end of the battle', 90_000);
  stops.forEach((stop) => stop());

  const streamId = `battle-${ana.roomId}`;
  const stream = await server.store.readStream(streamId);
  assert.deepEqual(stream.map((e) => e.version), stream.map((_, i) => i));
  assert.equal(new Set(stream.map((e) => e.id)).size, stream.length);
  assert.ok(!stream.some((e) => e.type === 'PlayerForfeited'), 'the refused forfeit was never applied');
  const reference = replay(battleKind, stream);
  assert.equal(reference.ok, true, reference.ok ? '' : JSON.stringify(reference.divergence));
  const live = matchMaker.getLocalRoomById(ana.roomId) as unknown as { actor: { state: BattleState } };
  assert.deepEqual(reference.state, live.actor.state);
  await Promise.all([ana.leave(), bo.leave()]);
});

for (const mode of ['reset', 'stall'] as const) test(`while the store is away (${mode}), sign-in answers 503 store/unavailable and creating a battle is refused with room/create_failed`, async () => {
  if (mode === 'reset') proxy.cut();
  else proxy.stall();
  try {
    const response = await fetch(`${server.httpUrl}/auth/guest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: `device-${mode}-${Date.now()}` }) });
    const body = (await response.json()) as { error?: { code: string } };
    assert.deepEqual({ status: response.status, code: body.error?.code }, { status: 503, code: 'store/unavailable' });
    const created = await server.client().create('battle', { ...duelSetup('cy', 'di'), playerId: 'cy' }).then(
      () => 'created',
      (error: Error) => error.message,
    );
    assert.match(created, /^room\/create_failed: /);
  } finally {
    proxy.restore();
  }
  // Once it is back, both work again.
  const room = await server.client().create<BattleView>('battle', { ...duelSetup('cy', 'di'), playerId: 'cy' });
  await until(room, (s) => s.oracles.size === 2, 'the line-up');
  await room.leave();
});
