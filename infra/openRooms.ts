// Where a game process finds the rooms to bring back: the open-rooms read model
// (projections/openRooms) and the log after the position it covers, so start-up and each
// hand-over read what the read model has not folded yet, not the whole log.
import { openRoomsSnapshot } from '../projections/openRooms/queries.ts';
import { findOpenRooms, type OpenRoom } from '../rooms/shared/recovery.ts';
import type { OpenedStore } from './eventStore.ts';
import { roomKinds } from './rooms.ts';

export function openRoomsOf(opened: Pick<OpenedStore, 'store' | 'db' | 'schema'>): () => Promise<OpenRoom[]> {
  return async () => findOpenRooms(opened.store, roomKinds, await openRoomsSnapshot(opened.db, opened.schema));
}
