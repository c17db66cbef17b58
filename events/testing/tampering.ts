// Test support: what a forger with write access to PostgreSQL does to a stored stream,
// straight on the commits table (one row per append; its `events` JSON array holds the
// append's events in version order). Edits, deletions and insertions leave the hash chain
// broken; `forgeWithValidChain` rewrites the chain from the forged event on, as a forger
// who knows the hashing would, so only a re-simulation can catch it.
import pg from 'pg';
import { chainHash } from '../hashChain.ts';
import type { SqlQueryable } from '../sql/executor.ts';
import type { StoredEvent } from '../sql/queries.ts';

type Row = { first_version: string | number; event_count: number; events: StoredEvent[] | string; last_hash: string };

export type Forger = {
  /** Changes the data of the event at `version` in place (its stored hash is left as it was). */
  edit(streamId: string, version: number, change: (data: Record<string, unknown>) => void): Promise<void>;
  /** Removes the event at `version` from its row (the rest of the row moves down one version). */
  remove(streamId: string, version: number): Promise<void>;
  /** Slips a copy of the event at `copyOf` in at `version`; the events from there move up one version. */
  insert(streamId: string, version: number, copyOf: number): Promise<void>;
  /** Changes the event at `version` and recomputes every hash from there to the stream's end. */
  forgeWithValidChain(streamId: string, version: number, change: (data: Record<string, unknown>) => void): Promise<void>;
};

export function forger(db: SqlQueryable, schema: string): Forger {
  const commits = `${pg.escapeIdentifier(schema)}.commits`;
  const rows = async (streamId: string) => {
    const found = await db.query<Row>(`SELECT first_version, event_count, events, last_hash FROM ${commits} WHERE stream_id = $1 ORDER BY first_version`, [streamId]);
    return found.map((row) => ({
      firstVersion: Number(row.first_version),
      events: (typeof row.events === 'string' ? JSON.parse(row.events) : row.events) as StoredEvent[],
    }));
  };
  const rowHolding = async (streamId: string, version: number) => {
    const row = (await rows(streamId)).find((r) => version >= r.firstVersion && version < r.firstVersion + r.events.length);
    if (!row) throw new Error(`${streamId} has no version ${version}`);
    return row;
  };
  const write = async (streamId: string, firstVersion: number, events: StoredEvent[], newFirstVersion = firstVersion) => {
    await db.query(
      `UPDATE ${commits} SET events = $3::json, event_count = $4, last_hash = $5, first_version = $6 WHERE stream_id = $1 AND first_version = $2`,
      [streamId, firstVersion, JSON.stringify(events), events.length, events.at(-1)!.hash, newFirstVersion],
    );
  };

  return {
    async edit(streamId, version, change) {
      const row = await rowHolding(streamId, version);
      change(row.events[version - row.firstVersion]!.data as Record<string, unknown>);
      await write(streamId, row.firstVersion, row.events);
    },
    async remove(streamId, version) {
      const row = await rowHolding(streamId, version);
      row.events.splice(version - row.firstVersion, 1);
      if (row.events.length > 0) await write(streamId, row.firstVersion, row.events);
      else await db.query(`DELETE FROM ${commits} WHERE stream_id = $1 AND first_version = $2`, [streamId, row.firstVersion]);
    },
    async insert(streamId, version, copyOf) {
      const source = await rowHolding(streamId, copyOf);
      const copy = structuredClone(source.events[copyOf - source.firstVersion]!);
      const row = await rowHolding(streamId, version);
      row.events.splice(version - row.firstVersion, 0, copy);
      // Shift later rows up one version, last first, so the unique (stream, first_version) index holds.
      for (const later of (await rows(streamId)).filter((r) => r.firstVersion > row.firstVersion).reverse()) {
        await write(streamId, later.firstVersion, later.events, later.firstVersion + 1);
      }
      await write(streamId, row.firstVersion, row.events);
    },
    async forgeWithValidChain(streamId, version, change) {
      let previousHash: string | undefined;
      for (const row of await rows(streamId)) {
        let touched = false;
        row.events.forEach((event, i) => {
          const v = row.firstVersion + i;
          if (v === version) change(event.data as Record<string, unknown>);
          if (v >= version) {
            const { id, type, schemaVersion, data, metadata } = event;
            event.hash = chainHash(previousHash!, { id, streamId, version: v, type, schemaVersion, data, metadata: metadata as StoredEvent['metadata'] });
            touched = true;
          }
          previousHash = event.hash;
        });
        if (touched) await write(streamId, row.firstVersion, row.events);
      }
    },
  };
}
