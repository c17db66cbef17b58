// Reading the open-rooms read model: its rows and the log position they cover.
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { readCheckpoint } from '../runner/checkpoints.ts';
import { readModelTable } from '../runner/tables.ts';
import { OPEN_ROOMS } from './projection.ts';

export type OpenRoomRow = { kind: string; roomId: string; streamId: string };

/**
 * The open rooms as of `position` (rows may already reflect a little more: applying the
 * log after `position` again is harmless). Position 0 and no rows before the model ever ran.
 */
export async function openRoomsSnapshot(db: SqlQueryable, schema: string): Promise<{ position: number; rooms: OpenRoomRow[] }> {
  // The checkpoint first: the rows read after it are at least as new.
  const checkpoint = await readCheckpoint(db, schema, OPEN_ROOMS).catch((error: unknown) => {
    if (isMissingRelation(error)) return null;
    throw error;
  });
  if (!checkpoint || checkpoint.error) return { position: 0, rooms: [] };
  const rows = await db.query<{ kind: string; room_id: string; stream_id: string }>(`SELECT kind, room_id, stream_id FROM ${readModelTable(schema, OPEN_ROOMS, 'rooms')}`);
  return { position: checkpoint.position, rooms: rows.map((row) => ({ kind: row.kind, roomId: row.room_id, streamId: row.stream_id })) };
}

function isMissingRelation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === '42P01';
}
