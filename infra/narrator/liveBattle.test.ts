// End to end: a battle played by bots through a real game server while the narrator's model
// hangs. Rooms only append to the store and the narrator reads it in its own reactor loop,
// so the battle plays to its end with every model request still unanswered; once the model
// answers, the narrator catches up with every moment of the battle.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { matchMaker } from '@colyseus/core';
import { pino } from 'pino';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { playBattle } from '../../load-tests/bots/battleBot.ts';
import { openProjectionRunner, type ProjectionRunner } from '../../projections/index.ts';
import { battleDecider } from '../../rooms/battle/rules.ts';
import { duelSetup } from '../../rooms/battle/testing/fixtures.e2e.ts';
import type { BattleEvent } from '../../rooms/battle/events.ts';
import type { BattleState } from '../../rooms/battle/model.ts';
import type { BattleView } from '../../rooms/battle/state.ts';
import { loadCodex } from '../../events/content/codex.ts';
import { startTestGameServer, type TestGameServer } from '../testing/gameServer.ts';
import { foldStream, until } from '../testing/roomClient.ts';
import { createNarrator, narratorReactor, readNarrations, type Narrator } from './index.ts';
import { plannedMoments } from '../../projections/narration/moments.ts';
import { startOpenAiStandIn, type OpenAiStandIn } from './testing/openaiStandIn.ts';

const silent = pino({ level: 'silent' });

let server: TestGameServer;
let standIn: OpenAiStandIn;
let checkpoints: TestSchema;
let db: SqlExecutor;
let narrator: Narrator;
let runner: ProjectionRunner;

before(async () => {
  server = await startTestGameServer('narrator_live');
  standIn = await startOpenAiStandIn();
  // The runner keeps its checkpoints in a schema of its own, beside the server's store.
  checkpoints = await createTestSchema('narrator_live_checkpoints');
  db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
  // Per-attempt timeout far beyond the battle: the model hangs for as long as the test holds it.
  narrator = createNarrator(
    { OPENAI_API_KEY: standIn.apiKey, OPENAI_BASE_URL: standIn.baseURL, OPENAI_MODEL: 'gpt-test', NARRATOR_DAILY_TOKENS: 1_000_000, REDIS_URL: undefined },
    { logger: silent, timeoutMs: 600_000, deadlineMs: 600_000 },
  );
  runner = await openProjectionRunner({ db, store: server.store, schema: checkpoints.name, processors: [narratorReactor({ narrator, store: server.store, logger: silent })], logger: silent });
  await runner.start();
});
after(async () => {
  standIn.release();
  await narrator.close();
  await runner.stop();
  await server.stop();
  await standIn.close();
  await db.close();
  await checkpoints.drop();
});

test('a battle plays to its end while every narration request hangs, and the narrator catches up afterwards', async () => {
  standIn.setMode('hold');
  const c1 = server.client();
  const c2 = server.client();
  const r1 = await c1.create<BattleView>('battle', { ...duelSetup('ana', 'bo'), playerId: 'ana' });
  const r2 = await c2.joinById<BattleView>(r1.roomId, { playerId: 'bo' });
  for (const room of [r1, r2]) {
    room.onMessage('refused', () => {});
    room.onMessage('room/status', () => {});
    await until(room, (s) => s.oracles?.size === 2, 'the line-up');
  }
  const streamId = `battle-${r1.roomId}`;

  // The battle's creation already has the narrator asking the model (lore of the elements fielded)…
  await standIn.chatArrived(() => true);
  const versionWhileHanging = (await server.store.readStream(streamId)).length;
  // …and the room plays on, tick after tick, to the end.
  const stops = [playBattle(r1, { playerId: 'ana', everyMs: 60 }), playBattle(r2, { playerId: 'bo', everyMs: 60 })];
  await until(r1, (s) => s.status === 'ended', 'the end of the battle', 60_000);
  stops.forEach((stop) => stop());

  const events = await server.store.readStream(streamId);
  assert.ok(events.length > versionWhileHanging, 'the room appended ticks while the model hung');
  assert.ok(events.some((e) => e.type === 'BattleEnded'));
  const folded = await foldStream<BattleState, BattleEvent>(server.store, battleDecider, streamId);
  const live = matchMaker.getLocalRoomById(r1.roomId) as unknown as { actor: { state: BattleState } };
  assert.deepEqual(folded, live.actor.state, 'the room state is what its log says');
  assert.equal(folded.outcome?.reason, 'defeat');
  assert.ok(standIn.waiting().length > 0, 'the model has still not answered');
  assert.deepEqual(await readNarrations(server.store, streamId), [], 'nothing narrated yet');

  // The model answers: every moment of the battle gets its narration, from the model.
  standIn.release();
  const expected = plannedMoments(events, loadCodex()).filter((m) => m.roomStreamId === streamId).map((m) => m.id);
  assert.ok(expected.length >= 2, 'a fall and the end at least');
  for (const deadline = Date.now() + 30_000; ; ) {
    const narrated = await readNarrations(server.store, streamId);
    if (narrated.length === expected.length) {
      assert.deepEqual(narrated.map((n) => n.id), expected);
      assert.ok(narrated.every((n) => !n.offline && n.model === 'gpt-test'));
      break;
    }
    assert.ok(Date.now() < deadline, `narrator caught up: ${narrated.length} of ${expected.length} narrations`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await Promise.all([r1.leave(), r2.leave()]);
});
