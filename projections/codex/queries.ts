// What the read API asks of the codex: a player's codex (every entry of the current codex,
// with lore for those unlocked and a hint for the rest) and their oracron, paged. Results
// are plain JSON described by zod schemas the API publishes.
import { z } from 'zod';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { CodexCategory, loadCodex, OracleDeed, type Codex } from '../../events/content/index.ts';
import { readModelTable } from '../runner/tables.ts';
import { CODEX } from './projection.ts';

export const OracronDeed = z.object({
  oracleId: z.string(),
  deed: OracleDeed,
  streamId: z.string(),
  position: z.int().describe('global position of the event'),
  tick: z.int(),
  details: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type OracronDeed = z.infer<typeof OracronDeed>;

export const CodexEntryView = z.object({
  id: z.string(),
  title: z.string(),
  category: CodexCategory,
  unlocked: z.boolean(),
  /** Null while locked. */
  lore: z.string().nullable(),
  hint: z.string(),
  unlockedAt: z.object({ position: z.int(), streamId: z.string(), eventId: z.string() }).nullable(),
});

export const CodexView = z.object({
  playerId: z.string(),
  codexVersion: z.string(),
  unlocked: z.int().min(0),
  total: z.int().min(0),
  entries: z.array(CodexEntryView).describe('in codex order'),
  recentDeeds: z.array(OracronDeed).describe('latest first'),
});
export type CodexView = z.infer<typeof CodexView>;

export const OracronPage = z.object({
  playerId: z.string(),
  deeds: z.array(OracronDeed).describe('latest first'),
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: z.int().nullable(),
});
export type OracronPage = z.infer<typeof OracronPage>;

type DeedRow = { oracle_id: string; deed: OracronDeed['deed']; stream_id: string; position: number; tick: number; details: OracronDeed['details'] };

const toDeed = (row: DeedRow): OracronDeed => ({ oracleId: row.oracle_id, deed: row.deed, streamId: row.stream_id, position: row.position, tick: row.tick, details: row.details });

async function deedsOf(db: SqlQueryable, schema: string, playerId: string, limit: number, before: number | null): Promise<OracronDeed[]> {
  const rows = await db.query<DeedRow>(
    `SELECT oracle_id, deed, stream_id, position::float8 AS position, tick, details FROM ${readModelTable(schema, CODEX, 'oracron')}
      WHERE player_id = $1 AND ($2::bigint IS NULL OR position < $2) ORDER BY position DESC, oracle_id, deed LIMIT $3`,
    [playerId, before, limit],
  );
  return rows.map(toDeed);
}

/** A player's codex: every entry of `codex` (default: the current one), unlocked or not. */
export async function codexOf(db: SqlQueryable, schema: string, playerId: string, options: { codex?: Codex; recentDeeds?: number } = {}): Promise<CodexView> {
  const codex = options.codex ?? loadCodex();
  const [rows, recentDeeds] = await Promise.all([
    db.query<{ entry_id: string; position: number; stream_id: string; event_id: string }>(
      `SELECT entry_id, position::float8 AS position, stream_id, event_id FROM ${readModelTable(schema, CODEX, 'unlocks')} WHERE player_id = $1`,
      [playerId],
    ),
    deedsOf(db, schema, playerId, Math.min(Math.max(options.recentDeeds ?? 10, 0), 100), null),
  ]);
  const unlocked = new Map(rows.map((row) => [row.entry_id, row]));
  const entries = codex.entries.map((entry) => {
    const row = unlocked.get(entry.id);
    return {
      id: entry.id,
      title: entry.title,
      category: entry.category,
      unlocked: row !== undefined,
      lore: row ? entry.lore : null,
      hint: entry.hint,
      unlockedAt: row ? { position: row.position, streamId: row.stream_id, eventId: row.event_id } : null,
    };
  });
  return { playerId, codexVersion: codex.codexVersion, unlocked: entries.filter((e) => e.unlocked).length, total: entries.length, entries, recentDeeds };
}

/** A page of a player's oracron, latest first; `before` is a position from the previous page's `nextBefore`. */
export async function oracronOf(db: SqlQueryable, schema: string, playerId: string, options: { limit?: number; before?: number | null } = {}): Promise<OracronPage> {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 200);
  const deeds = await deedsOf(db, schema, playerId, limit + 1, options.before ?? null);
  if (deeds.length <= limit) return { playerId, deeds, nextBefore: null };
  // A page ends between positions, never inside one (one event can record several deeds).
  const cut = deeds[limit]!.position;
  let page = deeds.slice(0, limit);
  if (page.at(-1)!.position === cut) {
    const whole = page.filter((d) => d.position !== cut);
    page = whole.length > 0 ? whole : (await deedsOf(db, schema, playerId, 1000, cut + 1)).filter((d) => d.position === cut);
  }
  return { playerId, deeds: page, nextBefore: page.at(-1)!.position };
}
