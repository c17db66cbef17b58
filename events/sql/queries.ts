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
     * Inserts a group of commits and hands them positions in one statement. The counter
     * row lock is taken before any commit row is written, and held until COMMIT.
     * Commits that hit a unique index (a stale expected version, a re-append) are skipped;
     * the caller sees which by the returned ordinals.
     */
    async insertCommits(db: SqlQueryable, inputs: CommitInput[], totalEvents: number): Promise<Array<{ ord: number; lastPosition: number }>> {
      const rows = await db.query<{ ord: string | number; last_position: string | number }>(
        `WITH alloc AS (
           UPDATE ${counter} SET last = last + $1::bigint RETURNING last - $1::bigint AS base
         ), input AS (
           SELECT * FROM json_to_recordset($2::json)
             AS t(k int, s text, v bigint, n int, i uuid, h text, o bigint, e json)
         ), inserted AS (
           INSERT INTO ${commits} (last_position, stream_id, first_version, event_count, first_event_id, last_hash, events)
           SELECT alloc.base + input.o, input.s, input.v, input.n, input.i, input.h, input.e
             FROM input CROSS JOIN alloc
           ON CONFLICT DO NOTHING
           RETURNING last_position, first_event_id
         )
         SELECT input.k AS ord, inserted.last_position
           FROM inserted JOIN input ON input.i = inserted.first_event_id`,
        [totalEvents, groupJson(inputs)],
      );
      return rows.map((row) => ({ ord: Number(row.ord), lastPosition: Number(row.last_position) }));
    },

    async notify(db: SqlQueryable, channel: string, lastPosition: number): Promise<void> {
      await db.query('SELECT pg_notify($1, $2)', [channel, String(lastPosition)]);
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
 * The group as one JSON parameter, assembled around the commits' already-encoded event
 * arrays: the server parses it once, and nothing is escaped twice on the way. `o` is the
 * offset of the commit's last event from the group's base position; `k` its 1-based ordinal.
 */
function groupJson(inputs: CommitInput[]): string {
  let offset = 0;
  const parts = inputs.map((c, k) => {
    offset += c.eventCount;
    return `{"k":${k + 1},"s":${JSON.stringify(c.streamId)},"v":${c.firstVersion},"n":${c.eventCount},"i":"${c.firstEventId}","h":"${c.lastHash}","o":${offset},"e":${c.eventsJson}}`;
  });
  return `[${parts.join(',')}]`;
}
