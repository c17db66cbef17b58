// The Kafka relay end to end against the real broker: real rooms played by bots write
// the log, the projection runner drives the relay, and a raw consumer reads back every
// message. Every event arrives once, in its category's topic, keyed by stream, in
// stream order, with headers that match the body and the store.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Room } from '@colyseus/sdk';
import { createRequire } from 'node:module';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import type { EventStore } from '../../events/store.ts';
import { playBattle } from '../../load-tests/bots/battleBot.ts';
import { performRitual } from '../../load-tests/bots/ritualBot.ts';
import { duelSetup } from '../../rooms/battle/testing/fixtures.e2e.ts';
import type { BattleView } from '../../rooms/battle/state.ts';
import type { RitualView } from '../../rooms/ritual/state.ts';
import { createCatalog } from '../catalog.ts';
import { loadConfig } from '../config.ts';
import { startGameServer, type GameServer } from '../server.ts';
import { until } from '../testing/roomClient.ts';
import { SignedInClient, testJwtSecret } from '../testing/signedIn.ts';
import { Registry } from 'prom-client';
import { headerNames } from './messages.ts';
import { createKafkaRelay, isTransientKafkaError } from './relay.ts';
import { createConfiguredRelay, startRelayService, type RelayService } from './relayService.ts';
import { deleteTopics, eventually, readRaw, recordedEvents, sharedBrokers, testKafka, testLogger, uniquePrefix } from './testing/broker.ts';

const kafka = testKafka();
const prefix = uniquePrefix('relay');
let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
let game: GameServer;
let service: RelayService;
const metrics = new Registry();

before(async () => {
  schema = await createTestSchema('kafka_relay');
  db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 100 });
  game = await startGameServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PANTHEON_JWT_SECRET: testJwtSecret }), { store, kind: 'postgres' }, testLogger);
  game.markReady();
  const relay = createConfiguredRelay({ KAFKA_BROKERS: sharedBrokers.join(','), KAFKA_TOPIC_PREFIX: prefix }, testLogger, { metrics });
  service = await startRelayService(relay, { db, store, schema: schema.name }, testLogger, { metrics });
});

after(async () => {
  await service?.stop();
  await game?.stop().catch(() => {});
  await deleteTopics(kafka, prefix);
  await store?.close();
  await db?.close();
  await schema?.drop();
});

/** Three duels and a ritual, played by bots until the log holds a few hundred events; then the server stops. */
async function playMultiRoomRun(): Promise<void> {
  const url = `ws://127.0.0.1:${game.port}`;
  const stops: Array<() => void> = [];
  const rooms: Room[] = [];
  try {
    await openAndPlay(url, stops, rooms);
    await eventually(async () => ((await store.headPosition()) >= 400 ? true : undefined), 'a few hundred events in the log');
  } finally {
    for (const stop of stops) stop();
  }
  // Stopping the server disposes the rooms: nothing appends after this.
  await game.stop();
}

async function openAndPlay(url: string, stops: Array<() => void>, rooms: Room[]): Promise<void> {
  for (const [a, b] of [['ana', 'bo'], ['cy', 'di'], ['ed', 'fa']] as const) {
    const r1 = await new SignedInClient(url).create<BattleView>('battle', { ...duelSetup(a, b), playerId: a });
    const r2 = await new SignedInClient(url).joinById<BattleView>(r1.roomId, { playerId: b });
    for (const room of [r1, r2]) {
      room.onMessage('refused', () => {});
      room.onMessage('room/status', () => {});
      await until(room, (s) => s.oracles?.size === 2, 'the line-up');
    }
    stops.push(playBattle(r1, { playerId: a, everyMs: 50 }), playBattle(r2, { playerId: b, everyMs: 50 }));
    rooms.push(r1, r2);
  }
  const ritual = await new SignedInClient(url).create<RitualView>('ritual', { setup: { ritualId: 'anointing-of-the-dawn', participants: ['gu', 'ha'], countdownTicks: 5 }, playerId: 'gu' });
  const second = await new SignedInClient(url).joinById<RitualView>(ritual.roomId, { playerId: 'ha' });
  for (const [room, playerId] of [[ritual, 'gu'], [second, 'ha']] as const) {
    room.onMessage('refused', () => {});
    room.onMessage('room/status', () => {});
    await until(room, (s) => s.seats?.size === 2 && s.steps?.length > 0, 'the ritual seats and steps');
    stops.push(performRitual(room, { playerId }));
    rooms.push(room);
  }
}

test('every event of a multi-room run reaches its category topic once, keyed by stream, in stream order, with its headers', async () => {
  await playMultiRoomRun();
  const head = await store.headPosition();
  const logged: RecordedEvent[] = [];
  for (let from = 1; from <= head; from = logged.at(-1)!.position + 1) logged.push(...(await store.readAll({ fromPosition: from, limit: 1000 })));
  assert.equal(logged.length, head);
  const categories = [...new Set(logged.map((event) => event.streamId.split('-')[0]!))].sort();
  assert.deepEqual(categories, ['battle', 'ritual']);

  const { relay, runner } = service;
  await runner.waitFor(head, [relay.reactor.name]);
  const reader = await readRaw(kafka, categories.map((category) => `${prefix}.${category}`));
  try {
    await reader.until((events) => events.length >= head, `${head} messages`);
    const received = reader.events;

    // Every event, once (no failure happened, so the idempotent producer sent no duplicate).
    assert.equal(received.length, head);
    const byId = new Map(received.map((message) => [message.id, message]));
    assert.equal(byId.size, head);
    for (const event of logged) {
      const message = byId.get(event.id);
      assert.ok(message, `event ${event.position} (${event.type} of ${event.streamId}) reached Kafka`);
      // Its category's topic, keyed by its stream.
      assert.equal(message.topic, `${prefix}.${event.streamId.split('-')[0]}`);
      assert.equal(message.key, event.streamId);
      // The body is the stored envelope.
      assert.deepEqual(
        { streamId: message.streamId, version: message.version, position: message.position, type: message.type, data: message.data, hash: message.hash },
        { streamId: event.streamId, version: event.version, position: event.position, type: event.type, data: event.data, hash: event.hash },
      );
      // The headers say what the body says.
      assert.deepEqual(
        {
          id: message.headers[headerNames.eventId],
          type: message.headers[headerNames.eventType],
          version: message.headers[headerNames.streamVersion],
          position: message.headers[headerNames.globalPosition],
          schema: message.headers[headerNames.schemaVersion],
        },
        {
          id: event.id,
          type: event.type,
          version: String(event.version),
          position: String(event.position),
          schema: String(event.schemaVersion),
        },
      );
      assert.deepEqual(Object.keys(message.headers).sort(), Object.values(headerNames).sort());
      // The broker's timestamp is the event's recording time.
      assert.equal(message.timestamp, String(Date.parse(event.metadata.recordedAt)));
    }

    // Per stream: one partition, and versions 0, 1, 2… in the order they were read.
    const streams = new Map<string, RecordedEvent[]>();
    for (const message of received) streams.set(message.streamId, [...(streams.get(message.streamId) ?? []), message]);
    assert.equal(streams.size, 4);
    for (const [streamId, events] of streams) {
      assert.equal(new Set(events.map((event) => (event as typeof received[number]).partition)).size, 1, `${streamId} stays in one partition`);
      assert.deepEqual(events.map((event) => event.version), events.map((_, index) => index), `${streamId} arrives in order`);
    }

    // What operators see: the relay caught up, and says so in its status and metrics.
    const status = relay.status();
    assert.equal(status.acknowledgedPosition, head);
    assert.equal(status.published, head);
    assert.equal(status.connected, true);
    const { checkpoint } = await service.status();
    assert.deepEqual([checkpoint?.position, checkpoint?.lagEvents], [head, 0]);
    const exported = await metrics.metrics();
    assert.match(exported, new RegExp(`pantheon_kafka_relay_published_total\\{relay="kafka_relay"\\} ${head}\n`));
    assert.match(exported, /pantheon_kafka_relay_lag_events\{relay="kafka_relay"\} 0\n/);
  } finally {
    await reader.stop();
  }
});

test('a batch bigger than the broker takes in one request goes out in several, in order', async () => {
  const bigPrefix = uniquePrefix('big');
  const big = createKafkaRelay({ kafka, topicPrefix: bigPrefix, logger: testLogger, partitions: 1 });
  // 3 MB for one partition of one topic, three times the broker's default limit per record batch.
  const events = recordedEvents(['raid-big'], 3000, 1, 1000);
  try {
    await big.reactor.react(events);
    const reader = await readRaw(kafka, [`${bigPrefix}.raid`]);
    try {
      await reader.until((messages) => messages.length >= events.length, 'the whole batch');
      assert.deepEqual(reader.events.map((message) => message.version), events.map((event) => event.version));
    } finally {
      await reader.stop();
    }
  } finally {
    await big.close();
    await deleteTopics(kafka, bigPrefix);
  }
});

test('broker outages are worth retrying; refusals that retrying cannot fix and bugs are not', () => {
  // kafkajs spreads its error classes into module.exports, where ESM named imports cannot see them.
  const { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');
  const protocol = (type: string, retriable: boolean) => new KafkaJSProtocolError(Object.assign(new Error(type), { type, code: 0, retriable }));
  // (Its constructor takes the retry counts as a second argument its type declaration leaves out.)
  const RetriesExceeded = KafkaJSNumberOfRetriesExceeded as unknown as new (cause: Error, retries: { retryCount: number; retryTime: number }) => Error;
  const retriesExceeded = (cause: Error) => new RetriesExceeded(cause, { retryCount: 3, retryTime: 1000 });
  assert.equal(isTransientKafkaError(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092')), true);
  assert.equal(isTransientKafkaError(retriesExceeded(new KafkaJSConnectionError('Connection timeout'))), true);
  assert.equal(isTransientKafkaError(protocol('NOT_LEADER_OR_FOLLOWER', true)), true);
  // A producer the broker forgot (a restart without its state): a new producer id, then a re-send.
  assert.equal(isTransientKafkaError(protocol('OUT_OF_ORDER_SEQUENCE_NUMBER', false)), true);
  assert.equal(isTransientKafkaError(protocol('MESSAGE_TOO_LARGE', false)), false);
  assert.equal(isTransientKafkaError(new KafkaJSNonRetriableError(protocol('TOPIC_AUTHORIZATION_FAILED', false))), false);
  assert.equal(isTransientKafkaError(new TypeError('cannot read properties of undefined')), false);
});
