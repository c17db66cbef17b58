// The open-rooms read model: every room stream whose creation is in the log and whose end
// is not (room id, kind, stream, where its creation sits in the log). A game process reads it
// at start, and the log only after its checkpoint, to find the rooms it must bring back
// (infra/openRooms.ts): start-up no longer reads the whole log. Which process hosts a room is
// not in the log, so not here: that is the shared room listing in Redis (infra/scaleOut.ts).
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { defineProjection, type Projection, type ProjectionTables } from '../../events/processor.ts';
import type { RulesRegistry } from '../../events/tick/rulesVersions.ts';

export const OPEN_ROOMS = 'open_rooms';

type Tables = ProjectionTables<'rooms'>;

/** A room stream's kind and id, if the event opens one of a kind that rooms are resumed for (not an alias category such as ghosts). */
export function openedRoom(rules: RulesRegistry, event: Pick<RecordedEvent, 'type' | 'streamId' | 'version'>): { kind: string; roomId: string } | undefined {
  if (event.version !== 0) return undefined;
  const kind = rules.kindCreatedBy(event.type)?.name;
  if (!kind || !event.streamId.startsWith(`${kind}-`)) return undefined;
  return { kind, roomId: event.streamId.slice(kind.length + 1) };
}

export function openRoomsProjection(rules: RulesRegistry): Projection<'rooms'> {
  const creations = rules.kinds.map((kind) => kind.createdBy);
  return defineProjection({
    name: OPEN_ROOMS,
    version: 1,
    tables: {
      rooms: { columns: 'stream_id text primary key, room_id text not null, kind text not null, created_position bigint not null' },
    },
    eventTypes: new Set([...creations, ...rules.endEventTypes]),
    async apply(tx: SqlQueryable, events: readonly RecordedEvent[], tables: Tables) {
      for (const event of events) {
        const opened = openedRoom(rules, event);
        if (opened) {
          await tx.query(`INSERT INTO ${tables.rooms} (stream_id, room_id, kind, created_position) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
            event.streamId, opened.roomId, opened.kind, event.position,
          ]);
        } else if (rules.endEventTypes.has(event.type)) {
          await tx.query(`DELETE FROM ${tables.rooms} WHERE stream_id = $1`, [event.streamId]);
        }
      }
    },
  });
}
