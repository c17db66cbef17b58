// The replay that crash tests and audits rely on: a faithful stream replays clean, and a
// stream whose outcome was altered (even with a valid hash chain) diverges at that tick.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPgliteExecutor } from '../../events/sql/pgliteExecutor.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { duelSetup } from '../battle/testing/fixtures.e2e.ts';
import { battleKind, BattleRoomSetup } from '../battle/room.ts';
import { RoomActor } from './actor.ts';
import { replay } from '../../events/tick/replay.ts';

let db: SqlExecutor;
let store: EventStore;
before(async () => {
  db = await openPgliteExecutor(undefined);
  store = await openSqlEventStore({ db, catalog: createCatalog() });
});
after(async () => {
  await store.close();
  await db.close();
});

async function playedBattle(roomId: string): Promise<RecordedEvent[]> {
  const setup = BattleRoomSetup.parse((duelSetup('ana', 'bo') as { setup: unknown }).setup);
  const actor = await RoomActor.create(battleKind, store, roomId, setup, 'replay-test-seed-0001');
  const cast = (playerId: string, oracleId: string, targetId: string) => {
    const oracle = actor.state.oracles.find((o) => o.oracleId === oracleId)!;
    actor.enqueue({ kind: 'command', playerId, command: { type: 'CastAbility', playerId, oracleId, abilityId: oracle.abilityIds[0]!, targetId } });
  };
  for (let round = 0; round < 150 && actor.status === 'running'; round++) {
    if (round % 7 === 0) cast('ana', 'ana-o1', 'bo-o1');
    if (round % 9 === 0) cast('bo', 'bo-o1', 'ana-o1');
    if (round === 20) actor.enqueue({ kind: 'invalid', playerId: 'bo', commandType: 'Teleport', code: 'command/unknown', message: 'no such command' });
    await actor.step();
  }
  return store.readStream(actor.streamId);
}

test('a faithful stream replays event for event', async () => {
  const stream = await playedBattle('replay-clean');
  assert.ok(stream.filter((e) => e.type === 'DamageDealt').length > 3);
  const result = replay(battleKind, stream);
  assert.equal(result.ok, true);
  assert.equal(result.ok && result.ticks, stream.at(-1)!.metadata.tick);
});

test('an altered outcome diverges at its tick and version', async () => {
  const stream = await playedBattle('replay-forged');
  const index = stream.findIndex((e) => e.type === 'DamageDealt');
  const forged = stream.map((e, i) => (i === index ? { ...e, data: { ...(e.data as object), amount: 9999 } } : e));
  const result = replay(battleKind, forged);
  assert.equal(result.ok, false);
  assert.deepEqual(!result.ok && [result.divergence.tick, result.divergence.version], [stream[index]!.metadata.tick, stream[index]!.version]);
  assert.equal(!result.ok && result.divergence.expected?.type, 'DamageDealt');
});

test('a dropped command diverges where its effects go missing', async () => {
  const stream = await playedBattle('replay-dropped');
  const index = stream.findIndex((e) => e.type === 'CommandAccepted');
  const result = replay(battleKind, stream.filter((_, i) => i !== index));
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.divergence.tick, stream[index]!.metadata.tick);
});
