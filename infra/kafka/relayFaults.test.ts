// The relay under faults, against real brokers: a broker stopped and restarted in the
// middle of a run, and the relay process killed with SIGKILL and started again. Nothing
// is lost; what arrives twice is only what was in flight unacknowledged, and the
// consumer helper hands every event on exactly once.
import assert from 'node:assert/strict';
import pg from 'pg';
import { after, before, describe, test } from 'node:test';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { defineReactor, openProjectionRunner } from '../../projections/index.ts';
import { ensureCheckpointTable, insertCheckpoint } from '../../projections/runner/checkpoints.ts';
import { createCatalog } from '../catalog.ts';
import type { Kafka } from 'kafkajs';
import { createRelayConsumer } from './consumer.ts';
import type { RelayedEvent } from './messages.ts';
import { createKafkaRelay } from './relay.ts';
import {
  deleteTopics, eventually, messageCount, ownBroker, readRaw, readWholeLog, sharedBrokers, startWriter, syntheticStreams, testKafka, testLogger,
  uniquePrefix, type RawMessage,
} from './testing/broker.ts';
import { startServerProcess } from '../testing/process.ts';

const categories = ['battle', 'raid', 'wallet', 'player'];
const relayMain = new URL('./relayMain.ts', import.meta.url).pathname;
const topicsOf = (prefix: string) => categories.map((category) => `${prefix}.${category}`);

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;

before(async () => {
  schema = await createTestSchema('kafka_faults');
  db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 50 });
});

after(async () => {
  await store.close();
  await db.close();
  await schema.drop();
});

/** Starts a reactor's checkpoint at the log's head: each test counts only its own events. */
async function startCheckpointAtHead(name: string): Promise<number> {
  const head = await store.headPosition();
  await ensureCheckpointTable(db, schema.name);
  await insertCheckpoint(db, schema.name, { name, kind: 'reactor', version: 0, generation: 0, position: head, error: null });
  return head;
}

/** Ids read more than once, with the positions they hold. */
function duplicatesOf(messages: readonly RawMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of messages) counts.set(message.id, (counts.get(message.id) ?? 0) + 1);
  const positions = new Map(messages.map((message) => [message.id, message.position]));
  return new Map([...counts].filter(([, count]) => count > 1).map(([id]) => [id, positions.get(id)!]));
}

/** Reads the topics with the consumer helper until it read `rawCount` messages and handed on `count` events; returns those in arrival order. */
async function consumeDeduped(kafka: Kafka, prefix: string, count: number, rawCount: number): Promise<{ events: RelayedEvent[]; duplicates: number }> {
  const events: RelayedEvent[] = [];
  const consumer = createRelayConsumer({
    kafka,
    groupId: `dedupe-${prefix}`,
    topics: categories.map((category) => `${prefix}.${category}`),
    logger: testLogger,
    async handle(fresh) {
      events.push(...fresh);
    },
  });
  await consumer.start();
  try {
    await eventually(() => (events.length >= count ? true : undefined), `${count} deduplicated events`);
    // Once it has read every message on the topics, a duplicate let through would show.
    await eventually(() => (consumer.stats().received >= rawCount ? true : undefined), 'every message read');
    return { events, duplicates: consumer.stats().duplicates };
  } finally {
    await consumer.stop();
  }
}

/** Each logged event handed on once, and every stream's versions in order. */
function assertExactlyOnce(delivered: readonly RelayedEvent[], logged: readonly RecordedEvent[]) {
  assert.equal(delivered.length, logged.length);
  assert.deepEqual(new Set(delivered.map((event) => event.id)), new Set(logged.map((event) => event.id)));
  const versions = new Map<string, number[]>();
  for (const event of delivered) versions.set(event.streamId, [...(versions.get(event.streamId) ?? []), event.version]);
  for (const [streamId, seen] of versions) assert.deepEqual(seen, seen.map((_, index) => index), `${streamId} in order`);
}

describe('Kafka relay under faults', () => {
  test('a broker stopped and restarted mid-run loses nothing; duplicates come only from unacknowledged batches and the consumer helper removes them', async (t) => {
    const broker = await ownBroker();
    const kafka = testKafka(broker.brokers);
    const prefix = uniquePrefix('restart');
    const relay = createKafkaRelay({ kafka, topicPrefix: prefix, logger: testLogger });
    // Which batches the relay failed to get acknowledged (and the runner re-sent).
    const failed: Array<{ from: number; to: number }> = [];
    const reactor = defineReactor({
      name: 'kafka_relay_restart',
      isTransient: relay.reactor.isTransient,
      async react(events) {
        try {
          await relay.reactor.react(events);
        } catch (error) {
          failed.push({ from: events[0]!.position, to: events.at(-1)!.position });
          throw error;
        }
      },
    });
    const start = await startCheckpointAtHead(reactor.name);
    const runner = await openProjectionRunner({ db, store, schema: schema.name, processors: [reactor], logger: testLogger, batchSize: 200 });
    const writer = startWriter(store, syntheticStreams('r'));
    try {
      await broker.start();
      await runner.start();
      await eventually(() => (relay.status().acknowledgedPosition > start + 200 ? true : undefined), 'the relay publishing');

      await broker.stop();
      const atStop = writer.appended();
      await eventually(() => (failed.length > 0 && writer.appended() > atStop + 300 ? true : undefined), 'failed sends while the broker is down');
      assert.equal(relay.status().connected, false);

      await broker.start();
      const atRestart = writer.appended();
      await eventually(() => (writer.appended() > atRestart + 300 ? true : undefined), 'more events after the restart');
      await writer.stop();
      const head = await store.headPosition();
      await runner.waitFor(head, [reactor.name]);
      assert.equal(relay.status().connected, true);

      const logged = (await readWholeLog(store)).filter((event) => event.position > start);
      const topics = topicsOf(prefix);
      const rawCount = await messageCount(kafka, topics);
      const raw = await readRaw(kafka, topics);
      try {
        await raw.until((messages) => messages.length >= rawCount, 'every message on the topics');
        // Nothing lost.
        const ids = new Set(raw.events.map((message) => message.id));
        for (const event of logged) assert.ok(ids.has(event.id), `event at ${event.position} reached Kafka`);
        // What arrived twice was in a batch the broker never acknowledged.
        for (const [id, position] of duplicatesOf(raw.events)) {
          assert.ok(failed.some((batch) => position >= batch.from && position <= batch.to), `duplicate ${id} at ${position} belongs to an unacknowledged batch`);
        }
      } finally {
        await raw.stop();
      }
      const { events, duplicates } = await consumeDeduped(kafka, prefix, logged.length, rawCount);
      assert.equal(duplicates, rawCount - logged.length);
      t.diagnostic(`${logged.length} events, ${rawCount} messages, ${duplicates} duplicates removed`);
      assertExactlyOnce(events, logged);
    } finally {
      await writer.stop();
      await runner.stop();
      await relay.close();
      await broker.destroy();
    }
  });

  test('a relay process killed with SIGKILL resumes from its checkpoint when started again', async (t) => {
    const kafka = testKafka(sharedBrokers);
    const prefix = uniquePrefix('sigkill');
    const env = { DATABASE_URL: testDatabaseUrl, PANTHEON_DB_SCHEMA: schema.name, KAFKA_BROKERS: sharedBrokers.join(','), KAFKA_TOPIC_PREFIX: prefix, LOG_LEVEL: 'info' };
    const checkpoint = async () => {
      const rows = await db.query<{ position: string }>(`SELECT position FROM "${schema.name}".projection_checkpoints WHERE name = 'kafka_relay'`);
      return rows[0] ? Number(rows[0].position) : 0;
    };
    const start = await startCheckpointAtHead('kafka_relay');
    const writer = startWriter(store, syntheticStreams('k'));
    let relay = startServerProcess(env, relayMain);
    try {
      await relay.waitFor('relay running');
      await eventually(async () => ((await checkpoint()) > start + 300 ? true : undefined), 'the relay publishing');
      // Hold the checkpoint row, so the relay's next acknowledged batch cannot be checkpointed:
      // killed then, it has published events its checkpoint does not cover.
      const holder = new pg.Client({ connectionString: testDatabaseUrl });
      await holder.connect();
      let killedAt: number;
      try {
        await holder.query('BEGIN');
        const held = await holder.query<{ position: string }>(`SELECT position FROM "${schema.name}".projection_checkpoints WHERE name = 'kafka_relay' FOR UPDATE`);
        killedAt = Number(held.rows[0]!.position);
        await eventually(async () => ((await messageCount(kafka, topicsOf(prefix))) > killedAt - start ? true : undefined), 'a batch acknowledged past the checkpoint');
        relay.kill('SIGKILL');
        assert.equal(await relay.exit, null);
        // Its checkpoint update still waits on our lock in a backend that has not noticed the
        // process died; end that backend (the dead relay's own) as the server would once it did.
        await holder.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))');
        await holder.query('ROLLBACK');
      } finally {
        await holder.end();
      }
      assert.equal(await checkpoint(), killedAt);
      const atKill = writer.appended();
      await eventually(() => (writer.appended() > atKill + 300 ? true : undefined), 'events written while the relay is down');

      relay = startServerProcess(env, relayMain);
      const running = await relay.waitFor('relay running');
      // It picks up where the broker last acknowledged, not from the start of the log.
      assert.equal(running.checkpoint, killedAt);
      await writer.stop();
      const head = await store.headPosition();
      await eventually(async () => ((await checkpoint()) === head ? true : undefined), 'the relay to catch up');

      const logged = (await readWholeLog(store)).filter((event) => event.position > start);
      const topics = topicsOf(prefix);
      const rawCount = await messageCount(kafka, topics);
      const raw = await readRaw(kafka, topics);
      try {
        await raw.until((messages) => messages.length >= rawCount, 'every message on the topics');
        const ids = new Set(raw.events.map((message) => message.id));
        for (const event of logged) assert.ok(ids.has(event.id), `event at ${event.position} reached Kafka`);
        // What it published past its checkpoint went out again, and nothing at or below it.
        const duplicated = duplicatesOf(raw.events);
        assert.ok(duplicated.size > 0, 'the batch acknowledged but not checkpointed was sent again');
        for (const [id, position] of duplicated) assert.ok(position > killedAt, `duplicate ${id} at ${position} is past the checkpoint ${killedAt}`);
      } finally {
        await raw.stop();
      }
      const { events, duplicates } = await consumeDeduped(kafka, prefix, logged.length, rawCount);
      assert.equal(duplicates, rawCount - logged.length);
      t.diagnostic(`${logged.length} events, ${rawCount} messages, ${duplicates} duplicates removed`);
      assertExactlyOnce(events, logged);

      relay.kill('SIGTERM');
      assert.equal(await relay.exit, 0);
    } finally {
      await writer.stop();
      relay.kill('SIGKILL');
      await deleteTopics(kafka, prefix);
    }
  });
});
