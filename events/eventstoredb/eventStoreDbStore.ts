// The EventStore port on EventStoreDB / KurrentDB (`@eventstore/db-client`, gRPC), the
// alternative production store. How the port maps onto it:
//
// - Streams: a Pantheon stream `battle-7f3a` is the EventStoreDB stream of the same name
//   (its category, for EventStoreDB's own projections, is `battle`). Stores in another
//   `namespace` prefix their stream names with `<namespace>.` and share the database
//   without seeing each other (the tests use one per file, as the SQL tests use schemas).
// - Versions are stream revisions; expected versions map to NO_STREAM, STREAM_EXISTS, ANY
//   or the exact revision. Appends with `any`/`stream_exists` are sent with the exact
//   revision read just before (and retried if another writer got in): the hash chain needs
//   the predecessor's hash, so the adapter must know which event it appends after.
// - Each event's JSON metadata holds the envelope's metadata (actor, tick, recordedAt…) and
//   `pantheon: { namespace, schemaVersion, hash }`; data is the event's JSON as validated.
//   The hash is computed exactly as events/hashChain.ts does (chainHashEncoded), so
//   verifyStream works unchanged on what this adapter reads.
// - Global positions: EventStoreDB orders $all by log positions ({commit, prepare}: byte
//   offsets, sparse). The port promises dense 1-based positions (checkpoints, lag counts,
//   `readAll({ fromPosition: p + 1 })`). Each store keeps an index from the n-th event of
//   its namespace in $all to that event's log position, built by reading $all on first use
//   and extended as it grows. Every process computes the same numbering, because $all's
//   order is fixed and only committed events are read. The costs: the first use reads all
//   of $all (once per process), and the index holds two 64-bit numbers per event in memory.
//   A scavenge that removes events of *this* namespace would renumber what follows it:
//   Pantheon never deletes or truncates its streams, and operators must not either.
// - Idempotency: a re-append of the stream's latest events (a retry) is answered with the
//   original result; after an expected-version conflict the whole stream is searched for
//   the first event id; with `any`/`stream_exists`, the last `idempotencyWindow` events
//   (default 256). The same id with other content is IdempotencyConflict. Unlike the SQL
//   adapter, an id is unique only within its stream: EventStoreDB indexes no event ids.
// - subscribeAll is the shared catch-up-then-live loop (events/subscribeAll.ts) over
//   readAll, woken by an EventStoreDB subscription to $all and by a timed poll.
import {
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  NotLeaderError,
  START,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamRecordedEvent,
  type AllStreamSubscription,
  type JSONType,
  type Position,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { canonicalJson } from '../canonical.ts';
import type { EventCatalog } from '../catalog.ts';
import type { AppendResult, ExpectedVersion, NewEvent, RecordedEvent } from '../envelope.ts';
import { EventMetadata, ExpectedVersionSchema, StreamId } from '../envelope.ts';
import { EventDecodeError, ExpectedVersionConflict, IdempotencyConflict, InvalidAppend, StoreUnavailable } from '../errors.ts';
import { chainHashEncoded, GENESIS_HASH } from '../hashChain.ts';
import { uuidv7 } from '../ids.ts';
import { AppendNotifier } from '../notifier.ts';
import type { EventStore, ReadAllOptions, ReadStreamOptions, SubscribeAllOptions, Subscription } from '../store.ts';
import { subscribeAll } from '../subscribeAll.ts';

export type EventStoreDbStoreOptions = {
  /** e.g. `esdb://127.0.0.1:2113?tls=false` (EVENTSTORE_CONNECTION_STRING). */
  connectionString: string;
  catalog: EventCatalog;
  /** Default `pantheon`: streams keep their names. Any other prefixes them with `<namespace>.`. */
  namespace?: string;
  now?: () => Date;
  /** Subscribers poll this often when no notification arrives. */
  pollIntervalMs?: number;
  /** How many of a stream's latest events a re-append with `any` is looked for among. */
  idempotencyWindow?: number;
};

/** What this adapter adds to each event's metadata in EventStoreDB. */
type Stamp = { namespace: string; schemaVersion: number; hash: string };
type StoredMetadata = EventMetadata & { recordedAt: string; pantheon: Stamp };

type Prepared = {
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  dataJson: string;
  metadata: EventMetadata & { recordedAt: string };
  metadataJson: string;
};

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_NAMESPACE = 'pantheon';
const ALL_PAGE = 1000;
const MAX_APPEND_ATTEMPTS = 50;

export async function openEventStoreDbStore(options: EventStoreDbStoreOptions): Promise<EventStore> {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  if (!/^[A-Za-z0-9_]{1,64}$/.test(namespace)) throw new InvalidAppend(`namespace ${JSON.stringify(namespace)} must be letters, digits or _`);
  let client: EventStoreDBClient;
  try {
    client = EventStoreDBClient.connectionString(options.connectionString);
  } catch (error) {
    throw new StoreUnavailable(`EVENTSTORE_CONNECTION_STRING is not a valid connection string: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const store = new EventStoreDbStore(client, options, namespace);
  // Fails fast (StoreUnavailable) when the server does not answer, and builds the index.
  await store.headPosition();
  return store;
}

const comparePositions = (a: Position, b: Position) => (a.commit === b.commit ? (a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1) : a.commit < b.commit ? -1 : 1);

/**
 * The n-th event of a namespace in $all ↔ its log position. Catch-up passes are serialized;
 * a caller asking for one while another runs gets the next pass, which starts after the
 * running one, so it sees every event committed before it asked.
 */
class PositionIndex {
  readonly #client: EventStoreDBClient;
  readonly #isOurs: (event: AllStreamRecordedEvent) => boolean;
  #commit = new BigUint64Array(1024);
  #prepare = new BigUint64Array(1024);
  #length = 0;
  /** The last $all position read (ours or not); undefined before the first pass. */
  #tail: Position | undefined;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  constructor(client: EventStoreDBClient, isOurs: (event: AllStreamRecordedEvent) => boolean) {
    this.#client = client;
    this.#isOurs = isOurs;
  }

  get length(): number {
    return this.#length;
  }

  /** The log position of the event numbered `ordinal` (1-based). */
  positionOf(ordinal: number): Position | undefined {
    if (ordinal < 1 || ordinal > this.#length) return undefined;
    return { commit: this.#commit[ordinal - 1]!, prepare: this.#prepare[ordinal - 1]! };
  }

  /** The number of the event at a log position; undefined if not (yet) indexed. */
  ordinalOf(position: Position): number | undefined {
    let low = 0;
    let high = this.#length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const order = comparePositions({ commit: this.#commit[mid]!, prepare: this.#prepare[mid]! }, position);
      if (order === 0) return mid + 1;
      if (order < 0) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }

  catchUp(): Promise<void> {
    if (!this.#running) {
      this.#running = this.#pass().finally(() => {
        this.#running = undefined;
      });
      return this.#running;
    }
    this.#queued ??= this.#running.catch(() => {}).then(() => {
      this.#queued = undefined;
      return this.catchUp();
    });
    return this.#queued;
  }

  async #pass(): Promise<void> {
    for (;;) {
      const from = this.#tail;
      let read = 0;
      for await (const resolved of this.#client.readAll({ fromPosition: from ?? START, maxCount: ALL_PAGE, direction: FORWARDS, resolveLinkTos: false })) {
        read++;
        const event = resolved.event;
        if (!event) continue;
        // Reads from a position include the event at it: the one indexed last time.
        if (from && comparePositions(event.position, from) <= 0) continue;
        this.#tail = event.position;
        if (this.#isOurs(event)) this.#push(event.position);
      }
      if (read < ALL_PAGE) return;
    }
  }

  #push(position: Position): void {
    if (this.#length === this.#commit.length) {
      const grow = (old: BigUint64Array) => {
        const next = new BigUint64Array(old.length * 2);
        next.set(old);
        return next;
      };
      this.#commit = grow(this.#commit);
      this.#prepare = grow(this.#prepare);
    }
    this.#commit[this.#length] = position.commit;
    this.#prepare[this.#length] = position.prepare;
    this.#length++;
  }
}

class EventStoreDbStore implements EventStore {
  readonly #client: EventStoreDBClient;
  readonly #catalog: EventCatalog;
  readonly #namespace: string;
  readonly #prefix: string;
  readonly #now: () => Date;
  readonly #pollIntervalMs: number;
  readonly #window: number;
  readonly #index: PositionIndex;
  readonly #notifier = new AppendNotifier();
  /** Appends to one stream from this process go one at a time (no conflicts among ourselves). */
  readonly #streamQueues = new Map<string, Promise<unknown>>();
  #live: AllStreamSubscription | undefined;
  #closed = false;

  constructor(client: EventStoreDBClient, options: EventStoreDbStoreOptions, namespace: string) {
    this.#client = client;
    this.#catalog = options.catalog;
    this.#namespace = namespace;
    this.#prefix = namespace === DEFAULT_NAMESPACE ? '' : `${namespace}.`;
    this.#now = options.now ?? (() => new Date());
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#window = options.idempotencyWindow ?? 256;
    this.#index = new PositionIndex(client, (event) => this.#isOurs(event));
  }

  // --- writing -------------------------------------------------------------------------

  append(streamId: string, expected: ExpectedVersion, events: readonly NewEvent[]): Promise<AppendResult> {
    try {
      if (this.#closed) throw new StoreUnavailable(`the store is closed; nothing was appended to ${streamId}`);
      const parsed = StreamId.safeParse(streamId);
      if (!parsed.success) throw new InvalidAppend(`stream id ${JSON.stringify(streamId)} is invalid: ${parsed.error.issues[0]?.message}`);
      const expectation = ExpectedVersionSchema.safeParse(expected);
      if (!expectation.success) throw new InvalidAppend(`expected version ${String(expected)} is not any, no_stream, stream_exists or an integer >= -1`);
      const prepared = this.#prepare(streamId, events);
      const previous = this.#streamQueues.get(streamId) ?? Promise.resolve();
      const result = previous.catch(() => {}).then(() => this.#appendNow(streamId, expected, prepared));
      this.#streamQueues.set(streamId, result);
      void result.finally(() => {
        if (this.#streamQueues.get(streamId) === result) this.#streamQueues.delete(streamId);
      }).catch(() => {});
      return result;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #appendNow(streamId: string, expected: ExpectedVersion, prepared: Prepared[]): Promise<AppendResult> {
    const name = this.#prefix + streamId;
    const ids = new Set(prepared.map((event) => event.id));
    for (let attempt = 1; ; attempt++) {
      const last = await this.#last(streamId);
      const version = last ? last.version : -1;
      if (prepared.length === 0) {
        if (!satisfies(expected, version)) throw new ExpectedVersionConflict(streamId, expected, version);
        return { streamId, nextExpectedVersion: version, positions: [], events: [] };
      }
      // A retry of the stream's latest append: the answer the store gave the first time.
      if (last && ids.has(last.id)) return this.#original(streamId, prepared, Math.max(0, last.version - prepared.length + 1), last.version);
      if (!satisfies(expected, version)) {
        const original = await this.#find(streamId, prepared, Number.POSITIVE_INFINITY);
        if (original) return original;
        throw new ExpectedVersionConflict(streamId, expected, version);
      }
      if (attempt === 1 && (expected === 'any' || expected === 'stream_exists') && version >= 0) {
        const original = await this.#find(streamId, prepared, this.#window);
        if (original) return original;
      }
      const recorded = this.#chain(streamId, prepared, version, last?.hash ?? GENESIS_HASH);
      try {
        const result = await this.#client.appendToStream(
          name,
          recorded.map((event, i) => jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata: this.#stored(prepared[i]!, event.hash) })),
          { expectedRevision: version === -1 ? NO_STREAM : BigInt(version) },
        );
        const stored = await this.#readRange(streamId, version + 1, recorded.length);
        if (stored.length !== recorded.length || stored.some((event, i) => event.id !== recorded[i]!.id)) {
          throw new StoreUnavailable(`EventStoreDB acknowledged the append to ${streamId} but does not return its events`);
        }
        this.#notifier.advance(stored.at(-1)!.position);
        return { streamId, nextExpectedVersion: Number(result.nextExpectedRevision), positions: stored.map((event) => event.position), events: stored.map((event) => this.#decode(event)) };
      } catch (error) {
        // Another process appended between our read and our write: look again.
        if (error instanceof WrongExpectedVersionError && attempt < MAX_APPEND_ATTEMPTS) continue;
        if (error instanceof WrongExpectedVersionError) throw new StoreUnavailable(`${streamId} is appended to faster than ${MAX_APPEND_ATTEMPTS} attempts could follow`, { cause: error });
        throw unavailable(error);
      }
    }
  }

  /** The events as they are stored, with the chain continued from `afterVersion`. */
  #chain(streamId: string, prepared: Prepared[], afterVersion: number, previousHash: string): Array<Prepared & { version: number; hash: string }> {
    let hash = previousHash;
    return prepared.map((event, i) => {
      const version = afterVersion + 1 + i;
      hash = chainHashEncoded(hash, { id: event.id, streamId, version, type: event.type, schemaVersion: event.schemaVersion, dataJson: event.dataJson, metadataJson: event.metadataJson });
      return { ...event, version, hash };
    });
  }

  #stored(event: Prepared, hash: string): StoredMetadata {
    return { ...event.metadata, pantheon: { namespace: this.#namespace, schemaVersion: event.schemaVersion, hash } };
  }

  /**
   * Looks for an earlier append of these events among the stream's last `window` events:
   * the original result if it is there with the same content, IdempotencyConflict if the
   * first id is there with other content, undefined if it is not there.
   */
  async #find(streamId: string, prepared: Prepared[], window: number): Promise<AppendResult | undefined> {
    const first = prepared[0]!.id;
    let seen = 0;
    for await (const event of this.#scan(streamId, BACKWARDS, END)) {
      if (event.id === first) return this.#original(streamId, prepared, Number(event.revision), Number(event.revision) + prepared.length - 1);
      if (++seen >= window) break;
    }
    return undefined;
  }

  async #original(streamId: string, prepared: Prepared[], fromVersion: number, toVersion: number): Promise<AppendResult> {
    const stored = await this.#readRange(streamId, fromVersion, toVersion - fromVersion + 1);
    const same = stored.length === prepared.length && stored.every((event, i) => sameContent(event, prepared[i]!));
    if (!same) {
      const clash = prepared.find((event) => stored.some((s) => s.id === event.id)) ?? prepared[0]!;
      throw new IdempotencyConflict(streamId, clash.id, 'the stored events differ from this append (type, data, metadata or order)');
    }
    return { streamId, nextExpectedVersion: stored.at(-1)!.version, positions: stored.map((event) => event.position), events: stored.map((event) => this.#decode(event)) };
  }

  /** Validates every event before anything is sent, so a bad one writes nothing. */
  #prepare(streamId: string, events: readonly NewEvent[]): Prepared[] {
    const recordedAt = this.#now().toISOString();
    const seen = new Set<string>();
    return events.map((event) => {
      const id = (event.id ?? uuidv7()).toLowerCase();
      const ref = { streamId, eventId: id };
      if (!uuid.test(id)) throw new InvalidAppend(`event id ${JSON.stringify(event.id)} in ${streamId} is not a UUID`);
      if (seen.has(id)) throw new InvalidAppend(`event id ${id} appears twice in one append to ${streamId}`);
      seen.add(id);
      const { schemaVersion, data } = this.#catalog.encode(event.type, event.data, ref);
      const parsed = EventMetadata.safeParse(event.metadata ?? {});
      if (!parsed.success) throw new EventDecodeError(ref, event.type, `metadata: ${parsed.error.message}`);
      const metadata = { ...parsed.data, recordedAt };
      return { id, type: event.type, schemaVersion, data, dataJson: canonicalJson(data), metadata, metadataJson: canonicalJson(metadata) };
    });
  }

  // --- reading -------------------------------------------------------------------------

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromVersion === undefined ? (backwards ? END : START) : BigInt(Math.max(0, options.fromVersion));
    if (backwards && options.fromVersion !== undefined && options.fromVersion < 0) return [];
    const out: RecordedEvent[] = [];
    for await (const event of this.#scan(streamId, backwards ? BACKWARDS : FORWARDS, from, options.limit)) out.push(await this.#toRecorded(event));
    return options.raw ? out : out.map((event) => this.#decode(event));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const from = Math.max(1, options.fromPosition ?? 1);
    const limit = options.limit ?? 1000;
    await this.#index.catchUp().catch((error: unknown) => {
      throw unavailable(error);
    });
    const head = this.#index.length;
    const start = this.#index.positionOf(from);
    if (!start || limit <= 0) return [];
    const out: RecordedEvent[] = [];
    let cursor = start;
    let ordinal = from;
    let skipCursor = false;
    while (out.length < limit && ordinal <= head) {
      let read = 0;
      try {
        for await (const resolved of this.#client.readAll({ fromPosition: cursor, maxCount: ALL_PAGE, direction: FORWARDS, resolveLinkTos: false })) {
          read++;
          const event = resolved.event;
          if (!event) continue;
          if (skipCursor && comparePositions(event.position, cursor) === 0) continue;
          cursor = event.position;
          if (!this.#isOurs(event)) continue;
          const expectedAt = this.#index.positionOf(ordinal);
          if (!expectedAt || comparePositions(expectedAt, event.position) !== 0) {
            throw new StoreUnavailable(`$all changed under the position index at ${ordinal} (a scavenge removed events of namespace ${this.#namespace}?)`);
          }
          out.push(this.#fromEsdb(event, ordinal));
          ordinal++;
          if (out.length >= limit || ordinal > head) break;
        }
      } catch (error) {
        throw unavailable(error);
      }
      if (read < ALL_PAGE) break;
      skipCursor = true;
    }
    return options.raw ? out : out.map((event) => this.#decode(event));
  }

  subscribeAll(options: SubscribeAllOptions = {}): Subscription {
    this.#startLive();
    return subscribeAll({ readAll: (o) => this.readAll(o), notifier: this.#notifier, pollIntervalMs: this.#pollIntervalMs }, options);
  }

  async streamVersion(streamId: string): Promise<number> {
    return (await this.#last(streamId))?.version ?? -1;
  }

  async headPosition(): Promise<number> {
    await this.#index.catchUp().catch((error: unknown) => {
      throw unavailable(error);
    });
    this.#notifier.advance(this.#index.length);
    return this.#index.length;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#streamQueues.values()]);
    await this.#live?.unsubscribe().catch(() => {});
    await this.#client.dispose();
  }

  /** Wakes live subscribers when $all grows, whoever appended (a poll backs it up). */
  #startLive(): void {
    if (this.#live || this.#closed) return;
    const live = this.#client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents(), resolveLinkTos: false });
    this.#live = live;
    live.on('data', () => {
      void this.headPosition().catch(() => {});
    });
    live.on('error', () => {
      // Dropped: the poll keeps subscribers going; the next subscribeAll resubscribes.
      if (this.#live === live) this.#live = undefined;
    });
  }

  // --- EventStoreDB records ------------------------------------------------------------

  #isOurs(event: EsdbRecordedEvent): boolean {
    if (!event.isJson || !event.streamId.startsWith(this.#prefix) || event.streamId.startsWith('$')) return false;
    const stamp = stampOf(event.metadata);
    return stamp !== undefined && stamp.namespace === this.#namespace;
  }

  /** A stream's events in one direction; an unknown stream reads as empty. */
  async *#scan(streamId: string, direction: typeof FORWARDS | typeof BACKWARDS, from: bigint | typeof START | typeof END, limit?: number): AsyncGenerator<EsdbRecordedEvent> {
    if (limit !== undefined && limit <= 0) return;
    try {
      const reads = this.#client.readStream(this.#prefix + streamId, { direction, fromRevision: from, resolveLinkTos: false, ...(limit === undefined ? {} : { maxCount: BigInt(limit) }) });
      for await (const resolved of reads) if (resolved.event) yield resolved.event as EsdbRecordedEvent;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw unavailable(error);
    }
  }

  async #last(streamId: string): Promise<{ version: number; id: string; hash: string } | undefined> {
    for await (const event of this.#scan(streamId, BACKWARDS, END, 1)) {
      return { version: Number(event.revision), id: event.id, hash: stampOf(event.metadata)?.hash ?? '' };
    }
    return undefined;
  }

  async #readRange(streamId: string, fromVersion: number, count: number): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    for await (const event of this.#scan(streamId, FORWARDS, BigInt(fromVersion), count)) out.push(await this.#toRecorded(event));
    return out;
  }

  /** A stream event with its global position, from the index (caught up if it is newer). */
  async #toRecorded(event: EsdbRecordedEvent): Promise<RecordedEvent> {
    const position = event.position;
    if (!position || (position.commit === 0n && position.prepare === 0n && event.revision > 0n)) {
      throw new StoreUnavailable('this EventStoreDB server does not report positions on stream reads (it needs 21.10 or later)');
    }
    let ordinal = this.#index.ordinalOf(position);
    if (ordinal === undefined) {
      await this.#index.catchUp().catch((error: unknown) => {
        throw unavailable(error);
      });
      ordinal = this.#index.ordinalOf(position);
    }
    const ref = { streamId: event.streamId.slice(this.#prefix.length), version: Number(event.revision), eventId: event.id };
    if (ordinal === undefined) throw new EventDecodeError(ref, event.type, `not written by this store (no pantheon metadata for namespace ${this.#namespace})`);
    return this.#fromEsdb(event, ordinal);
  }

  #fromEsdb(event: EsdbRecordedEvent, position: number): RecordedEvent {
    const streamId = event.streamId.slice(this.#prefix.length);
    const stored = event.metadata as StoredMetadata;
    const stamp = stampOf(stored);
    const ref = { streamId, version: Number(event.revision), eventId: event.id };
    if (!stamp) throw new EventDecodeError(ref, event.type, 'not written by Pantheon (no pantheon metadata)');
    const { pantheon: _stamp, ...metadata } = stored;
    return { id: event.id, streamId, version: Number(event.revision), position, type: event.type, schemaVersion: stamp.schemaVersion, data: event.data, metadata, hash: stamp.hash };
  }

  #decode(event: RecordedEvent): RecordedEvent {
    const ref = { streamId: event.streamId, version: event.version, eventId: event.id };
    return { ...event, data: this.#catalog.decode(event.type, event.schemaVersion, event.data, ref) };
  }
}

function stampOf(metadata: unknown): Stamp | undefined {
  if (metadata === null || typeof metadata !== 'object' || metadata instanceof Uint8Array) return undefined;
  const stamp = (metadata as { pantheon?: unknown }).pantheon;
  if (stamp === null || typeof stamp !== 'object') return undefined;
  const { namespace, schemaVersion, hash } = stamp as Partial<Stamp>;
  return typeof namespace === 'string' && typeof schemaVersion === 'number' && typeof hash === 'string' ? { namespace, schemaVersion, hash } : undefined;
}

/** The same event: id, type, data and metadata (all but the time it was recorded). */
function sameContent(stored: RecordedEvent, event: Prepared): boolean {
  const { recordedAt: _a, ...storedMetadata } = stored.metadata;
  const { recordedAt: _b, ...metadata } = event.metadata;
  return stored.id === event.id && stored.type === event.type && stored.schemaVersion === event.schemaVersion
    && canonicalJson(stored.data) === event.dataJson && canonicalJson(storedMetadata) === canonicalJson(metadata);
}

function satisfies(expected: ExpectedVersion, version: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return version === -1;
  if (expected === 'stream_exists') return version >= 0;
  return version === expected;
}

/** Connection-level failures are StoreUnavailable (the caller may retry); others pass through. */
function unavailable(error: unknown): unknown {
  if (error instanceof UnavailableError || error instanceof DeadlineExceededError || error instanceof CancelledError || error instanceof TimeoutError || error instanceof NotLeaderError) {
    return new StoreUnavailable(`EventStoreDB: ${error.message}`, { cause: error });
  }
  return error;
}
