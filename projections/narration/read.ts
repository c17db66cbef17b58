// Reading narration back: what replays, audits, the spectator feed and the codex show.
// Only the log is read; the model is never asked.
import type { EventStore } from '../../events/store.ts';
import { loreStreamOf, NarrationGenerated, narrationStreamOf, type NarrationData } from './events.ts';

export type RecordedNarration = NarrationData & { id: string; tick: number | null; recordedAt: string };

/** A room's narrations in the order they were recorded (the room's order). */
export async function readNarrations(store: Pick<EventStore, 'readStream'>, roomStreamId: string): Promise<RecordedNarration[]> {
  return recorded(store, narrationStreamOf(roomStreamId));
}

/** A codex entry's lore as the oracle told it, or null while none is recorded. */
export async function readLore(store: Pick<EventStore, 'readStream'>, entryId: string): Promise<RecordedNarration | null> {
  return (await recorded(store, loreStreamOf(entryId)))[0] ?? null;
}

async function recorded(store: Pick<EventStore, 'readStream'>, streamId: string): Promise<RecordedNarration[]> {
  const events = await store.readStream(streamId);
  return events
    .filter((event) => event.type === NarrationGenerated.type)
    .map((event) => ({ ...(event.data as NarrationData), id: event.id, tick: event.metadata.tick ?? null, recordedAt: event.metadata.recordedAt }));
}
