// How an event of the log travels on Kafka: one topic per stream category
// (`<prefix>.<kind>`: `pantheon.battle`, `pantheon.wallet`…), keyed by stream id so
// each stream's events share a partition and keep their order, with the envelope as
// JSON in the value and its identity in headers (consumers route and dedupe on the
// headers without parsing the body).
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { z } from 'zod';
import type { RecordedEvent } from '../../events/envelope.ts';

/**
 * The headers every message carries. Few on purpose: kafkajs encodes each header of each
 * message separately, and three more headers cost the producer a quarter of its
 * throughput. The recording time travels as the message's timestamp.
 */
export const headerNames = {
  eventId: 'event-id',
  eventType: 'event-type',
  streamVersion: 'stream-version',
  globalPosition: 'global-position',
  schemaVersion: 'schema-version',
} as const;

export const TopicPrefix = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'topic prefixes use letters, digits, ".", "_" and "-"');

/** A stream's category: its id up to the first '-' (`battle-7f3a` → `battle`). */
export function categoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  if (dash <= 0) throw new Error(`stream id ${JSON.stringify(streamId)} has no <kind>- prefix`);
  return streamId.slice(0, dash);
}

export function topicOf(prefix: string, category: string): string {
  return `${prefix}.${category}`;
}

export function toKafkaMessage(event: RecordedEvent): Message {
  return {
    key: event.streamId,
    value: JSON.stringify({
      id: event.id,
      streamId: event.streamId,
      version: event.version,
      position: event.position,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: event.metadata,
      hash: event.hash,
    }),
    // The broker's timestamp is the event's: consumers and retention see event time.
    timestamp: String(Date.parse(event.metadata.recordedAt)),
    headers: {
      [headerNames.eventId]: event.id,
      [headerNames.eventType]: event.type,
      [headerNames.streamVersion]: String(event.version),
      [headerNames.globalPosition]: String(event.position),
      [headerNames.schemaVersion]: String(event.schemaVersion),
    },
  };
}

/** Bytes a message adds to a produce request, roughly (for keeping requests under the broker's limit). */
export function messageBytes(message: Message): number {
  let bytes = 64 + Buffer.byteLength(String(message.key ?? '')) + (typeof message.value === 'string' ? Buffer.byteLength(message.value) : (message.value?.length ?? 0));
  for (const [name, value] of Object.entries(message.headers ?? {})) bytes += 8 + name.length + String(value).length;
  return bytes;
}

const RelayedValue = z.object({
  id: z.string().min(1),
  streamId: z.string().min(3),
  version: z.number().int().nonnegative(),
  position: z.number().int().positive(),
  type: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  data: z.unknown(),
  metadata: z.looseObject({ recordedAt: z.string() }),
  hash: z.string(),
});

/** An event as a downstream consumer receives it, with where it sat on Kafka. */
export type RelayedEvent = RecordedEvent & { topic: string; partition: number; offset: string };

export class RelayedMessageError extends Error {
  readonly code = 'kafka/bad_message';
  constructor(message: string) {
    super(message);
    this.name = 'RelayedMessageError';
  }
}

/** Reads one header as text (kafkajs gives Buffers). */
export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** Decodes and validates a relayed message; the headers must agree with the body. */
export function fromKafkaMessage(topic: string, partition: number, message: KafkaMessage): RelayedEvent {
  if (!message.value) throw new RelayedMessageError(`${topic}/${partition}@${message.offset}: empty value`);
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString());
  } catch {
    throw new RelayedMessageError(`${topic}/${partition}@${message.offset}: value is not JSON`);
  }
  const parsed = RelayedValue.safeParse(json);
  if (!parsed.success) throw new RelayedMessageError(`${topic}/${partition}@${message.offset}: ${z.prettifyError(parsed.error)}`);
  const event = parsed.data;
  const id = headerText(message.headers, headerNames.eventId);
  if (id !== event.id) throw new RelayedMessageError(`${topic}/${partition}@${message.offset}: header event-id ${id} does not match the body's ${event.id}`);
  return { ...event, metadata: event.metadata as RecordedEvent['metadata'], topic, partition, offset: message.offset };
}
