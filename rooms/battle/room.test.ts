// End to end: real @colyseus/sdk clients over WebSocket against a real game server whose
// store is the local PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { matchMaker } from '@colyseus/core';
import { startTestGameServer, type TestGameServer } from '../../infra/testing/gameServer.ts';
import { playBattle } from '../../load-tests/bots/battleBot.ts';
import type { BattleEvent } from './events.ts';
import { duelSetup } from './testing/fixtures.e2e.ts';
import type { BattleState } from './model.ts';
import { battleDecider } from './rules.ts';
import type { BattleView } from './state.ts';
import { foldStream as foldRoomStream, nextRefusal, until } from '../../infra/testing/roomClient.ts';

let server: TestGameServer;
before(async () => {
  server = await startTestGameServer('battle_room');
});
after(async () => {
  await server.stop();
});

const foldStream = (streamId: string) => foldRoomStream<BattleState, BattleEvent>(server.store, battleDecider, streamId);

async function openDuel(p1: string, p2: string) {
  const c1 = server.client();
  const c2 = server.client();
  const r1 = await c1.create<BattleView>('battle', { ...duelSetup(p1, p2), playerId: p1 });
  const r2 = await c2.joinById<BattleView>(r1.roomId, { playerId: p2 });
  for (const room of [r1, r2]) {
    room.onMessage('refused', () => {});
    room.onMessage('room/status', () => {});
    await until(room, (s) => s.oracles?.size === 2, 'the line-up');
  }
  return { r1, r2, streamId: `battle-${r1.roomId}` };
}

describe('battle room', () => {
  test('a full battle between two bots ends, and the fold of its stream equals the room state', async () => {
    const { r1, r2, streamId } = await openDuel('ana', 'bo');
    const stops = [playBattle(r1, { playerId: 'ana', everyMs: 60 }), playBattle(r2, { playerId: 'bo', everyMs: 60 })];
    await until(r1, (s) => s.status === 'ended', 'the end of the battle', 60_000);
    stops.forEach((stop) => stop());

    const folded = await foldStream(streamId);
    const live = matchMaker.getLocalRoomById(r1.roomId) as unknown as { actor: { state: BattleState } };
    assert.deepEqual(folded, live.actor.state);
    assert.equal(folded.status, 'ended');
    assert.ok(folded.outcome);
    // What the players were shown is what the log holds.
    await until(r2, (s) => s.status === 'ended', 'the end on the other client');
    for (const room of [r1, r2]) {
      assert.equal(room.state.winnerSide, folded.outcome.winnerSide ?? '');
      for (const oracle of folded.oracles) {
        assert.equal(room.state.oracles.get(oracle.oracleId)?.hp, oracle.hp);
        assert.equal(room.state.oracles.get(oracle.oracleId)?.fallen, oracle.fallen);
      }
    }
    const events = await server.store.readStream(streamId);
    assert.equal(events[0]!.type, 'BattleCreated');
    assert.ok(events.some((e) => e.type === 'CommandAccepted'));
    assert.ok(events.some((e) => e.type === 'StateHashed'));
    await Promise.all([r1.leave(), r2.leave()]);
  });

  test('a player sees their own cooldowns and not the opponent’s', async () => {
    const { r1, r2 } = await openDuel('cy', 'di');
    const mine = r1.state.oracles.get('cy-o1')!;
    r1.send('CastAbility', { oracleId: 'cy-o1', abilityId: mine.abilities[0]!, targetId: 'di-o1' });
    await until(r1, (s) => (s.oracles.get('cy-o1')?.cooldowns?.length ?? 0) > 0, 'own cooldowns');
    await until(r2, (s) => (s.oracles.get('di-o1')?.cooldowns?.length ?? 0) > 0, 'the other player’s own cooldowns');
    assert.equal(r2.state.oracles.get('cy-o1')?.cooldowns?.length ?? 0, 0);
    assert.equal(r1.state.oracles.get('di-o1')?.cooldowns?.length ?? 0, 0);
    await Promise.all([r1.leave(), r2.leave()]);
  });

  test('malformed, unknown and oversized commands get typed refusals, are recorded, and change nothing', async () => {
    const { r1, r2, streamId } = await openDuel('ed', 'fa');
    const hpBefore = r2.state.oracles.get('fa-o1')!.hp;

    let refusal = nextRefusal(r1);
    r1.send('CastAbility', { oracleId: 42, abilityId: null, targetId: 'fa-o1', ref: 'bad-types' });
    assert.deepEqual({ ...(await refusal), message: '' }, { code: 'command/invalid', commandType: 'CastAbility', ref: 'bad-types', message: '' });

    refusal = nextRefusal(r1);
    r1.send('Teleport', { to: 'the moon' });
    assert.equal((await refusal).code, 'command/unknown');

    refusal = nextRefusal(r1);
    r1.send('CastAbility', { oracleId: 'ed-o1', abilityId: 'x', targetId: 'fa-o1', padding: 'x'.repeat(5000) });
    assert.equal((await refusal).code, 'command/too_large');

    refusal = nextRefusal(r1);
    r1.send('CastAbility', { oracleId: 'fa-o1', abilityId: r2.state.oracles.get('fa-o1')!.abilities[0]!, targetId: 'ed-o1' });
    assert.equal((await refusal).code, 'battle/not_your_oracle');

    assert.equal(r2.state.oracles.get('fa-o1')!.hp, hpBefore);
    const rejected = (await server.store.readStream(streamId)).filter((e) => e.type === 'CommandRejected').map((e) => (e.data as { code: string }).code);
    assert.deepEqual(rejected, ['command/invalid', 'command/unknown', 'command/too_large', 'battle/not_your_oracle']);
    assert.equal((await foldStream(streamId)).oracles.find((o) => o.oracleId === 'fa-o1')!.hp, hpBefore);
    await Promise.all([r1.leave(), r2.leave()]);
  });

  test('spectators watch but every command they send is refused', async () => {
    const { r1, r2, streamId } = await openDuel('gi', 'ha');
    const watcher = await server.client().joinById<BattleView>(r1.roomId, { spectator: true });
    watcher.onMessage('room/status', () => {});
  await until(watcher, (s) => s.oracles?.size === 2, 'the spectator’s view');
    const versionBefore = (await server.store.readStream(streamId)).length;
    const refusal = nextRefusal(watcher);
    watcher.send('Forfeit', {});
    assert.equal((await refusal).code, 'room/spectator_read_only');
    assert.equal(watcher.state.oracles.get('gi-o1')?.cooldowns?.length ?? 0, 0);
    assert.equal(r1.state.seats.get('gi')?.forfeited, false);
    const after = await server.store.readStream(streamId);
    assert.ok(!after.slice(versionBefore).some((e) => e.type === 'PlayerForfeited'));
    await Promise.all([r1.leave(), r2.leave(), watcher.leave()]);
  });

  test('a dropped player reconnects within the grace period to the same seat and plays on', async () => {
    const { r1, r2 } = await openDuel('ky', 'lu');
    r1.reconnection.enabled = false;
    const token = r1.reconnectionToken;
    const sessionId = r1.sessionId;
    r1.connection.close();
    // A reconnect is only valid once the server has noticed the drop and holds the seat.
    const live = matchMaker.getLocalRoomById(r1.roomId) as unknown as { _reconnections: Record<string, unknown> };
    const secret = token.split(':')[1]!;
    for (const deadline = Date.now() + 5000; !(secret in live._reconnections) && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const back = await server.client().reconnect<BattleView>(token);
    back.onMessage('refused', () => {});
    back.onMessage('room/status', () => {});
    assert.equal(back.sessionId, sessionId);
    await until(back, (s) => s.oracles.size === 2, 'the state after reconnecting');
    const target = r2.state.oracles.get('lu-o1')!;
    const hpBefore = target.hp;
    const caster = back.state.oracles.get('ky-o1')!;
    const damaging = caster.abilities.find((id) => id !== 'kindle') ?? caster.abilities[0]!;
    back.send('CastAbility', { oracleId: 'ky-o1', abilityId: damaging, targetId: 'lu-o1', ref: 'after-reconnect' });
    await until(back, (s) => s.seats.get('ky')?.lastRef === 'after-reconnect', 'the command after reconnecting');
    assert.ok(r2.state.oracles.get('lu-o1')!.hp <= hpBefore);
    await Promise.all([back.leave(), r2.leave()]);
  });

  test('a battle the rules refuse to set up is refused with their code, and nothing is written', async () => {
    const head = await server.store.headPosition();
    const uneven = duelSetup('ma', 'ni');
    const setup = uneven.setup as { participants: Array<{ oracles: unknown[] }> };
    setup.participants[0]!.oracles.push({ oracleId: 'ma-o2', name: 'Extra', chart: { sun: 'leo', moon: 'leo', rising: 'leo' } });
    await assert.rejects(server.client().create('battle', { ...uneven, playerId: 'ma' }), /battle\/invalid_setup: .*sides must be even/);
    assert.equal(await server.store.headPosition(), head);
  });

  test('someone without a seat cannot join as a player', async () => {
    const { r1, r2 } = await openDuel('ix', 'jo');
    await assert.rejects(server.client().joinById(r1.roomId, { playerId: 'mallory' }), /room\/not_participant/);
    await Promise.all([r1.leave(), r2.leave()]);
  });
});
