// Group commit: appends to many streams, waiting at the same time, are written by one
// statement. Each append keeps its own expected-version check (the unique index on
// (stream_id, first_version)); if one fails it, the statement writes nothing and every
// append is looked at again: the conflicting one is refused, the others go out in the
// next group, so one stream's conflict never fails its neighbours.
import { canonicalJson } from '../canonical.ts';
import type { AppendResult, ExpectedVersion, RecordedEvent } from '../envelope.ts';
import { ExpectedVersionConflict, IdempotencyConflict, StoreUnavailable } from '../errors.ts';
import { chainHashEncoded, GENESIS_HASH } from '../hashChain.ts';
import type { HeadCache } from '../headCache.ts';
import type { SqlExecutor } from './executor.ts';
import type { CommitInput, CommitRow, Head, StoreSql, StoredEvent } from './queries.ts';
import { commitEvents } from './rows.ts';

/** An event validated, stamped and canonically encoded, waiting for its version, position and hash. */
export type PreparedEvent = Omit<StoredEvent, 'hash'> & { dataJson: string; metadataJson: string };

export type PendingAppend = {
  streamId: string;
  expected: ExpectedVersion;
  events: PreparedEvent[];
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
};

export type GroupCommitOptions = {
  db: SqlExecutor;
  sql: StoreSql;
  heads: HeadCache;
  /** NOTIFY channel for other processes' subscribers. */
  channel: string;
  onCommitted: (lastPosition: number) => void;
  maxGroupEvents?: number;
  maxConcurrency?: number;
};

const NO_STREAM: Head = { version: -1, hash: GENESIS_HASH };

/** SQLSTATE of an append statement that aborted itself because a commit hit a unique index. */
const ABORTED_APPEND = 'PA001';

/** The group's statement wrote nothing because some commits hit a unique index. */
class SkippedCommits extends Error {
  constructor() {
    super('some commits hit a unique index');
  }
}

export class GroupCommitter {
  readonly #options: Required<GroupCommitOptions>;
  #queue: PendingAppend[] = [];
  readonly #inFlightStreams = new Set<string>();
  #inFlightGroups = 0;
  #idle: Array<() => void> = [];

  constructor(options: GroupCommitOptions) {
    this.#options = { maxGroupEvents: 20_000, maxConcurrency: options.db.maxConcurrency, ...options };
  }

  submit(append: PendingAppend): void {
    this.#queue.push(append);
    this.#pump();
  }

  /** Resolves once every submitted append has been settled. */
  drain(): Promise<void> {
    if (this.#inFlightGroups === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    while (this.#inFlightGroups < this.#options.maxConcurrency && this.#queue.length > 0) {
      const group = this.#takeGroup();
      if (group.length === 0) return;
      this.#inFlightGroups++;
      for (const append of group) this.#inFlightStreams.add(append.streamId);
      this.#write(group)
        .catch((error: unknown) => {
          for (const append of group) append.reject(error);
        })
        .finally(() => {
          this.#inFlightGroups--;
          for (const append of group) this.#inFlightStreams.delete(append.streamId);
          this.#pump();
          if (this.#inFlightGroups === 0 && this.#queue.length === 0) for (const resolve of this.#idle.splice(0)) resolve();
        });
    }
  }

  /** Takes queued appends in order, at most one per stream and none for a stream already being written. */
  #takeGroup(): PendingAppend[] {
    const group: PendingAppend[] = [];
    const rest: PendingAppend[] = [];
    const streams = new Set<string>();
    let events = 0;
    for (const append of this.#queue) {
      const fits = events === 0 || events + append.events.length <= this.#options.maxGroupEvents;
      if (fits && !streams.has(append.streamId) && !this.#inFlightStreams.has(append.streamId)) {
        group.push(append);
        streams.add(append.streamId);
        events += append.events.length;
      } else {
        rest.push(append);
      }
    }
    this.#queue = rest;
    return group;
  }

  async #write(group: PendingAppend[]): Promise<void> {
    const { db, sql, heads } = this.#options;
    const unknown = group.filter((append) => heads.get(append.streamId) === undefined).map((append) => append.streamId);
    if (unknown.length > 0) {
      const found = await sql.heads(db, unknown);
      for (const streamId of unknown) heads.set(streamId, found.get(streamId) ?? NO_STREAM);
    }

    const doubtful: PendingAppend[] = [];
    const planned = group.flatMap((append) => {
      const head = heads.get(append.streamId) ?? NO_STREAM;
      if (satisfies(append.expected, head.version)) return [{ append, head }];
      doubtful.push(append);
      return [];
    });

    if (planned.length > 0) {
      const commits = planned.map(({ append, head }) => buildCommit(append, head));
      try {
        const positions = await this.#insert(commits.map((c) => c.input));
        planned.forEach(({ append }, i) => {
          const commit = commits[i]!;
          heads.set(append.streamId, { version: commit.lastVersion, hash: commit.input.lastHash });
          append.resolve(commitResult(append.streamId, commit.stored, commit.input.firstVersion, positions.get(i + 1)!));
        });
        this.#options.onCommitted(Math.max(...positions.values()));
      } catch (error) {
        if (error instanceof SkippedCommits) {
          // Which one clashed is not known: each is looked at again, and those whose
          // expectation still holds go back to the queue.
          doubtful.push(...planned.map(({ append }) => append));
        } else {
          const reason = error instanceof Error ? error.message : String(error);
          for (const { append } of planned) {
            heads.delete(append.streamId);
            append.reject(new StoreUnavailable(`append to ${append.streamId} failed: ${reason}`, { cause: error }));
          }
        }
      }
    }
    if (doubtful.length > 0) await this.#settleDoubtful(doubtful);
  }

  /** One statement: the commits, their positions and a NOTIFY, or (SkippedCommits) nothing at all. */
  async #insert(inputs: CommitInput[]): Promise<Map<number, number>> {
    const { db, sql, channel } = this.#options;
    const total = inputs.reduce((sum, c) => sum + c.eventCount, 0);
    try {
      return await sql.insertCommits(db, inputs, total, channel);
    } catch (error) {
      if (error !== null && typeof error === 'object' && 'code' in error && error.code === ABORTED_APPEND) throw new SkippedCommits();
      throw error;
    }
  }

  /**
   * Appends whose expected version did not hold against what we knew. Each is either a
   * re-append of events already stored (answered with the original result), a real
   * conflict, or — when our knowledge of the head was stale — worth another try.
   */
  async #settleDoubtful(appends: PendingAppend[]): Promise<void> {
    const { db, sql, heads } = this.#options;
    const originals = await sql.commitsByFirstEventId(db, appends.map((a) => a.events[0]!.id));
    const byFirstId = new Map(originals.map((row) => [commitEvents(row)[0]!.id, row]));
    const fresh = await sql.heads(db, appends.map((a) => a.streamId));
    for (const append of appends) {
      const head = fresh.get(append.streamId) ?? NO_STREAM;
      heads.set(append.streamId, head);
      const original = byFirstId.get(append.events[0]!.id);
      if (original) {
        settleReappend(append, original);
      } else if (satisfies(append.expected, head.version)) {
        this.#queue.unshift(append);
      } else {
        append.reject(new ExpectedVersionConflict(append.streamId, append.expected, head.version));
      }
    }
  }
}

export function satisfies(expected: ExpectedVersion, version: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return version === -1;
    case 'stream_exists':
      return version >= 0;
    default:
      return version === expected;
  }
}

/** Chains the events onto the stream's head and encodes the commit row (canonical JSON, written once). */
function buildCommit(append: PendingAppend, head: Head) {
  let previous = head.hash;
  const firstVersion = head.version + 1;
  const stored: StoredEvent[] = [];
  const encoded: string[] = [];
  append.events.forEach((event, i) => {
    const hash = chainHashEncoded(previous, { ...event, streamId: append.streamId, version: firstVersion + i });
    previous = hash;
    const { dataJson, metadataJson, ...plain } = event;
    stored.push({ ...plain, hash });
    encoded.push(`{"data":${dataJson},"hash":"${hash}","id":"${event.id}","metadata":${metadataJson},"schemaVersion":${event.schemaVersion},"type":${JSON.stringify(event.type)}}`);
  });
  const input: CommitInput = {
    streamId: append.streamId,
    firstVersion,
    eventCount: stored.length,
    firstEventId: stored[0]!.id,
    lastHash: previous,
    eventsJson: `[${encoded.join(',')}]`,
  };
  return { input, stored, lastVersion: firstVersion + stored.length - 1 };
}

function commitResult(streamId: string, stored: StoredEvent[], firstVersion: number, lastPosition: number): AppendResult {
  const firstPosition = lastPosition - stored.length + 1;
  const events: RecordedEvent[] = stored.map((event, i) => ({
    ...event,
    streamId,
    version: firstVersion + i,
    position: firstPosition + i,
  }));
  return {
    streamId,
    nextExpectedVersion: firstVersion + stored.length - 1,
    positions: events.map((event) => event.position),
    events,
  };
}

/** A re-append returns the original result only if it is the same append, event for event. */
function settleReappend(append: PendingAppend, original: CommitRow): void {
  const stored = commitEvents(original);
  const mismatch = original.stream_id !== append.streamId
    ? `it is in stream ${original.stream_id}`
    : stored.length !== append.events.length
      ? `the original append held ${stored.length} events, this one ${append.events.length}`
      : append.events.findIndex((event, i) => !sameContent(event, stored[i]!)) >= 0
        ? 'with other content'
        : undefined;
  if (mismatch) {
    append.reject(new IdempotencyConflict(append.streamId, append.events[0]!.id, mismatch));
    return;
  }
  append.resolve(commitResult(append.streamId, stored, Number(original.first_version), Number(original.last_position)));
}

function sameContent(event: PreparedEvent, stored: StoredEvent): boolean {
  return event.id === stored.id && event.type === stored.type && canonicalJson(event.data) === canonicalJson(stored.data);
}
