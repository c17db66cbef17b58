// Turns stored commit rows back into envelopes.
import type { RecordedEvent } from '../envelope.ts';
import type { CommitRow, StoredEvent } from './queries.ts';

export function commitEvents(row: CommitRow): StoredEvent[] {
  return typeof row.events === 'string' ? (JSON.parse(row.events) as StoredEvent[]) : row.events;
}

/** The events of a commit, as stored (data not yet decoded). */
export function rawEvents(row: CommitRow): RecordedEvent[] {
  const firstVersion = Number(row.first_version);
  const stored = commitEvents(row);
  const firstPosition = Number(row.last_position) - stored.length + 1;
  return stored.map((event, i) => ({
    id: event.id,
    streamId: row.stream_id,
    version: firstVersion + i,
    position: firstPosition + i,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    hash: event.hash,
  }));
}
