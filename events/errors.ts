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

/**
 * Whether an error says the store could not be reached or did not answer in time (a reset,
 * a refused connection, a stalled one that timed out), as opposed to a bug or a refusal:
 * callers answer it with `store/unavailable` and may retry.
 */
export function isStoreOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof StoreUnavailable) return true;
  const code = 'code' in error ? String(error.code) : '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)) return true;
  // SQLSTATE class 08 (connection exception), 57014 (statement timeout), 57P01-03 (shutdown, crash, cannot connect now).
  if (/^08|^57014$|^57P0[123]$/.test(code)) return true;
  if (error instanceof AggregateError && error.errors.some(isStoreOutage)) return true;
  return /Connection terminated|connection timeout|Query read timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(error.message);
}
