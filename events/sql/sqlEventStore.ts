// The EventStore on PostgreSQL or PGlite (both through SqlExecutor): validation and
// stamping on append, group commit for the write, decoding on read.
import pg from 'pg';
import type { EventCatalog } from '../catalog.ts';
import type { AppendResult, ExpectedVersion, NewEvent, RecordedEvent } from '../envelope.ts';
import { EventMetadata, ExpectedVersionSchema, StreamId } from '../envelope.ts';
import { EventDecodeError, ExpectedVersionConflict, InvalidAppend, StoreUnavailable } from '../errors.ts';
import { canonicalJson } from '../canonical.ts';
import { HeadCache } from '../headCache.ts';
import { uuidv7 } from '../ids.ts';
import { AppendNotifier } from '../notifier.ts';
import type { EventStore, ReadAllOptions, ReadStreamOptions, SubscribeAllOptions, Subscription } from '../store.ts';
import { subscribeAll } from '../subscribeAll.ts';
import type { SqlExecutor } from './executor.ts';
import { GroupCommitter, satisfies } from './groupCommit.ts';
import type { PreparedEvent } from './groupCommit.ts';
import { migrate } from './migrations.ts';
import { sqlFor } from './queries.ts';
import type { CommitRow } from './queries.ts';
import { RecentEvents } from './recentEvents.ts';
import { rawEvents } from './rows.ts';

export type SqlEventStoreOptions = {
  db: SqlExecutor;
  catalog: EventCatalog;
  /** PostgreSQL schema holding the tables; one per test file keeps tests apart. */
  schema?: string;
  /** Wall clock for `recordedAt`; a port so tests can fix it. */
  now?: () => Date;
  /** Subscribers poll this often when no notification arrives. */
  pollIntervalMs?: number;
  maxGroupEvents?: number;
  maxConcurrency?: number;
};

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COMMITS_PER_READ = 500;

export async function openSqlEventStore(options: SqlEventStoreOptions): Promise<EventStore> {
  const schema = options.schema ?? 'pantheon';
  await migrate(options.db, schema);
  const store = new SqlEventStore(options, schema);
  await store.start();
  return store;
}

class SqlEventStore implements EventStore {
  readonly #db: SqlExecutor;
  readonly #catalog: EventCatalog;
  readonly #sql: ReturnType<typeof sqlFor>;
  readonly #now: () => Date;
  readonly #notifier = new AppendNotifier();
  readonly #recent = new RecentEvents();
  readonly #channel: string;
  readonly #pollIntervalMs: number;
  readonly #writer: GroupCommitter;
  readonly #heads = new HeadCache();
  #stopListening: (() => Promise<void>) | undefined;
  #closed = false;

  constructor(options: SqlEventStoreOptions, schema: string) {
    this.#db = options.db;
    this.#catalog = options.catalog;
    this.#sql = sqlFor(pg.escapeIdentifier(schema));
    this.#now = options.now ?? (() => new Date());
    this.#channel = `${schema}_appended`;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#writer = new GroupCommitter({
      db: this.#db,
      sql: this.#sql,
      heads: this.#heads,
      channel: this.#channel,
      onCommitted: (position) => this.#notifier.advance(position),
      ...(options.maxGroupEvents === undefined ? {} : { maxGroupEvents: options.maxGroupEvents }),
      ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
    });
  }

  async start(): Promise<void> {
    this.#notifier.advance(await this.#sql.headPosition(this.#db));
    this.#stopListening = await this.#db.listen(this.#channel, (payload) => {
      // An empty payload means the listener (re)connected: look the head up instead.
      if (payload === '') {
        void this.#sql.headPosition(this.#db).then((head) => this.#notifier.advance(head), () => undefined);
        return;
      }
      const position = Number(payload);
      if (Number.isSafeInteger(position)) this.#notifier.advance(position);
    });
  }

  append(streamId: string, expected: ExpectedVersion, events: readonly NewEvent[]): Promise<AppendResult> {
    try {
      if (this.#closed) throw new StoreUnavailable(`the store is closed; nothing was appended to ${streamId}`);
      checkStreamId(streamId);
      const expectation = ExpectedVersionSchema.safeParse(expected);
      if (!expectation.success) throw new InvalidAppend(`expected version ${String(expected)} is not any, no_stream, stream_exists or an integer >= -1`);
      if (events.length === 0) return this.#appendNothing(streamId, expected);
      const prepared = this.#prepare(streamId, events);
      return new Promise((resolve, reject) => this.#writer.submit({ streamId, expected, events: prepared, resolve, reject }));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    let cursor = options.fromVersion ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const out: RecordedEvent[] = [];
    while (out.length < limit) {
      const rows = backwards
        ? await this.#sql.streamBackwards(this.#db, streamId, cursor, COMMITS_PER_READ)
        : await this.#sql.streamForwards(this.#db, streamId, cursor, COMMITS_PER_READ);
      for (const row of rows) {
        const events = rawEvents(row);
        if (backwards) events.reverse();
        for (const event of events) {
          const inRange = backwards ? event.version <= cursor : event.version >= cursor;
          if (inRange && out.length < limit) out.push(event);
        }
      }
      if (rows.length < COMMITS_PER_READ) break;
      const last = out.at(-1);
      if (!last) break;
      cursor = backwards ? last.version - 1 : last.version + 1;
      if (cursor < 0) break;
    }
    return options.raw ? out : out.map((event) => this.#decode(event));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const from = Math.max(1, options.fromPosition ?? 1);
    const limit = options.limit ?? 1000;
    if (options.raw) return this.#readAllRaw(from, limit);
    return this.#recent.read(from, limit, async (start, count) => (await this.#readAllRaw(start, count)).map((event) => this.#decode(event)));
  }

  async #readAllRaw(from: number, limit: number): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    let cursor = from;
    while (out.length < limit) {
      // A commit holds at least one event, so `limit` commits always cover `limit` events.
      const rows: CommitRow[] = await this.#sql.all(this.#db, cursor, Math.min(limit - out.length, COMMITS_PER_READ));
      for (const row of rows) {
        for (const event of rawEvents(row)) {
          if (event.position >= cursor && out.length < limit) out.push(event);
        }
      }
      if (rows.length === 0 || out.length === 0) break;
      cursor = out.at(-1)!.position + 1;
      if (rows.length < COMMITS_PER_READ) break;
    }
    return out;
  }


  subscribeAll(options: SubscribeAllOptions = {}): Subscription {
    return subscribeAll(
      { readAll: (o) => this.readAll(o), notifier: this.#notifier, pollIntervalMs: this.#pollIntervalMs },
      options,
    );
  }

  async streamVersion(streamId: string): Promise<number> {
    const heads = await this.#sql.heads(this.#db, [streamId]);
    return heads.get(streamId)?.version ?? -1;
  }

  headPosition(): Promise<number> {
    return this.#sql.headPosition(this.#db);
  }

  /** Stops taking appends, waits for those already submitted, then stops listening. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#writer.drain();
    await this.#stopListening?.();
  }

  /** Validates every event before anything is queued, so a bad one writes nothing. */
  #prepare(streamId: string, events: readonly NewEvent[]): PreparedEvent[] {
    const recordedAt = this.#now().toISOString();
    const seen = new Set<string>();
    // The events of an append mostly share their metadata (a room tick's batch differs
    // only in actor): validate and encode each distinct one once.
    const bare = { recordedAt };
    const encoded = new Map<string, { metadata: PreparedEvent['metadata']; metadataJson: string }>();
    const stamp = (ref: { streamId: string; eventId: string }, type: string, raw: NewEvent['metadata']) => {
      const key = raw === undefined ? '' : JSON.stringify(raw);
      let hit = encoded.get(key);
      if (!hit) {
        const parsed = EventMetadata.safeParse(raw ?? {});
        if (!parsed.success) throw new EventDecodeError(ref, type, `metadata: ${parsed.error.message}`);
        const metadata = raw === undefined ? bare : { ...parsed.data, recordedAt };
        hit = { metadata, metadataJson: canonicalJson(metadata) };
        encoded.set(key, hit);
      }
      return hit;
    };
    return events.map((event) => {
      const id = event.id ?? uuidv7();
      const ref = { streamId, eventId: id };
      if (!uuid.test(id)) throw new InvalidAppend(`event id ${JSON.stringify(id)} in ${streamId} is not a UUID`);
      if (seen.has(id)) throw new InvalidAppend(`event id ${id} appears twice in one append to ${streamId}`);
      seen.add(id);
      const { schemaVersion, data } = this.#catalog.encode(event.type, event.data, ref);
      return { id: id.toLowerCase(), type: event.type, schemaVersion, data, dataJson: canonicalJson(data), ...stamp(ref, event.type, event.metadata) };
    });
  }

  /** An empty append writes nothing but still answers whether the expectation holds. */
  async #appendNothing(streamId: string, expected: ExpectedVersion): Promise<AppendResult> {
    const version = await this.streamVersion(streamId);
    if (!satisfies(expected, version)) throw new ExpectedVersionConflict(streamId, expected, version);
    return { streamId, nextExpectedVersion: version, positions: [], events: [] };
  }

  #decode(event: RecordedEvent): RecordedEvent {
    const ref = { streamId: event.streamId, version: event.version, eventId: event.id };
    return { ...event, data: this.#catalog.decode(event.type, event.schemaVersion, event.data, ref) };
  }
}

function checkStreamId(streamId: string): void {
  const parsed = StreamId.safeParse(streamId);
  if (!parsed.success) throw new InvalidAppend(`stream id ${JSON.stringify(streamId)} is invalid: ${parsed.error.issues[0]?.message}`);
}
