// npm run bench:relay — the event stream end to end: store (PostgreSQL) → Kafka relay
// (projection runner + kafkajs, acks=-1, idempotent) → consumer helper (dedupe), on the
// local broker, with the raw Kafka ceiling measured side by side:
//  (a) ceiling: the same messages produced straight to Kafka (acks=-1, one request in
//      flight) and consumed, with no store and no relay;
//  (b) live: writers append batches of 10 to 300 streams every 50 ms (60,000 events/s
//      offered, as rooms ticking at 20 Hz would) while the relay runs; every event's
//      end-to-end latency is its consumption time minus its recording time;
//  (c) drain: a backlog already in the store, relayed and consumed as fast as it goes.
// The writers and the consumer run in worker threads of their own, the relay in the
// main thread, as they would be separate processes in production.
// BENCH_SECONDS (default 10), BENCH_STREAMS (300), BENCH_BACKLOG (200,000) and
// BENCH_RELAY_BATCH (2,000 events per produce request) change the load.
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Partitioners } from 'kafkajs';
import { pino } from 'pino';
import { z } from 'zod';
import { defineEvent, EventCatalog } from '../events/catalog.ts';
import { openPgExecutor } from '../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl } from '../events/sql/testing/schema.ts';
import { openProjectionRunner } from '../projections/index.ts';
import { createKafka } from '../infra/kafka/client.ts';
import { createRelayConsumer } from '../infra/kafka/consumer.ts';
import { categoryOf, toKafkaMessage } from '../infra/kafka/messages.ts';
import { createKafkaRelay } from '../infra/kafka/relay.ts';
import { cpuSecondsOf } from './proc.ts';
import { percentile, report, round } from './stats.ts';

const Env = z.object({
  BENCH_SECONDS: z.coerce.number().positive().default(10),
  BENCH_STREAMS: z.coerce.number().int().positive().default(300),
  BENCH_BACKLOG: z.coerce.number().int().min(1000).default(200_000),
  BENCH_RELAY_BATCH: z.coerce.number().int().positive().default(2000),
  KAFKA_BROKERS: z.string().default('127.0.0.1:9092'),
});
const env = Env.parse(process.env);
const brokers = env.KAFKA_BROKERS.split(',');
const BATCH = 10;
const TICK_MS = 50;
const PARTITIONS = 4;

const AbilityCast = defineEvent('AbilityCast', z.object({ caster: z.string(), ability: z.string(), target: z.string(), tick: z.number().int() }));
const catalog = () => new EventCatalog([AbilityCast]);
const eventData = (writer: number, n: number) => ({ caster: `oracle-${writer}`, ability: 'ember-lance', target: `oracle-${writer + 1}`, tick: n });
const silent = pino({ level: 'silent' });

type WriterJob = { role: 'writer'; schema: string; streams: number; seconds: number; firstStream: number };
type ConsumerJob = { role: 'consumer'; topics: string[]; groupId: string };
type ConsumerResult = { latencies: Float64Array; count: number; duplicates: number; firstAt: number; lastAt: number };

// ---- worker threads -------------------------------------------------------------------

/** Appends BATCH events to each of `streams` streams every TICK_MS, each stream its own writer, for `seconds`. */
async function runWriter(job: WriterJob): Promise<void> {
  const db = await openPgExecutor({ connectionString: testDatabaseUrl, max: 4 });
  const store = await openSqlEventStore({ db, catalog: catalog(), schema: job.schema });
  const start = performance.now();
  const deadline = start + job.seconds * 1000;
  let appended = 0;
  await Promise.all(
    Array.from({ length: job.streams }, async (_, lane) => {
      let next = start + (TICK_MS * lane) / job.streams;
      for (let n = 0; performance.now() < deadline; n++) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const events = Array.from({ length: BATCH }, (_, i) => ({ type: 'AbilityCast', data: eventData(lane, n * BATCH + i) }));
        await store.append(`battle-b${job.firstStream + lane}`, 'any', events);
        appended += BATCH;
        next += TICK_MS;
      }
    }),
  );
  await store.close();
  await db.close();
  parentPort!.postMessage({ appended, seconds: (performance.now() - start) / 1000 });
}

/**
 * Consumes until it has handed on as many events as the main thread says were written
 * (it says so once the writers stopped); each event's latency is now minus its recording time.
 */
async function runConsumer(job: ConsumerJob): Promise<void> {
  const kafka = createKafka({ brokers, clientId: 'bench-consumer', logger: silent });
  const latencies: number[] = [];
  let expect = Number.POSITIVE_INFINITY;
  let firstAt = 0;
  let lastAt = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const check = () => {
    if (latencies.length >= expect) done();
  };
  parentPort!.on('message', (message: { expect: number }) => {
    expect = message.expect;
    check();
  });
  const consumer = createRelayConsumer({
    kafka,
    groupId: job.groupId,
    topics: job.topics,
    logger: silent,
    partitionsConsumedConcurrently: PARTITIONS,
    consumerConfig: { maxWaitTimeInMs: 50, maxBytes: 32 * 1024 * 1024 },
    async handle(events) {
      if (events.length === 0) return;
      const now = Date.now();
      if (firstAt === 0) firstAt = now;
      lastAt = now;
      for (const event of events) latencies.push(now - Date.parse(event.metadata.recordedAt));
      check();
    },
  });
  const joined = new Promise<void>((resolve) => consumer.consumer.on(consumer.consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.start();
  await joined;
  parentPort!.postMessage('subscribed');
  await finished;
  const { duplicates } = consumer.stats();
  await consumer.stop();
  const array = Float64Array.from(latencies);
  parentPort!.postMessage({ latencies: array, count: latencies.length, duplicates, firstAt, lastAt } satisfies ConsumerResult, [array.buffer]);
}

if (!isMainThread) {
  const job = workerData as WriterJob | ConsumerJob;
  await (job.role === 'writer' ? runWriter(job) : runConsumer(job));
  // kafkajs and pg may leave timers behind; the job is done and its result posted.
  process.exit(0);
} else {
  await main();
}

// ---- main thread ----------------------------------------------------------------------

/** Runs a job in a worker thread; resolves with its last message. */
function worker<T>(job: WriterJob | ConsumerJob, onMessage?: (message: unknown) => void): { thread: Worker; result: Promise<T> } {
  const thread = new Worker(new URL(import.meta.url), { workerData: job });
  const result = new Promise<T>((resolve, reject) => {
    thread.on('message', (message: unknown) => {
      if (message === 'subscribed') onMessage?.(message);
      else resolve(message as T);
    });
    thread.on('error', reject);
    thread.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`${job.role} worker exited with ${code}`))));
  });
  return { thread, result };
}

type ConsumerThread = { result: Promise<ConsumerResult>; finishAt(count: number): void };

/** Starts a consumer thread and resolves once it joined its group; `finishAt` tells it how many events to wait for. */
async function consumerThread(topics: string[], groupId: string): Promise<ConsumerThread> {
  let subscribed: () => void = () => {};
  const joined = new Promise<void>((resolve) => (subscribed = resolve));
  const { thread, result } = worker<ConsumerResult>({ role: 'consumer', topics, groupId }, () => subscribed());
  await Promise.race([joined, result]);
  return { result, finishAt: (count) => thread.postMessage({ expect: count }) };
}

function summary(result: ConsumerResult) {
  const sorted = Array.from(result.latencies.subarray(0, result.count)).sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 };
}

async function main(): Promise<void> {
  const kafka = createKafka({ brokers, clientId: 'bench-relay', logger: silent });
  const admin = kafka.admin();
  await admin.connect();
  const run = `bench_${Date.now().toString(36)}`;
  const schema = await createTestSchema('bench_relay');
  const db = await openPgExecutor({ connectionString: testDatabaseUrl, max: 4 });
  const store = await openSqlEventStore({ db, catalog: catalog(), schema: schema.name });
  const prefixes: string[] = [];
  const topicOf = (prefix: string) => `${prefix}.battle`;
  async function createTopic(prefix: string) {
    prefixes.push(prefix);
    await admin.createTopics({ topics: [{ topic: topicOf(prefix), numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
  }
  try {
    // (a) the ceiling: kafkajs alone, the same messages, the same producer settings.
    const ceilingPrefix = `${run}_ceiling`;
    await createTopic(ceilingPrefix);
    const ceilingEvents = env.BENCH_BACKLOG;
    const sample = await (async () => {
      await store.append('battle-sample', 'no_stream', Array.from({ length: BATCH }, (_, i) => ({ type: 'AbilityCast', data: eventData(0, i) })));
      return (await store.readAll({ limit: BATCH }))[0]!;
    })();
    const ceilingConsumer = await consumerThread([topicOf(ceilingPrefix)], `${ceilingPrefix}-g`);
    ceilingConsumer.finishAt(ceilingEvents);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const ceilingStart = performance.now();
    for (let sent = 0; sent < ceilingEvents; sent += env.BENCH_RELAY_BATCH) {
      const count = Math.min(env.BENCH_RELAY_BATCH, ceilingEvents - sent);
      const recordedAt = new Date().toISOString();
      const messages = Array.from({ length: count }, (_, i) => {
        const n = sent + i;
        return toKafkaMessage({ ...sample, id: `c${n}`, streamId: `battle-c${n % env.BENCH_STREAMS}`, version: Math.floor(n / env.BENCH_STREAMS), position: n + 1, metadata: { recordedAt } });
      });
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic: topicOf(ceilingPrefix), messages }] });
    }
    const ceiling = await ceilingConsumer.result;
    await producer.disconnect();
    const ceilingPerS = ceilingEvents / ((ceiling.lastAt - (ceilingStart + performance.timeOrigin)) / 1000);
    console.log(`(a) ceiling, kafkajs produce (acks=-1, batches of ${env.BENCH_RELAY_BATCH}) → consume, no store: ${round(ceilingPerS, 0)} events/s`);

    // (b) live: writers and the relay at once.
    const livePrefix = `${run}_live`;
    await createTopic(livePrefix);
    const relay = createKafkaRelay({ kafka, topicPrefix: livePrefix, logger: silent, partitions: PARTITIONS });
    const startPosition = await store.headPosition();
    const offered = (env.BENCH_STREAMS * BATCH * 1000) / TICK_MS;
    const liveConsumer = await consumerThread([topicOf(livePrefix)], `${livePrefix}-g`);
    // Recorded → acknowledged by the broker (and checkpointed): the relay's share of the latency.
    const relayLatencies: number[] = [];
    const runner = await openProjectionRunner({
      db, store, schema: schema.name, processors: [relay.reactor], logger: silent, batchSize: env.BENCH_RELAY_BATCH,
      onBatch: ({ events, appliedAt }) => {
        for (const event of events) relayLatencies.push(appliedAt - Date.parse(event.metadata.recordedAt));
      },
    });
    // The relay starts at the head: only what the writers append now is measured.
    await db.query(`INSERT INTO "${schema.name}".projection_checkpoints (name, kind, version, generation, position) VALUES ('kafka_relay', 'reactor', 0, 0, $1)`, [startPosition]);
    await runner.start();
    const cpu0 = { node: process.cpuUsage(), kafka: cpuSecondsOf('java') };
    const liveStart = performance.now();
    const writer = await worker<{ appended: number; seconds: number }>({ role: 'writer', schema: schema.name, streams: env.BENCH_STREAMS, seconds: env.BENCH_SECONDS, firstStream: 0 }).result;
    const head = await store.headPosition();
    liveConsumer.finishAt(head - startPosition);
    const live = await liveConsumer.result;
    const liveSeconds = (performance.now() - liveStart) / 1000;
    const cpu = {
      relay: (process.cpuUsage(cpu0.node).user + process.cpuUsage(cpu0.node).system) / 1e6 / liveSeconds,
      kafka: (cpuSecondsOf('java') - cpu0.kafka) / liveSeconds,
    };
    await runner.waitFor(head, [relay.reactor.name]);
    const appendedPerS = writer.appended / writer.seconds;
    const livePerS = live.count / ((live.lastAt - live.firstAt) / 1000);
    const liveLatency = summary(live);
    const relaySorted = relayLatencies.sort((x, y) => x - y);
    const relayLatency = { p50: percentile(relaySorted, 50), p99: percentile(relaySorted, 99) };
    console.log(
      `(b) live, ${env.BENCH_STREAMS} streams × ${BATCH} events every ${TICK_MS} ms (${round(offered, 0)} offered): appended ${round(appendedPerS, 0)} events/s; ` +
        `delivered ${round(livePerS, 0)} events/s; end-to-end p50 ${round(liveLatency.p50)} ms, p99 ${round(liveLatency.p99)} ms, max ${round(liveLatency.max)} ms ` +
        `(of which recorded → acknowledged p50 ${round(relayLatency.p50)} ms, p99 ${round(relayLatency.p99)} ms); ` +
        `CPU: this process (relay, writers, consumer) ${round(cpu.relay)} cores, Kafka ${round(cpu.kafka)}`,
    );
    await runner.stop();
    await relay.close();

    // (c) drain: a backlog relayed as fast as it goes.
    const drainPrefix = `${run}_drain`;
    await createTopic(drainPrefix);
    const backlogStart = await store.headPosition();
    for (let n = 0; n < env.BENCH_BACKLOG; n += BATCH * 100) {
      await Promise.all(Array.from({ length: 100 }, (_, lane) => store.append(`battle-d${lane}`, 'any', Array.from({ length: BATCH }, (_, i) => ({ type: 'AbilityCast', data: eventData(lane, n + i) })))));
    }
    const backlog = (await store.headPosition()) - backlogStart;
    const drainRelay = createKafkaRelay({ kafka, topicPrefix: drainPrefix, logger: silent, partitions: PARTITIONS, name: 'kafka_relay_drain' });
    await db.query(`INSERT INTO "${schema.name}".projection_checkpoints (name, kind, version, generation, position) VALUES ('kafka_relay_drain', 'reactor', 0, 0, $1)`, [backlogStart]);
    const drainConsumer = await consumerThread([topicOf(drainPrefix)], `${drainPrefix}-g`);
    drainConsumer.finishAt(backlog);
    const drainRunner = await openProjectionRunner({ db, store, schema: schema.name, processors: [drainRelay.reactor], logger: silent, batchSize: env.BENCH_RELAY_BATCH });
    const drainStart = performance.now();
    await drainRunner.start();
    await drainRunner.waitFor(backlogStart + backlog, [drainRelay.reactor.name]);
    const relayedAt = performance.now();
    const drain = await drainConsumer.result;
    const drainPerS = backlog / ((drain.lastAt - (drainStart + performance.timeOrigin)) / 1000);
    const relayOnlyPerS = backlog / ((relayedAt - drainStart) / 1000);
    console.log(`(c) drain of a ${backlog}-event backlog: store → Kafka ${round(relayOnlyPerS, 0)} events/s; store → Kafka → consumer ${round(drainPerS, 0)} events/s`);
    await drainRunner.stop();
    await drainRelay.close();

    report({
      bench: 'relay',
      events_per_s: round(livePerS, 0),
      e2e_p50_ms: round(liveLatency.p50),
      e2e_p99_ms: round(liveLatency.p99),
      e2e_max_ms: round(liveLatency.max),
      relay_ack_p99_ms: round(relayLatency.p99),
      offered_events_per_s: round(offered, 0),
      appended_events_per_s: round(appendedPerS, 0),
      drain_events_per_s: round(drainPerS, 0),
      drain_relay_events_per_s: round(relayOnlyPerS, 0),
      ceiling_events_per_s: round(ceilingPerS, 0),
      ceiling_ratio: round(drainPerS / ceilingPerS),
      duplicates: live.duplicates + drain.duplicates,
      process_cpu_cores: round(cpu.relay),
      kafka_cpu_cores: round(cpu.kafka),
    });
  } finally {
    await store.close();
    await db.close();
    await schema.drop();
    const topics = (await admin.listTopics()).filter((topic) => prefixes.some((prefix) => topic.startsWith(`${prefix}.`)));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    await admin.disconnect();
  }
}
