// Typed store errors. Each carries a stable `code` so callers and clients can branch on it.
import type { ExpectedVersion } from './envelope.ts';

export class ExpectedVersionConflict extends Error {
  readonly code = 'store/expected_version_conflict';
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  /** The stream's version when the append was refused; -1 when the stream does not exist. */
  readonly actual: number;

  constructor(streamId: string, expected: ExpectedVersion, actual: number) {
    super(`append to ${streamId} expected version ${String(expected)} but the stream is at ${actual}`);
    this.name = 'ExpectedVersionConflict';
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }
}

export class EventDecodeError extends Error {
  readonly code = 'store/event_decode_error';
  readonly streamId: string;
  readonly version: number | undefined;
  readonly eventId: string | undefined;
  readonly eventType: string;

  constructor(ref: { streamId: string; version?: number; eventId?: string }, eventType: string, problem: string) {
    const where = ref.version === undefined ? ref.streamId : `${ref.streamId}@${ref.version}`;
    super(`event ${eventType}${ref.eventId ? ` ${ref.eventId}` : ''} in ${where} is invalid: ${problem}`);
    this.name = 'EventDecodeError';
    this.streamId = ref.streamId;
    this.version = ref.version;
    this.eventId = ref.eventId;
    this.eventType = eventType;
  }
}

/** An event id was appended before with different content. */
export class IdempotencyConflict extends Error {
  readonly code = 'store/idempotency_conflict';
  readonly streamId: string;
  readonly eventId: string;

  constructor(streamId: string, eventId: string, problem: string) {
    super(`event ${eventId} was already appended to ${streamId}: ${problem}`);
    this.name = 'IdempotencyConflict';
    this.streamId = streamId;
    this.eventId = eventId;
  }
}

/** An append's arguments are malformed (stream id, expected version, event ids). */
export class InvalidAppend extends Error {
  readonly code = 'store/invalid_append';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppend';
  }
}

/** The store cannot be reached or refused the write; the append may be retried. */
export class StoreUnavailable extends Error {
  readonly code = 'store/unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailable';
  }
}
