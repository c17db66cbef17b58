// The EventStore port. Every adapter (PostgreSQL, PGlite, EventStoreDB) implements it
// and passes the one contract suite in contract.suite.ts.
import type { AppendResult, ExpectedVersion, NewEvent, RecordedEvent } from './envelope.ts';

export type ReadStreamOptions = {
  direction?: 'forwards' | 'backwards';
  /** First version to return (inclusive). Default: the start, or the end when backwards. */
  fromVersion?: number;
  /** At most this many events. Default: all. */
  limit?: number;
  /** Return data as stored (schema version and shape at write time): for hash checks and exports. */
  raw?: boolean;
};

export type ReadAllOptions = {
  /** First global position to return (inclusive). Default 1. */
  fromPosition?: number;
  /** At most this many events. Default 1000. */
  limit?: number;
  raw?: boolean;
};

export type SubscribeAllOptions = {
  /** The subscriber's checkpoint: delivery starts after this global position. Default 0. */
  after?: number;
  /** Events fetched per read while catching up. */
  batchSize?: number;
  /** Ends the subscription. */
  signal?: AbortSignal;
  raw?: boolean;
};

/** Catch-up then live, in global order. Iterate it; `position` is the last delivered. */
export type Subscription = AsyncIterable<RecordedEvent> & {
  readonly position: number;
  /**
   * The same events a page at a time (each page non-empty, at most `batchSize`), for
   * consumers that commit per batch. Use either this or the event iterator, not both.
   */
  pages(): AsyncIterable<readonly RecordedEvent[]>;
  close(): void;
};

export type EventStore = {
  /**
   * Appends events to a stream, atomically, if the stream is at `expected`. Idempotent:
   * re-appending the same event ids returns the original result.
   * @throws ExpectedVersionConflict, EventDecodeError, IdempotencyConflict, StoreUnavailable
   */
  append(streamId: string, expected: ExpectedVersion, events: readonly NewEvent[]): Promise<AppendResult>;
  /** A stream's events; an unknown stream reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of all streams in global order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeAll(options?: SubscribeAllOptions): Subscription;
  /** Version of a stream's last event; -1 when it does not exist. */
  streamVersion(streamId: string): Promise<number>;
  /** Global position of the last committed event; 0 when the store is empty. */
  headPosition(): Promise<number>;
  close(): Promise<void>;
};
