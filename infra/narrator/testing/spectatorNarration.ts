// Test support for live narration in the spectator room (narration*.test.ts): a game server
// whose spectator rooms take pieces from a given bus, finished battles in its store, SDK
// watchers that collect `narration` messages, and the scenario every bus must pass.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Client, Room } from '@colyseus/sdk';
import { pino } from 'pino';
import type { ExpectedVersion } from '../../../events/envelope.ts';
import type { SqlExecutor } from '../../../events/sql/executor.ts';
import { openPgExecutor } from '../../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../../events/sql/testing/schema.ts';
import type { EventStore } from '../../../events/store.ts';
import { createCatalog } from '../../catalog.ts';
import { loadConfig } from '../../config.ts';
import type { NarrationBus } from '../bus.ts';
import { createNarrator, narratorReactor, readNarrations, type Narrator } from '../index.ts';
import type { OpenAiStandIn } from './openaiStandIn.ts';
import { startGameServer, type GameServer } from '../../server.ts';
import { testRedisUrl } from '../../testing/gameServer.ts';
import { SignedInClient } from '../../testing/signedIn.ts';
import { battlePlayers, battleSetup, batchesOf, simulateRoom } from '../../../load-tests/simulate/room.ts';
import { battleKind } from '../../../rooms/battle/room.ts';
import type { NarrationMessage } from '../../../rooms/spectator/room.ts';

export const silent = pino({ level: 'silent' });
export const reply = 'The arena holds its breath. The stars have written this moment in fire!';

/** A game server whose spectator rooms take live narration from `narration`, on a schema of its own. */
export type Served = { game: GameServer; store: EventStore; schema: TestSchema; client(): Client; stop(): Promise<void> };

export async function serve(label: string, narration: NarrationBus, redisPrefix: string): Promise<Served> {
  const schema = await createTestSchema(label);
  const db: SqlExecutor = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
  const store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 100 });
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PANTHEON_JWT_SECRET: randomBytes(32).toString('base64url') });
  const game = await startGameServer(config, { store, kind: 'postgres' }, silent, { auth: { redisUrl: testRedisUrl, redisPrefix }, narration });
  game.markReady();
  const url = `ws://127.0.0.1:${game.port}`;
  return {
    game,
    store,
    schema,
    client: () => new SignedInClient(url, async (playerId, roles = ['player']) => (await game.auth.tokens.issue({ playerId, roles })).token),
    async stop() {
      await game.stop();
      await store.close();
      await db.close();
      await schema.drop();
    },
  };
}

/** A finished battle in the store; its events are what the narrator's reactor reads. */
export async function battleIn(store: EventStore, roomId: string, players: readonly [string, string]) {
  const simulated = simulateRoom(battleKind, { roomId, setup: battleSetup(players), seed: `seed-of-${roomId}-0123456789abcdef` }, battlePlayers({ everyTicks: 5 }));
  let version: ExpectedVersion = 'no_stream';
  for (const batch of batchesOf(simulated, 25)) version = (await store.append(simulated.streamId, version, batch)).nextExpectedVersion;
  return { roomId, streamId: simulated.streamId, events: await store.readStream(simulated.streamId) };
}

export type Watcher = { room: Room; pieces: NarrationMessage[]; until(predicate: (pieces: NarrationMessage[]) => boolean, what: string): Promise<void> };

export async function watch(client: Client, match: string): Promise<Watcher> {
  const room = await client.create('spectator', { match, spectator: true });
  const pieces: NarrationMessage[] = [];
  const waiters = new Set<() => void>();
  room.onMessage('summary', () => {});
  room.onMessage('narration', (piece: NarrationMessage) => {
    pieces.push(piece);
    for (const wake of waiters) wake();
  });
  return {
    room,
    pieces,
    until(predicate, what) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(pieces)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}; received ${JSON.stringify(pieces)}`));
        }, 20_000);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Polls `check` until it holds, failing after a generous deadline. */
export async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; !(await check()); ) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const recordedOf = (id: string) => (pieces: NarrationMessage[]) => pieces.some((p) => p.narrationId === id && p.type === 'recorded');

/**
 * The scenario both buses must pass: the narrator narrates match one, whose watcher receives
 * each narration as deltas then the recorded text; then match two, whose watcher receives its
 * own narrations and nothing of match one's.
 */
export async function narrationReachesItsWatchers(options: {
  served: Served;
  narrator: Narrator;
  label: string;
  /** Resolves once the game server receives pieces for these rooms (Redis subscriptions are asynchronous). */
  subscribed(roomStreamIds: string[]): Promise<void>;
}) {
  const { served, narrator, label } = options;
  const one = await battleIn(served.store, `${label}-one`, ['ana', 'bo']);
  const two = await battleIn(served.store, `${label}-two`, ['cy', 'di']);
  const watcherOne = await watch(served.client(), one.roomId);
  const watcherTwo = await watch(served.client(), two.roomId);
  await options.subscribed([one.streamId, two.streamId]);
  const reactor = narratorReactor({ narrator, store: served.store, logger: silent });

  await reactor.react(one.events);
  const narratedOne = await readNarrations(served.store, one.streamId);
  assert.ok(narratedOne.length > 0, 'the battle has moments to narrate');
  for (const narration of narratedOne) await watcherOne.until(recordedOf(narration.id), `the recorded narration ${narration.id}`);
  for (const narration of narratedOne) {
    assert.equal(narration.offline, false, 'the model narrated it');
    const pieces = watcherOne.pieces.filter((p) => p.narrationId === narration.id);
    const deltas = pieces.slice(0, -1);
    assert.ok(deltas.every((p) => p.type === 'delta'), `deltas first: ${JSON.stringify(pieces)}`);
    assert.deepEqual(deltas.map((p) => p.text), ['The arena holds its breath. ', 'The stars have written this moment in fire!'], 'a moderated sentence at a time');
    assert.deepEqual(pieces.at(-1), { type: 'recorded', narrationId: narration.id, text: narration.text });
    assert.equal(narration.text, reply);
  }

  await reactor.react(two.events);
  const narratedTwo = await readNarrations(served.store, two.streamId);
  assert.ok(narratedTwo.length > 0);
  for (const narration of narratedTwo) await watcherTwo.until(recordedOf(narration.id), `match two's recorded narration ${narration.id}`);
  const idsTwo = new Set(narratedTwo.map((n) => n.id));
  // Match one's pieces were all published before match two's, in order: had any reached this
  // watcher, it would be here by now.
  assert.deepEqual(watcherTwo.pieces.filter((p) => !idsTwo.has(p.narrationId)), [], 'nothing of match one');
  assert.ok(watcherOne.pieces.every((p) => !idsTwo.has(p.narrationId)), 'nothing of match two');

  await Promise.all([watcherOne.room.leave(), watcherTwo.room.leave()]);
  return { one, two };
}

/** A narrator whose model is the stand-in and whose pieces go out on `bus`. */
export function narratorWith(standIn: OpenAiStandIn, bus: NarrationBus): Narrator {
  return createNarrator(
    { OPENAI_API_KEY: standIn.apiKey, OPENAI_BASE_URL: standIn.baseURL, OPENAI_MODEL: 'gpt-test', NARRATOR_DAILY_TOKENS: 1_000_000, REDIS_URL: undefined },
    // Limits far above a few battles' moments: every one is the model's, streamed.
    { logger: silent, bus, rateLimits: { globalPerWindow: 10_000, playerPerWindow: 10_000 } },
  );
}
