// Finds the rooms a process must bring back after a crash or a deploy: streams of a
// room kind whose creation is in the log and whose end is not.
//
// Given what the open-rooms read model holds (projections/openRooms) and the position it
// covers, it reads only the log after that position; without one, the whole log.
import type { EventStore } from '../../events/store.ts';

export type OpenRoom = { kind: string; roomId: string; streamId: string };

export async function findOpenRooms(
  store: EventStore,
  kinds: ReadonlyArray<{ name: string; endedBy: readonly string[] }>,
  known: { position: number; rooms: readonly OpenRoom[] } = { position: 0, rooms: [] },
): Promise<OpenRoom[]> {
  const endings = new Map(kinds.map((kind) => [kind.name, new Set(kind.endedBy)]));
  const open = new Map<string, OpenRoom>(known.rooms.filter((room) => endings.has(room.kind)).map((room) => [room.streamId, room]));
  for (let from = known.position + 1; ; ) {
    const page = await store.readAll({ fromPosition: from, limit: 5000, raw: true });
    for (const event of page) {
      const dash = event.streamId.indexOf('-');
      const kind = event.streamId.slice(0, dash);
      const ends = endings.get(kind);
      if (!ends) continue;
      if (event.version === 0) open.set(event.streamId, { kind, roomId: event.streamId.slice(dash + 1), streamId: event.streamId });
      else if (ends.has(event.type)) open.delete(event.streamId);
    }
    if (page.length < 5000) break;
    from = page.at(-1)!.position + 1;
  }
  return [...open.values()];
}
