// Checkpoints: one row per processor with the last global position whose effects are
// durable, and, for projections, the table generation and handler version they belong to.
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { quote } from './tables.ts';

export type Checkpoint = { name: string; kind: 'projection' | 'reactor'; version: number; generation: number; position: number; error: string | null };

type Row = { name: string; kind: Checkpoint['kind']; version: number; generation: number; position: string; error: string | null };

const table = (schema: string) => `${quote(schema)}.projection_checkpoints`;

function fromRow(row: Row): Checkpoint {
  return { ...row, position: Number(row.position) };
}

export async function ensureCheckpointTable(db: SqlQueryable, schema: string): Promise<void> {
  await db.query(`CREATE SCHEMA IF NOT EXISTS ${quote(schema)}`);
  await db.query(`CREATE TABLE IF NOT EXISTS ${table(schema)} (
    name text PRIMARY KEY,
    kind text NOT NULL,
    version integer NOT NULL,
    generation integer NOT NULL,
    position bigint NOT NULL,
    error text,
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- A rebuild in progress (any process) and when it last made progress.
    rebuild_generation integer,
    rebuild_heartbeat timestamptz
  )`);
}

export async function readCheckpoint(db: SqlQueryable, schema: string, name: string, options: { lock?: boolean } = {}): Promise<Checkpoint | null> {
  const rows = await db.query<Row>(
    `SELECT name, kind, version, generation, position, error FROM ${table(schema)} WHERE name = $1${options.lock ? ' FOR UPDATE' : ''}`,
    [name],
  );
  return rows[0] ? fromRow(rows[0]) : null;
}

export async function readCheckpoints(db: SqlQueryable, schema: string): Promise<Checkpoint[]> {
  const rows = await db.query<Row>(`SELECT name, kind, version, generation, position, error FROM ${table(schema)} ORDER BY name`);
  return rows.map(fromRow);
}

/** Inserts the first checkpoint unless another process got there first; returns the stored one. */
export async function insertCheckpoint(db: SqlQueryable, schema: string, checkpoint: Checkpoint): Promise<Checkpoint> {
  await db.query(
    `INSERT INTO ${table(schema)} (name, kind, version, generation, position, error) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING`,
    [checkpoint.name, checkpoint.kind, checkpoint.version, checkpoint.generation, checkpoint.position, checkpoint.error],
  );
  return (await readCheckpoint(db, schema, checkpoint.name))!;
}

export async function writeCheckpoint(db: SqlQueryable, schema: string, checkpoint: Omit<Checkpoint, 'kind'>): Promise<void> {
  await db.query(
    `UPDATE ${table(schema)} SET version = $2, generation = $3, position = $4, error = $5, updated_at = now(),
       rebuild_generation = CASE WHEN rebuild_generation = $3 THEN NULL ELSE rebuild_generation END WHERE name = $1`,
    [checkpoint.name, checkpoint.version, checkpoint.generation, checkpoint.position, checkpoint.error],
  );
}

/** A reactor's checkpoint only moves forwards, whichever replica acknowledged last. */
export async function advanceReactor(db: SqlQueryable, schema: string, name: string, position: number): Promise<void> {
  await db.query(`UPDATE ${table(schema)} SET position = GREATEST(position, $2), error = NULL, updated_at = now() WHERE name = $1`, [name, position]);
}

export async function recordFailure(db: SqlQueryable, schema: string, name: string, error: string): Promise<void> {
  await db.query(`UPDATE ${table(schema)} SET error = $2, updated_at = now() WHERE name = $1`, [name, error]);
}

/**
 * Claims the next generation for a rebuild, unless another process is rebuilding (and
 * made progress within `staleAfterMs`). Returns the generation to build, or null.
 */
export async function claimRebuild(db: SqlQueryable, schema: string, name: string, staleAfterMs: number): Promise<number | null> {
  const rows = await db.query<{ rebuild_generation: number }>(
    `UPDATE ${table(schema)}
        SET rebuild_generation = GREATEST(generation, COALESCE(rebuild_generation, 0)) + 1, rebuild_heartbeat = now()
      WHERE name = $1 AND (rebuild_generation IS NULL OR rebuild_heartbeat < now() - make_interval(secs => $2::float8 / 1000))
      RETURNING rebuild_generation`,
    [name, staleAfterMs],
  );
  return rows[0]?.rebuild_generation ?? null;
}

export async function rebuildHeartbeat(db: SqlQueryable, schema: string, name: string, generation: number): Promise<void> {
  await db.query(`UPDATE ${table(schema)} SET rebuild_heartbeat = now() WHERE name = $1 AND rebuild_generation = $2`, [name, generation]);
}

export async function releaseRebuild(db: SqlQueryable, schema: string, name: string, generation: number): Promise<void> {
  await db.query(`UPDATE ${table(schema)} SET rebuild_generation = NULL WHERE name = $1 AND rebuild_generation = $2`, [name, generation]);
}
