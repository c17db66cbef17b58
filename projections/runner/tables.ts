// Where a projection's rows live. Each table exists once per generation
// (`<projection>_<table>_g<N>`) and readers query a view (`<projection>_<table>`) that
// points at the current one: a rebuild fills generation N+1 beside the live tables and
// swaps the views in one transaction, so readers never see a half-built model.
import type { SqlQueryable } from '../../events/sql/executor.ts';
import type { Projection, ProjectionTables } from '../../events/processor.ts';

const identifier = /^[a-z_][a-z0-9_]*$/;

export function quote(name: string): string {
  if (!identifier.test(name)) throw new Error(`not a safe SQL identifier: ${name}`);
  return `"${name}"`;
}

/** The view readers query: `"schema"."<projection>_<table>"`. */
export function readModelTable(schema: string, projection: string, table: string): string {
  return `${quote(schema)}.${quote(`${projection}_${table}`)}`;
}

function physicalName(projection: string, table: string, generation: number): string {
  const name = `${projection}_${table}_g${generation}`;
  if (name.length > 63) throw new Error(`table name ${name} is longer than PostgreSQL allows`);
  return name;
}

export function tablesOf(schema: string, projection: Projection, generation: number): ProjectionTables {
  return Object.fromEntries(
    Object.keys(projection.tables).map((key) => [key, `${quote(schema)}.${quote(physicalName(projection.name, key, generation))}`]),
  );
}

/** Creates a generation's tables afresh (dropping leftovers of an interrupted rebuild). */
export async function createGeneration(db: SqlQueryable, schema: string, projection: Projection, generation: number): Promise<void> {
  for (const [key, definition] of Object.entries(projection.tables)) {
    const name = physicalName(projection.name, key, generation);
    const table = `${quote(schema)}.${quote(name)}`;
    await db.query(`DROP TABLE IF EXISTS ${table}`);
    await db.query(`CREATE TABLE ${table} (${definition.columns})`);
    for (const [index, columns] of (definition.indexes ?? []).entries()) {
      await db.query(`CREATE INDEX ${quote(`${name}_i${index}`)} ON ${table} (${columns})`);
    }
  }
}

/** Points the views at `generation` and drops `previous`'s tables; run inside the swap transaction. */
export async function switchGeneration(db: SqlQueryable, schema: string, projection: Projection, generation: number, previous: number | null): Promise<void> {
  for (const key of Object.keys(projection.tables)) {
    const view = readModelTable(schema, projection.name, key);
    await db.query(`DROP VIEW IF EXISTS ${view}`);
    await db.query(`CREATE VIEW ${view} AS SELECT * FROM ${quote(schema)}.${quote(physicalName(projection.name, key, generation))}`);
    if (previous !== null && previous !== generation) {
      await db.query(`DROP TABLE IF EXISTS ${quote(schema)}.${quote(physicalName(projection.name, key, previous))}`);
    }
  }
}
