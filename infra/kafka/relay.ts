// The Kafka relay: a reactor of the projection runner that publishes the global event
// stream to Kafka, one topic per stream category, keyed by stream id.
//
// - `react` sends a batch and resolves only once the broker acknowledged every message
//   with acks=-1 (all in-sync replicas); the runner advances the relay's checkpoint
//   (in PostgreSQL) only then. A crash or a broker outage re-sends from the checkpoint:
//   delivery is at least once, and consumers dedupe by event id / stream version
//   (consumer.ts).
// - Each producer is idempotent with one request in flight, so kafkajs's own retries
//   neither duplicate nor reorder a partition's messages; a re-send after a failed
//   batch may still duplicate it (a new request), which is the at-least-once part.
// - A batch goes out through several producers at once (`lanes`): a stream always takes
//   the same lane (by a hash of its id), so its events keep their order, while the lanes'
//   requests are in flight together instead of waiting for each other's round trips.
// - Broker errors are transient (`isTransient`): the runner backs off and retries the
//   batch from the store until the broker answers again. Only errors that retrying
//   cannot fix (a message too large, a bug) stop the relay, loudly.
import { performance } from 'node:perf_hooks';
import { Partitioners, type Admin, type Kafka, type Message, type Producer } from 'kafkajs';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RecordedEvent } from '../../events/envelope.ts';
import { defineReactor, type Reactor } from '../../projections/index.ts';
import type { Logger } from '../logger.ts';
import { categoryOf, messageBytes, toKafkaMessage, topicOf } from './messages.ts';

export type KafkaRelayOptions = {
  kafka: Kafka;
  /** Topics are `<topicPrefix>.<category>`. */
  topicPrefix: string;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** The reactor's (and checkpoint's) name; two relays to two clusters need two names. Default `kafka_relay`. */
  name?: string;
  /** Partitions of a topic the relay creates (default 4). Existing topics are left as they are. */
  partitions?: number;
  /** Replication factor of created topics (default 1: one broker; use 3 in production). */
  replicationFactor?: number;
  /** Broker-side wait for the in-sync replicas, in ms (default 30 s). */
  ackTimeoutMs?: number;
  /**
   * Most bytes of messages in one produce request (default 900 kB): a request's messages
   * for one partition form one record batch, which the broker refuses above its
   * message.max.bytes (1 MiB by default). Bigger batches go out as several requests, in order.
   */
  maxRequestBytes?: number;
  /** Producers sending side by side, each with its streams (default 4). */
  lanes?: number;
  /** Metrics land here when given. */
  metrics?: Registry;
  now?: () => number;
};

export type KafkaRelayStatus = {
  name: string;
  /** Whether the last send reached the broker. */
  connected: boolean;
  /** Last global position the broker acknowledged in this process (0 before the first batch). */
  acknowledgedPosition: number;
  /** The batch being sent now, if any. */
  inFlight: { from: number; to: number; events: number } | null;
  /** Events acknowledged since start. */
  published: number;
  /** Batches that failed and will be re-sent by the runner. */
  failedBatches: number;
  /** From an event's recording to the broker's acknowledgement of it, for the last batch (ms). */
  lastLatencyMs: number | null;
  lastError: string | null;
  topics: string[];
};

export type KafkaRelay = {
  reactor: Reactor;
  status(): KafkaRelayStatus;
  close(): Promise<void>;
};

/** Errors about the producer's sequence state: the fix is a new producer id, then a re-send. */
const producerStateErrors = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING']);

type KafkaLikeError = Error & { retriable?: boolean; type?: string; cause?: unknown };

function chainOf(error: unknown): KafkaLikeError[] {
  const chain: KafkaLikeError[] = [];
  for (let current = error; current instanceof Error && chain.length < 10; current = (current as KafkaLikeError).cause) chain.push(current);
  return chain;
}

function isProducerStateError(error: unknown): boolean {
  return chainOf(error).some((e) => e.name === 'KafkaJSProtocolError' && producerStateErrors.has(String(e.type)));
}

/** Kafka errors that name a setup problem no retry fixes. */
const fatalKafkaErrors = new Set(['KafkaJSServerDoesNotSupportApiKey', 'KafkaJSSASLAuthenticationError', 'KafkaJSInvariantViolation']);

/**
 * Retrying helps when the broker was away or busy (kafkajs ran out of its own retries on
 * a retriable error), or forgot this producer; not when it refused the request for good
 * (message too large, topic authorization…), nor for errors that are not Kafka's (bugs).
 */
export function isTransientKafkaError(error: unknown): boolean {
  const chain = chainOf(error);
  if (isProducerStateError(error)) return true;
  if (!chain.some((e) => e.name.startsWith('KafkaJS'))) return false;
  if (chain.some((e) => (e.name === 'KafkaJSProtocolError' && e.retriable === false) || fatalKafkaErrors.has(e.name))) return false;
  return chain.some((e) => e.name.startsWith('KafkaJS') && e.retriable !== false);
}

export function createKafkaRelay(options: KafkaRelayOptions): KafkaRelay {
  const name = options.name ?? 'kafka_relay';
  const now = options.now ?? Date.now;
  const log = options.logger;
  const partitions = options.partitions ?? 4;
  const replicationFactor = options.replicationFactor ?? 1;
  const metrics = options.metrics ? createMetrics(options.metrics, name) : null;

  const lanes = options.lanes ?? 4;
  const knownTopics = new Set<string>();
  let producers: Producer[] | null = null;
  let admin: Admin | null = null;
  let connecting: Promise<Producer[]> | null = null;
  let closed = false;
  const status: KafkaRelayStatus = {
    name,
    connected: false,
    acknowledgedPosition: 0,
    inFlight: null,
    published: 0,
    failedBatches: 0,
    lastLatencyMs: null,
    lastError: null,
    topics: [],
  };

  /** Connects lazily, so a relay starts (and its runner reports it) while the broker is still down. */
  function connected(): Promise<Producer[]> {
    if (producers) return Promise.resolve(producers);
    connecting ??= (async () => {
      const next = Array.from({ length: lanes }, () =>
        options.kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          // Named, so kafkajs does not warn about its 2.0 change: murmur2 of the key, as the Java client.
          createPartitioner: Partitioners.DefaultPartitioner,
          // Short kafkajs retries: a longer outage is the runner's to wait out.
          retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 3 },
        }),
      );
      const nextAdmin = options.kafka.admin();
      try {
        await Promise.all(next.map((lane) => lane.connect()));
        await nextAdmin.connect();
      } catch (error) {
        await Promise.all(next.map((lane) => lane.disconnect().catch(() => {})));
        await nextAdmin.disconnect().catch(() => {});
        throw error;
      }
      producers = next;
      admin = nextAdmin;
      return next;
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  }

  async function reset(): Promise<void> {
    const [oldProducers, oldAdmin] = [producers, admin];
    producers = null;
    admin = null;
    await Promise.all((oldProducers ?? []).map((lane) => lane.disconnect().catch(() => {})));
    await oldAdmin?.disconnect().catch(() => {});
  }

  async function ensureTopics(topics: readonly string[]): Promise<void> {
    const missing = topics.filter((topic) => !knownTopics.has(topic));
    if (missing.length === 0 || !admin) return;
    // createTopics answers false for topics that exist already; both are fine.
    await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })), waitForLeaders: true });
    for (const topic of missing) knownTopics.add(topic);
    status.topics = [...knownTopics].sort();
  }

  async function react(events: readonly RecordedEvent[]): Promise<void> {
    if (closed) throw new Error('the Kafka relay is closed');
    const first = events[0];
    const last = events.at(-1);
    if (!first || !last) return;
    const byLane = Array.from({ length: lanes }, (): RecordedEvent[] => []);
    for (const event of events) byLane[laneOf(event.streamId, lanes)]!.push(event);
    const requests = byLane.map((laneEvents) => toRequests(laneEvents, options.topicPrefix, options.maxRequestBytes ?? 900_000));
    status.inFlight = { from: first.position, to: last.position, events: events.length };
    const started = performance.now();
    try {
      const live = await connected();
      await ensureTopics([...new Set(requests.flat().flatMap((request) => [...request.keys()]))]);
      // The lanes side by side; within a lane one request after the other, so a stream's
      // later events never overtake its earlier ones. Every lane must be acknowledged.
      const sent = await Promise.allSettled(
        requests.map(async (laneRequests, lane) => {
          for (const request of laneRequests) {
            await live[lane]!.sendBatch({
              acks: -1,
              timeout: options.ackTimeoutMs ?? 30_000,
              topicMessages: [...request].map(([topic, messages]) => ({ topic, messages })),
            });
          }
        }),
      );
      const failed = sent.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    } catch (error) {
      status.connected = false;
      status.failedBatches += 1;
      status.lastError = error instanceof Error ? error.message : String(error);
      metrics?.failures.inc();
      metrics?.connected.set(0);
      if (isProducerStateError(error)) {
        log.warn({ relay: name, err: error }, 'kafka relay: producer state lost on the broker; starting a new producer');
        await reset();
      }
      throw error;
    } finally {
      status.inFlight = null;
    }
    const ackedAt = now();
    if (!status.connected) log.info({ relay: name, position: last.position }, 'kafka relay: broker acknowledging');
    status.connected = true;
    status.lastError = null;
    status.acknowledgedPosition = last.position;
    status.published += events.length;
    status.lastLatencyMs = Math.max(0, ackedAt - Date.parse(last.metadata.recordedAt));
    if (metrics) {
      metrics.connected.set(1);
      metrics.position.set(last.position);
      metrics.published.inc(events.length);
      metrics.sendSeconds.observe((performance.now() - started) / 1000);
      metrics.latency.observe(status.lastLatencyMs / 1000);
    }
  }

  const reactor = defineReactor({ name, react, isTransient: isTransientKafkaError });

  return {
    reactor,
    status: () => ({ ...status, inFlight: status.inFlight && { ...status.inFlight }, topics: [...status.topics] }),
    async close() {
      closed = true;
      await connecting?.catch(() => {});
      await reset();
    },
  };
}

/** A stream's lane: FNV-1a of its id, so the same stream always takes the same producer. */
function laneOf(streamId: string, lanes: number): number {
  if (lanes === 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < streamId.length; i++) hash = Math.imul(hash ^ streamId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % lanes;
}

/** Messages by topic, cut into requests of at most `maxBytes` (each request's messages keep the log's order). */
function toRequests(events: readonly RecordedEvent[], prefix: string, maxBytes: number): Array<Map<string, Message[]>> {
  const requests: Array<Map<string, Message[]>> = [];
  let current = new Map<string, Message[]>();
  let bytes = 0;
  for (const event of events) {
    const message = toKafkaMessage(event);
    const size = messageBytes(message);
    if (bytes > 0 && bytes + size > maxBytes) {
      requests.push(current);
      current = new Map();
      bytes = 0;
    }
    const topic = topicOf(prefix, categoryOf(event.streamId));
    let messages = current.get(topic);
    if (!messages) current.set(topic, (messages = []));
    messages.push(message);
    bytes += size;
  }
  if (bytes > 0) requests.push(current);
  return requests;
}

function createMetrics(registry: Registry, relay: string) {
  const labels = { relay };
  const labelNames = ['relay'] as const;
  const position = new Gauge({ name: 'pantheon_kafka_relay_acknowledged_position', help: 'Last global position the broker acknowledged', labelNames, registers: [registry] });
  const connected = new Gauge({ name: 'pantheon_kafka_relay_connected', help: '1 while the last send reached the broker', labelNames, registers: [registry] });
  const published = new Counter({ name: 'pantheon_kafka_relay_published_total', help: 'Events acknowledged by the broker', labelNames, registers: [registry] });
  const failures = new Counter({ name: 'pantheon_kafka_relay_failed_batches_total', help: 'Batches that failed and are re-sent', labelNames, registers: [registry] });
  const sendSeconds = new Histogram({
    name: 'pantheon_kafka_relay_send_seconds',
    help: 'Time to send one batch and get its acknowledgement',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'pantheon_kafka_relay_latency_seconds',
    help: 'From an event being recorded to the broker acknowledging it',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    position: position.labels(labels),
    connected: connected.labels(labels),
    published: published.labels(labels),
    failures: failures.labels(labels),
    sendSeconds: sendSeconds.labels(labels),
    latency: latency.labels(labels),
  };
}
