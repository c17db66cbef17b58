// The spectator feed read model: one row per battle, raid or ritual, holding the summary a
// watcher sees (feed.ts) with its revision. Discord's publisher edits a live message when a
// row's revision moves past what it last showed; the spectator room folds the same events.
//
// A batch loads the rows of the matches its events continue, folds the events in order in
// memory and writes each touched row once: the live run and a rebuild, whatever their batch
// boundaries, produce the same rows.
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { matchOpeners } from '../matches/openMatches.ts';
import { rowsWhereIn, writeRows, type Column } from '../runner/bulk.ts';
import { defineProjection, type ProjectionTables } from '../../events/processor.ts';
import { evolveOwnedSummary, feedEventTypes, feedStreamOf, type MatchSummary } from './feed.ts';

export const SPECTATOR = 'spectator';
/** Bump when feed.ts or this handler change what rows hold: the runner rebuilds on start. */
export const SPECTATOR_VERSION = 1;

const matchColumns = [
  ['stream_id', 'text'], ['match_id', 'text'], ['kind', 'text'], ['status', 'text'],
  ['revision', 'integer'], ['position', 'bigint'], ['updated_at', 'timestamptz'], ['summary', 'jsonb'],
] as const satisfies readonly Column[];

type Tables = ProjectionTables<'matches'>;

async function apply(tx: SqlQueryable, events: readonly RecordedEvent[], tables: Tables): Promise<void> {
  const openedHere = new Set<string>();
  const continued = new Set<string>();
  for (const event of events) {
    const stream = feedStreamOf(event);
    if (stream === null) continue;
    if (matchOpeners.has(event.type)) openedHere.add(stream);
    else if (!openedHere.has(stream)) continued.add(stream);
  }
  const summaries = new Map<string, MatchSummary>();
  const rows = await rowsWhereIn<{ stream_id: string; summary: MatchSummary }>(tx, tables.matches, 'stream_id', [...continued], 'stream_id, summary');
  for (const row of rows) summaries.set(row.stream_id, row.summary);
  const touched = new Set<string>();
  for (const event of events) {
    const stream = feedStreamOf(event);
    if (stream === null) continue;
    // The summaries are this batch's own (read from rows or just opened): folded in place.
    const next = evolveOwnedSummary(summaries.get(stream), event);
    if (!next) continue;
    summaries.set(stream, next);
    touched.add(stream);
  }
  await writeRows(tx, {
    table: tables.matches,
    columns: matchColumns,
    rows: [...touched].map((stream) => {
      const s = summaries.get(stream)!;
      return { stream_id: s.streamId, match_id: s.matchId, kind: s.kind, status: s.status, revision: s.revision, position: s.position, updated_at: s.updatedAt, summary: s };
    }),
    conflict: { key: ['stream_id'], action: 'update' },
  });
}

export const spectatorProjection = defineProjection({
  name: SPECTATOR,
  version: SPECTATOR_VERSION,
  tables: {
    matches: {
      columns: `${matchColumns.map(([name, type]) => `${name} ${type} NOT NULL`).join(', ')}, PRIMARY KEY (stream_id)`,
      indexes: ['match_id', 'status, updated_at DESC'],
    },
  },
  eventTypes: feedEventTypes,
  // A watcher's view moves a few times a second (Discord edits coalesce further); a batch
  // per 25 ms would rewrite every live match's summary forty times a second.
  liveBatchIntervalMs: 250,
  apply,
});
