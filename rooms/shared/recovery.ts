// Finds the rooms a process must bring back after a crash or a deploy: streams of a
// room kind whose creation is in the log and whose end is not.
//
// It reads the whole log, which is fine for one box; an open-rooms read model replaces
// the scan once projections run.
import type { EventStore } from '../../events/store.ts';

export type OpenRoom = { kind: string; roomId: string; streamId: string };

export async function findOpenRooms(store: EventStore, kinds: ReadonlyArray<{ name: string; endedBy: readonly string[] }>): Promise<OpenRoom[]> {
  const open = new Map<string, OpenRoom>();
  const endings = new Map(kinds.map((kind) => [kind.name, new Set(kind.endedBy)]));
  for (let from = 1; ; ) {
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
