// For services downstream of the relay: a consumer of the relayed topics that hands on
// each event once.
//
// The relay delivers at least once: a batch the broker stored but did not acknowledge
// (a broker restart, a relay crash) is sent again and lands a second time, later in the
// same partition. Since a stream's events all share one partition and arrive in order,
// "is this stream version newer than the last one I handed on" is an exact test for
// them; a bounded memory of event ids backs it up for streams that fell out of the
// bounded per-stream table.
import type { Consumer, ConsumerConfig, Kafka } from 'kafkajs';
import type { Logger } from '../logger.ts';
import { fromKafkaMessage, type RelayedEvent } from './messages.ts';

export type DedupeOptions = {
  /** Streams whose last version is remembered (least recently seen forgotten first). Default 100,000. */
  maxStreams?: number;
  /** Event ids remembered. Default 100,000. */
  maxIds?: number;
};

type EventIdentity = { id: string; streamId: string; version: number };

export class EventDeduplicator {
  readonly #versions = new Map<string, number>();
  readonly #ids = new Set<string>();
  readonly #maxStreams: number;
  readonly #maxIds: number;
  duplicates = 0;

  constructor(options: DedupeOptions = {}) {
    this.#maxStreams = options.maxStreams ?? 100_000;
    this.#maxIds = options.maxIds ?? 100_000;
  }

  /** True the first time an event is offered (and records it); false for a repeat. */
  accept(event: EventIdentity): boolean {
    if (this.isDuplicate(event)) {
      this.duplicates += 1;
      return false;
    }
    this.remember(event);
    return true;
  }

  isDuplicate(event: EventIdentity): boolean {
    const last = this.#versions.get(event.streamId);
    if (last !== undefined && event.version <= last) return true;
    return this.#ids.has(event.id);
  }

  /** Records an event as handed on (also used to seed the memory from a sink's own output). */
  remember(event: EventIdentity): void {
    const last = this.#versions.get(event.streamId);
    // Re-inserting moves the stream to the young end: a Map iterates in insertion order.
    this.#versions.delete(event.streamId);
    this.#versions.set(event.streamId, Math.max(last ?? -1, event.version));
    if (this.#versions.size > this.#maxStreams) this.#versions.delete(this.#versions.keys().next().value!);
    this.#ids.add(event.id);
    if (this.#ids.size > this.#maxIds) this.#ids.delete(this.#ids.values().next().value!);
  }

  get size(): { streams: number; ids: number } {
    return { streams: this.#versions.size, ids: this.#ids.size };
  }
}

export type RelayBatch = { topic: string; partition: number; /** Offset of the batch's last message, fresh or not. */ lastOffset: string };

export type RelayConsumerOptions = {
  kafka: Kafka;
  groupId: string;
  /** Topics (exact names) to read. */
  topics: readonly string[];
  /** Where a group with no committed offsets starts (default: the beginning). */
  fromBeginning?: boolean;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  dedupe?: EventDeduplicator;
  /** Partitions handled at the same time (default 1). Events of one partition are always handed on in order. */
  partitionsConsumedConcurrently?: number;
  consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
  /**
   * Receives a partition's fresh events (possibly none), in order. Offsets are committed
   * after it resolves; if it throws, the batch is offered again.
   */
  handle(events: RelayedEvent[], batch: RelayBatch): Promise<void>;
};

export type RelayConsumerStats = { received: number; delivered: number; duplicates: number; malformed: number };

export type RelayConsumer = {
  consumer: Consumer;
  start(): Promise<void>;
  stop(): Promise<void>;
  stats(): RelayConsumerStats;
};

export function createRelayConsumer(options: RelayConsumerOptions): RelayConsumer {
  const dedupe = options.dedupe ?? new EventDeduplicator();
  const consumer = options.kafka.consumer({ maxWaitTimeInMs: 100, ...options.consumerConfig, groupId: options.groupId });
  const stats: RelayConsumerStats = { received: 0, delivered: 0, duplicates: 0, malformed: 0 };

  return {
    consumer,
    async start() {
      await consumer.connect();
      await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
      await consumer.run({
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale }) => {
          if (!isRunning() || isStale() || batch.messages.length === 0) return;
          const fresh: RelayedEvent[] = [];
          // A re-sent batch can repeat events of this very batch: check against both.
          const inBatch = new EventDeduplicator({ maxStreams: Number.POSITIVE_INFINITY, maxIds: Number.POSITIVE_INFINITY });
          for (const message of batch.messages) {
            stats.received += 1;
            let event: RelayedEvent;
            try {
              event = fromKafkaMessage(batch.topic, batch.partition, message);
            } catch (error) {
              // Not ours to fix downstream: say so and move past it rather than stall the partition.
              stats.malformed += 1;
              options.logger.error({ topic: batch.topic, partition: batch.partition, offset: message.offset, err: error }, 'relay consumer: skipped a malformed message');
              continue;
            }
            if (dedupe.isDuplicate(event) || inBatch.isDuplicate(event)) {
              stats.duplicates += 1;
              continue;
            }
            inBatch.remember(event);
            fresh.push(event);
          }
          await options.handle(fresh, { topic: batch.topic, partition: batch.partition, lastOffset: batch.lastOffset() });
          // Only what the handler took is remembered: a batch it refused comes back whole.
          for (const event of fresh) dedupe.remember(event);
          stats.delivered += fresh.length;
          resolveOffset(batch.lastOffset());
          await commitOffsetsIfNecessary();
          await heartbeat();
        },
      });
    },
    async stop() {
      await consumer.disconnect();
    },
    stats: () => ({ ...stats }),
  };
}
