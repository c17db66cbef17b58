// The SQL of the event store, one named function per statement, always parameterized.
// Schema names are identifiers and are quoted once by the caller (see sqlEventStore.ts).
import type { SqlQueryable } from './executor.ts';

/** The stored form of one event inside a commit's JSON array. */
export type StoredEvent = {
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown> & { recordedAt: string };
  hash: string;
};

export type CommitRow = {
  last_position: string | number;
  stream_id: string;
  first_version: string | number;
  event_count: number;
  events: StoredEvent[] | string;
};

export type Head = { version: number; hash: string };

export type CommitInput = {
  streamId: string;
  firstVersion: number;
  eventCount: number;
  firstEventId: string;
  lastHash: string;
  /** JSON text of the StoredEvent array. */
  eventsJson: string;
};

export function sqlFor(schema: string) {
  const commits = `${schema}.commits`;
  const counter = `${schema}.global_position`;
  const columns = 'last_position, stream_id, first_version, event_count, events';

  return {
    /** Last version and hash of each stream (absent streams are left out). */
    async heads(db: SqlQueryable, streamIds: string[]): Promise<Map<string, Head>> {
      const rows = await db.query<{ stream_id: string; version: string | number; last_hash: string }>(
        `SELECT s.id AS stream_id, h.version, h.last_hash
           FROM unnest($1::text[]) AS s(id)
           JOIN LATERAL (
             SELECT first_version + event_count - 1 AS version, last_hash
               FROM ${commits} c WHERE c.stream_id = s.id
              ORDER BY first_version DESC LIMIT 1
           ) h ON true`,
        [streamIds],
      );
      return new Map(rows.map((row) => [row.stream_id, { version: Number(row.version), hash: row.last_hash }]));
    },

    /**
     * Appends a group of commits in one statement, which is its own transaction: takes the
     * positions (the counter's row lock is taken before any commit row is written, and held
     * until the statement commits), inserts the commits, and NOTIFYs subscribers. If any
     * commit hits a unique index (a stale expected version, a re-append) the statement
     * aborts with SQLSTATE PA001 and writes nothing, so positions stay dense.
     */
    async insertCommits(db: SqlQueryable, inputs: CommitInput[], totalEvents: number, channel: string): Promise<Map<number, number>> {
      const rows = await db.query<{ ord: string | number | null; last_position: string | number | null }>(
        `WITH alloc AS (
           UPDATE ${counter} SET last = last + $1::bigint RETURNING last - $1::bigint AS base
         ), input AS (
           SELECT * FROM unnest(
               string_to_array($2::text, chr(30)), $3::bigint[], $4::int[],
               string_to_array($5::text, chr(30))::uuid[], string_to_array($6::text, chr(30)),
               $7::bigint[], string_to_array($8::text, chr(30)))
             WITH ORDINALITY AS t(stream_id, first_version, event_count, first_event_id, last_hash, end_offset, events, ord)
         ), inserted AS (
           INSERT INTO ${commits} (last_position, stream_id, first_version, event_count, first_event_id, last_hash, events)
           SELECT alloc.base + input.end_offset, input.stream_id, input.first_version, input.event_count,
                  input.first_event_id, input.last_hash, input.events::json
             FROM input CROSS JOIN alloc
           ON CONFLICT DO NOTHING
           RETURNING last_position, first_event_id
         ), outcome AS (
           SELECT count(*) AS written, max(last_position) AS head FROM inserted
         ), verdict AS (
           -- One row whatever was written, so the check runs even when nothing was.
           SELECT CASE WHEN written < $9 THEN ${schema}.abort_append($9 - written) END AS aborted,
                  pg_notify($10, head::text) AS notified
             FROM outcome
         )
         SELECT input.ord, inserted.last_position
           FROM verdict
           LEFT JOIN (inserted JOIN input USING (first_event_id)) ON true`,
        [...groupParameters(inputs, totalEvents), inputs.length, channel],
      );
      return new Map(rows.filter((row) => row.ord !== null).map((row) => [Number(row.ord), Number(row.last_position)]));
    },

    /** The commits holding these first event ids (for idempotent re-appends). */
    async commitsByFirstEventId(db: SqlQueryable, ids: string[]): Promise<CommitRow[]> {
      return db.query<CommitRow>(`SELECT ${columns} FROM ${commits} WHERE first_event_id = ANY($1::uuid[])`, [ids]);
    },

    /** Commits of a stream holding versions >= fromVersion, oldest first. */
    async streamForwards(db: SqlQueryable, streamId: string, fromVersion: number, maxCommits: number): Promise<CommitRow[]> {
      return db.query<CommitRow>(
        `SELECT ${columns} FROM ${commits}
          WHERE stream_id = $1
            AND first_version >= (SELECT coalesce(max(first_version), 0) FROM ${commits}
                                   WHERE stream_id = $1 AND first_version <= $2)
          ORDER BY first_version LIMIT $3`,
        [streamId, fromVersion, maxCommits],
      );
    },

    /** Commits of a stream holding versions <= fromVersion, newest first. */
    async streamBackwards(db: SqlQueryable, streamId: string, fromVersion: number, maxCommits: number): Promise<CommitRow[]> {
      return db.query<CommitRow>(
        `SELECT ${columns} FROM ${commits}
          WHERE stream_id = $1 AND first_version <= $2
          ORDER BY first_version DESC LIMIT $3`,
        [streamId, fromVersion, maxCommits],
      );
    },

    /** Commits holding global positions >= fromPosition, in global order. */
    async all(db: SqlQueryable, fromPosition: number, maxCommits: number): Promise<CommitRow[]> {
      return db.query<CommitRow>(
        `SELECT ${columns} FROM ${commits} WHERE last_position >= $1 ORDER BY last_position LIMIT $2`,
        [fromPosition, maxCommits],
      );
    },

    async headPosition(db: SqlQueryable): Promise<number> {
      const rows = await db.query<{ last: string | number }>(`SELECT coalesce(max(last_position), 0) AS last FROM ${commits}`);
      return Number(rows[0]?.last ?? 0);
    },
  };
}

export type StoreSql = ReturnType<typeof sqlFor>;

/**
 * The group's columns as parameters. Text columns travel joined by the record separator
 * (U+001E), which stream ids, UUIDs, hex hashes and JSON text never contain raw: the
 * server splits them without the quoting and escaping that array literals would need.
 * `end_offset` is the offset of each commit's last event from the group's base position.
 */
function groupParameters(inputs: CommitInput[], totalEvents: number): unknown[] {
  const SEPARATOR = '\x1e';
  let offset = 0;
  return [
    totalEvents,
    inputs.map((c) => c.streamId).join(SEPARATOR),
    inputs.map((c) => c.firstVersion),
    inputs.map((c) => c.eventCount),
    inputs.map((c) => c.firstEventId).join(SEPARATOR),
    inputs.map((c) => c.lastHash).join(SEPARATOR),
    inputs.map((c) => (offset += c.eventCount)),
    inputs.map((c) => c.eventsJson).join(SEPARATOR),
  ];
}
