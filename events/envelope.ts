// The event envelope: what callers append and what the store gives back.
import { z } from 'zod';

/** Stream ids are `<kind>-<id>`: `battle-…`, `wallet-<playerId>`. */
export const StreamId = z
  .string()
  .min(3)
  .max(200)
  .regex(/^[a-z][a-z0-9_]*-[A-Za-z0-9_.:@-]+$/, 'stream ids look like <kind>-<id>, e.g. battle-7f3a');
export type StreamId = z.infer<typeof StreamId>;

export const EventMetadata = z.object({
  correlationId: z.string().max(200).optional(),
  causationId: z.string().max(200).optional(),
  /** Who caused it: a player id, `system`, a service name. */
  actor: z.string().max(200).optional(),
  /** The room tick the event belongs to, where there is one. */
  tick: z.number().int().nonnegative().optional(),
});
export type EventMetadata = z.infer<typeof EventMetadata>;

/** An event as a writer hands it to `append`. */
export type NewEvent = {
  /** Defaults to a fresh UUIDv7. Re-appending the same id is idempotent. */
  id?: string;
  type: string;
  data: unknown;
  metadata?: EventMetadata;
};

/** An event as stored: the envelope around its data. */
export type RecordedEvent<T extends string = string, D = unknown> = {
  id: string;
  streamId: string;
  /** 0-based position within its stream. */
  version: number;
  /** 1-based position in the store's global order. */
  position: number;
  type: T;
  schemaVersion: number;
  data: D;
  metadata: EventMetadata & { recordedAt: string };
  /** SHA-256 (hex) over the predecessor's hash and this event's canonical content. */
  hash: string;
};

/**
 * What the writer believes about the stream: `any`; `no_stream` (must not exist);
 * `stream_exists`; or the exact version of its last event.
 */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | number;

export const ExpectedVersionSchema = z.union([
  z.enum(['any', 'no_stream', 'stream_exists']),
  z.number().int().min(-1),
]);

export type AppendResult = {
  streamId: string;
  /** Version of the last appended event. */
  nextExpectedVersion: number;
  /** Global positions of the appended events, in order. */
  positions: number[];
  /** Events as stored (with versions, positions and hashes). */
  events: RecordedEvent[];
};
