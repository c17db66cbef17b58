// Applies the numbered migrations in ./migrations once each, at start-up. Concurrent
// starters serialize on an advisory lock, so two processes never apply one twice.
import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';
import type { SqlExecutor, SqlQueryable } from './executor.ts';

const migrationsDir = new URL('./migrations/', import.meta.url);

export async function migrate(db: SqlExecutor, schema: string): Promise<string[]> {
  const files = (await readdir(migrationsDir)).filter((name) => /^\d{3}_.+\.sql$/.test(name)).sort();
  const quoted = pg.escapeIdentifier(schema);
  return withSchemaLock(db, schema, async (tx) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set((await tx.query<{ name: string }>(`SELECT name FROM ${quoted}.schema_migrations`)).map((row) => row.name));
    const applied: string[] = [];
    for (const name of files) {
      if (done.has(name)) continue;
      const sql = (await readFile(new URL(name, migrationsDir), 'utf8')).replaceAll('__SCHEMA__', quoted);
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query(`INSERT INTO ${quoted}.schema_migrations (name) VALUES ($1)`, [name]);
      applied.push(name);
    }
    return applied;
  });
}

/**
 * Runs `work` in one transaction holding the migrations' advisory lock for `schema`: every
 * schema change (migrations, read-model and checkpoint tables) goes through it, so processes
 * starting together never race on CREATE TABLE (which is not safe to run concurrently, even
 * with IF NOT EXISTS). No statement timeout: waiting for another starter is expected.
 */
export async function withSchemaLock<T>(db: SqlExecutor, schema: string, work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pantheon-migrate:${schema}`]);
    return work(tx);
  }, { long: true });
}

/**
 * Splits a migration file into statements: a semicolon at the end of a line ends one,
 * except inside a $$-quoted function body.
 */
function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  let inBody = false;
  for (const line of sql.split('\n')) {
    if (!inBody && line.trimStart().startsWith('--')) continue;
    current.push(line);
    if ((line.match(/\$\$/g) ?? []).length % 2 === 1) inBody = !inBody;
    if (!inBody && line.trimEnd().endsWith(';')) {
      statements.push(current.join('\n').trim().replace(/;$/, ''));
      current = [];
    }
  }
  const rest = current.join('\n').trim();
  if (rest) statements.push(rest);
  return statements.filter((statement) => statement.length > 0);
}
