// Spectator rooms scale apart from the match: watchers of a live battle fill rooms of their
// own (several as they grow), each showing the battle's public state as its players see it,
// fed from the log; the battle room itself holds only its players.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { matchMaker } from '@colyseus/core';
import type { Room } from '@colyseus/sdk';
import { startTestGameServer, type TestGameServer } from '../../infra/testing/gameServer.ts';
import { until } from '../../infra/testing/roomClient.ts';
import { playBattle } from '../../load-tests/bots/battleBot.ts';
import { duelSetup } from '../battle/testing/fixtures.e2e.ts';
import type { BattleView } from '../battle/state.ts';

let server: TestGameServer;
before(async () => {
  server = await startTestGameServer('spectator_shards', { rooms: { spectatorShardSize: 2 } });
});
after(() => server.stop());

function quiet<R extends Room>(room: R): R {
  room.onMessage('refused', () => {});
  room.onMessage('room/status', () => {});
  room.onMessage('summary', () => {});
  room.onMessage('narration', () => {});
  return room;
}

describe('spectator shards', () => {
  test('watchers of a live battle fill several spectator rooms, each mirroring the battle to its end', async () => {
    const r1 = quiet(await server.client().create<BattleView>('battle', { ...duelSetup('sh-a', 'sh-b'), playerId: 'sh-a' }));
    const r2 = quiet(await server.client().joinById<BattleView>(r1.roomId, { playerId: 'sh-b' }));
    const watchers: Room<unknown, BattleView>[] = [];
    for (let i = 0; i < 5; i++) watchers.push(quiet(await server.client().joinOrCreate<BattleView>('spectator', { match: r1.roomId, spectator: true })));
    assert.equal(new Set(watchers.map((w) => w.roomId)).size, 3, 'five watchers in rooms of two');
    for (const w of watchers) await until(w, (s) => s.oracles?.size === 2, 'the line-up in a spectator room');

    const stops = [playBattle(r1, { playerId: 'sh-a', everyMs: 60 }), playBattle(r2, { playerId: 'sh-b', everyMs: 60 })];
    await until(r1, (s) => s.status === 'ended', 'the end of the battle', 60_000);
    stops.forEach((stop) => stop());
    for (const w of watchers) {
      await until(w, (s) => s.status === 'ended', 'the end in a spectator room');
      assert.equal(w.state.winnerSide, r1.state.winnerSide);
      for (const [oracleId, oracle] of r1.state.oracles) {
        assert.equal(w.state.oracles.get(oracleId)?.hp, oracle.hp);
        // Private fields stay private: watchers see no cooldowns.
        assert.equal(w.state.oracles.get(oracleId)?.cooldowns, undefined);
      }
    }
    assert.equal(matchMaker.getLocalRoomById(r1.roomId)!.clients.length, 2, 'the battle room holds only its players');
    await Promise.all([r1, r2, ...watchers].map((room) => room.leave()));
  });
});
