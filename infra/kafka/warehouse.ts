// An example downstream service: loads the relayed topics into NDJSON files for a
// warehouse to ingest, one file per topic partition (`<dir>/<topic>/<partition>.ndjson`),
// one event envelope per line with its topic, partition and offset.
//
// Each event lands once:
// - a batch is appended and fsynced before its offsets are committed, so a crash can
//   only make the loader read again what it already wrote; each line carries its
//   offset, and messages at or below a file's last offset are skipped;
// - events the relay published twice (at-least-once) are dropped by the consumer
//   helper's dedupe, whose memory is seeded at start from the tail of each file.
import { mkdir, open, readdir, stat, truncate, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import type { Logger } from '../logger.ts';
import { createRelayConsumer, EventDeduplicator, type RelayConsumer, type RelayConsumerStats } from './consumer.ts';
import type { RelayedEvent } from './messages.ts';

export type WarehouseOptions = {
  kafka: Kafka;
  topics: readonly string[];
  /** Output folder. */
  dir: string;
  groupId?: string;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Bytes read back from the end of each file at start to seed the dedupe memory (default 8 MiB). */
  seedBytes?: number;
  /** Called after each batch is durable (tests, progress). */
  onWritten?: (events: readonly RelayedEvent[]) => void;
};

export type WarehouseLoader = {
  start(): Promise<void>;
  stop(): Promise<void>;
  stats(): RelayConsumerStats & { written: number; alreadyWritten: number };
};

type PartitionFile = { handle: FileHandle; lastOffset: bigint };

const fileOf = (dir: string, topic: string, partition: number) => path.join(dir, topic, `${partition}.ndjson`);

export function createWarehouseLoader(options: WarehouseOptions): WarehouseLoader {
  const dedupe = new EventDeduplicator();
  const files = new Map<string, PartitionFile>();
  let written = 0;
  let alreadyWritten = 0;

  async function partitionFile(topic: string, partition: number): Promise<PartitionFile> {
    const key = `${topic}/${partition}`;
    const known = files.get(key);
    if (known) return known;
    const file = fileOf(options.dir, topic, partition);
    await mkdir(path.dirname(file), { recursive: true });
    const { lastOffset } = await recoverFile(file, dedupe, options.seedBytes ?? 8 * 1024 * 1024);
    const entry = { handle: await open(file, 'a'), lastOffset };
    files.set(key, entry);
    return entry;
  }

  const consumer: RelayConsumer = createRelayConsumer({
    kafka: options.kafka,
    groupId: options.groupId ?? 'pantheon-warehouse',
    topics: options.topics,
    logger: options.logger,
    dedupe,
    async handle(events, batch) {
      const file = await partitionFile(batch.topic, batch.partition);
      const fresh = events.filter((event) => BigInt(event.offset) > file.lastOffset);
      alreadyWritten += events.length - fresh.length;
      if (fresh.length > 0) {
        await file.handle.write(fresh.map((event) => `${JSON.stringify(event)}\n`).join(''));
        await file.handle.datasync();
        written += fresh.length;
      }
      // Offsets of duplicates and skipped lines count too: the file is complete up to the batch's end.
      const batchEnd = BigInt(batch.lastOffset);
      if (batchEnd > file.lastOffset) file.lastOffset = batchEnd;
      options.onWritten?.(fresh);
    },
  });

  return {
    async start() {
      await mkdir(options.dir, { recursive: true });
      // Seed every existing file before the first message arrives (a duplicate may be in any of them).
      for (const topic of await readdir(options.dir).catch(() => [] as string[])) {
        if (!options.topics.includes(topic)) continue;
        for (const name of await readdir(path.join(options.dir, topic))) {
          const match = /^(\d+)\.ndjson$/.exec(name);
          if (match) await partitionFile(topic, Number(match[1]));
        }
      }
      await consumer.start();
      options.logger.info({ dir: options.dir, topics: options.topics }, 'warehouse loader running');
    },
    async stop() {
      await consumer.stop();
      for (const file of files.values()) await file.handle.close();
      files.clear();
    },
    stats: () => ({ ...consumer.stats(), written, alreadyWritten }),
  };
}

/**
 * Cuts a torn last line (a crash mid-append), then reads the file's tail: the last
 * offset written, and the events to seed the dedupe memory with.
 */
async function recoverFile(file: string, dedupe: EventDeduplicator, seedBytes: number): Promise<{ lastOffset: bigint }> {
  const size = await stat(file).then((s) => s.size, () => -1);
  if (size <= 0) return { lastOffset: -1n };
  const start = Math.max(0, size - seedBytes);
  const handle = await open(file, 'r');
  const buffer = Buffer.alloc(size - start);
  try {
    await handle.read(buffer, 0, buffer.length, start);
  } finally {
    await handle.close();
  }
  const end = buffer.lastIndexOf(0x0a);
  if (end !== buffer.length - 1) await truncate(file, start + end + 1);
  // The first line of a partial read may be cut: skip it unless the read began at 0.
  const lines = buffer.subarray(0, end + 1).toString('utf8').split('\n').filter(Boolean);
  if (start > 0) lines.shift();
  let lastOffset = -1n;
  for (const line of lines) {
    const event = JSON.parse(line) as RelayedEvent;
    dedupe.remember(event);
    lastOffset = BigInt(event.offset);
  }
  return { lastOffset };
}
