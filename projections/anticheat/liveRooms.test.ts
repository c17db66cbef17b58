// End to end: matches played by bots (real @colyseus/sdk clients over WebSocket) on a real
// game server audit clean, timing, arrival order, malformed input and all.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestGameServer, type TestGameServer } from '../../infra/testing/gameServer.ts';
import { until } from '../../infra/testing/roomClient.ts';
import { playBattle } from '../../load-tests/bots/battleBot.ts';
import { playRaid } from '../../load-tests/bots/raidBot.ts';
import type { BattleView } from '../../rooms/battle/state.ts';
import type { RaidView } from '../../rooms/raid/state.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { auditStream } from './audit.ts';
import { roomRules } from '../../rooms/rulesRegistry.ts';
import { battleSetup, raidSetup } from '../../load-tests/simulate/room.ts';

let server: TestGameServer;
before(async () => {
  server = await startTestGameServer('audit_live');
});
after(async () => {
  await server.stop();
});

const deps = { rules: roomRules, catalog: createCatalog() };

test('a battle played by bots over WebSocket audits clean', async () => {
  const r1 = await server.client().create<BattleView>('battle', { setup: battleSetup(['ana', 'bo'], { tickLimit: 400 }), playerId: 'ana' });
  const r2 = await server.client().joinById<BattleView>(r1.roomId, { playerId: 'bo' });
  for (const room of [r1, r2]) {
    room.onMessage('refused', () => {});
    room.onMessage('room/status', () => {});
    await until(room, (s) => s.oracles?.size === 2, 'the line-up');
  }
  // Malformed input is part of the record too: refused, and replayed as refused.
  r2.send('CastAbility', { oracleId: 42 });
  r2.send('Teleport', {});
  const stops = [playBattle(r1, { playerId: 'ana', everyMs: 40 }), playBattle(r2, { playerId: 'bo', everyMs: 55 })];
  await until(r1, (s) => s.status === 'ended', 'the end of the battle', 60_000);
  stops.forEach((stop) => stop());

  const streamId = `battle-${r1.roomId}`;
  const events = await server.store.readStream(streamId);
  assert.ok(events.filter((e) => e.type === 'CommandAccepted').length > 5);
  assert.ok(events.some((e) => e.type === 'CommandRejected' && (e.data as { command: unknown }).command === null));
  const report = await auditStream(server.store, streamId, deps);
  assert.deepEqual([report.verdict, report.kind, report.lastVersion], ['clean', 'battle', events.at(-1)!.version]);
  await Promise.all([r1.leave(), r2.leave()]);
});

test('a raid played by bots over WebSocket audits clean', async () => {
  const r1 = await server.client().create<RaidView>('raid', { setup: raidSetup(['ka', 'lu'], { tickLimit: 200 }), playerId: 'ka' });
  const r2 = await server.client().joinById<RaidView>(r1.roomId, { playerId: 'lu' });
  for (const room of [r1, r2]) {
    room.onMessage('refused', () => {});
    room.onMessage('room/status', () => {});
    await until(room, (s) => s.oracles?.size === 2, 'the party');
  }
  const stops = [playRaid(r1, { playerId: 'ka', everyMs: 50 }), playRaid(r2, { playerId: 'lu', everyMs: 50 })];
  await until(r1, (s) => s.status === 'ended', 'the end of the raid', 60_000);
  stops.forEach((stop) => stop());

  const streamId = `raid-${r1.roomId}`;
  const report = await auditStream(server.store, streamId, deps);
  assert.deepEqual([report.verdict, report.kind, report.rulesVersion], ['clean', 'raid', 'raid/1']);
  assert.ok(report.ticks >= 200);
  await Promise.all([r1.leave(), r2.leave()]);
});
