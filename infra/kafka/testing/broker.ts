// Test support for the Kafka pieces: the shared broker that ensure-services.sh starts
// (KAFKA_BROKERS, default 127.0.0.1:9092), a broker of a test's own (for tests that stop
// and restart one), unique topic prefixes, and a raw reader that keeps every message
// (duplicates included) so tests can see what the relay really put on the wire.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Kafka } from 'kafkajs';
import { pino } from 'pino';
import type { RecordedEvent } from '../../../events/envelope.ts';
import type { EventStore } from '../../../events/store.ts';
import { freePort } from '../../testing/process.ts';
import { createKafka } from '../client.ts';
import { fromKafkaMessage, headerText, type RelayedEvent } from '../messages.ts';

const run = promisify(execFile);
const scripts = new URL('../../dev/kafka/', import.meta.url).pathname;

export const sharedBrokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

export const testLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export function testKafka(brokers: readonly string[] = sharedBrokers, clientId = 'pantheon-test'): Kafka {
  return createKafka({ brokers, clientId, logger: testLogger });
}

/** A topic prefix no other test (or earlier run) uses. */
export function uniquePrefix(label: string): string {
  return `t_${label}_${randomBytes(4).toString('hex')}`;
}

/** Deletes the topics under `prefix` (tests clean the shared broker up after themselves). */
export async function deleteTopics(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${prefix}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}

export type OwnBroker = {
  brokers: string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it (if running) and removes its folder. */
  destroy(): Promise<void>;
};

/** A single-node broker on free ports with its data in a temporary folder: this test's to stop and restart. */
export async function ownBroker(): Promise<OwnBroker> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pantheon-kafka-'));
  const port = await freePort();
  const controllerPort = await freePort();
  const env = { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort), KAFKA_DIR: dir, KAFKA_HEAP: '256m' };
  const script = (name: string) => run('bash', [path.join(scripts, name)], { env, timeout: 90_000 });
  return {
    brokers: [`127.0.0.1:${port}`],
    start: async () => void (await script('start.sh')),
    stop: async () => void (await script('stop.sh')),
    async destroy() {
      await script('stop.sh').catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A message as read, with its key and headers as text. */
export type RawMessage = RelayedEvent & { key: string | null; headers: Record<string, string>; timestamp: string };

export type RawReader = {
  /** Every message read, in arrival order per partition, duplicates included. */
  events: RawMessage[];
  /** Resolves once `predicate` holds over what was read (checked after each batch). */
  until(predicate: (events: readonly RawMessage[]) => boolean, what: string, ms?: number): Promise<void>;
  stop(): Promise<void>;
};

/** Reads `topics` from the beginning with a consumer group of its own, keeping everything. */
export async function readRaw(kafka: Kafka, topics: readonly string[]): Promise<RawReader> {
  const events: RawMessage[] = [];
  const waiters = new Set<() => void>();
  const consumer = kafka.consumer({ groupId: `raw-${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const headers = Object.fromEntries(Object.keys(message.headers ?? {}).map((name) => [name, headerText(message.headers, name) ?? '']));
        events.push({ ...fromKafkaMessage(batch.topic, batch.partition, message), key: message.key?.toString() ?? null, headers, timestamp: message.timestamp });
      }
      for (const wake of waiters) wake();
    },
  });
  return {
    events,
    async until(predicate, what, ms = 60_000) {
      const deadline = Date.now() + ms;
      while (!predicate(events)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (read ${events.length} messages)`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, 250);
          waiters.add(wake);
        });
      }
    },
    stop: () => consumer.disconnect(),
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Streams of four categories that a synthetic writer appends to. */
export const syntheticStreams = (label: string, perCategory = 4) =>
  ['battle', 'raid', 'wallet', 'player'].flatMap((category) => Array.from({ length: perCategory }, (_, i) => `${category}-${label}${i}`));

export type Writer = { stop(): Promise<void>; appended(): number };

/**
 * Appends small batches of StateHashed events (a type every catalog of the app knows)
 * to `streams` in turn, one append every `everyMs`, until stopped.
 */
export function startWriter(store: EventStore, streams: readonly string[], options: { batch?: number; everyMs?: number } = {}): Writer {
  let stopped = false;
  let count = 0;
  let tick = 0;
  const batch = options.batch ?? 5;
  const done = (async () => {
    for (let turn = 0; !stopped; turn++) {
      const streamId = streams[turn % streams.length]!;
      const events = Array.from({ length: batch }, () => ({ type: 'StateHashed', data: { tick: tick++, hash: createHash('sha256').update(String(tick)).digest('hex') } }));
      await store.append(streamId, 'any', events);
      count += batch;
      await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 5));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
    },
    appended: () => count,
  };
}

/** Every event of the log, in order. */
export async function readWholeLog(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ fromPosition: (events.at(-1)?.position ?? 0) + 1, limit: 2000 });
    events.push(...page);
    if (page.length < 2000) return events;
  }
}

/** Messages on `topics` (sum of the partitions' high watermarks: the topics are fresh, nothing compacted). */
export async function messageCount(kafka: Kafka, topics: readonly string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let total = 0;
    for (const topic of topics) for (const partition of await admin.fetchTopicOffsets(topic)) total += Number(partition.high);
    return total;
  } finally {
    await admin.disconnect();
  }
}

/** Events as the store would hand them to the relay: `perStream` versions of each stream, interleaved. */
export function recordedEvents(streams: readonly string[], perStream: number, firstPosition: number, dataBytes = 0): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  let position = firstPosition;
  for (let version = 0; version < perStream; version++) {
    for (const streamId of streams) {
      events.push({
        id: `${streamId}-v${version}`,
        streamId,
        version,
        position: position++,
        type: 'StateHashed',
        schemaVersion: 1,
        data: { tick: version, hash: 'a'.repeat(64), ...(dataBytes > 0 ? { pad: 'x'.repeat(dataBytes) } : {}) },
        metadata: { recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, position)).toISOString() },
        hash: 'b'.repeat(64),
      });
    }
  }
  return events;
}
