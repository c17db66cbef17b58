// Set-based writes for read-model batches: a batch's rows go to PostgreSQL as one JSON
// document and are written by one statement, however many there are.
import type { SqlQueryable } from '../../events/sql/executor.ts';

/** A column of a bulk write: its name and SQL type, e.g. ['xp', 'bigint']. */
export type Column = readonly [name: string, type: string];

/** A table definition's columns (all NOT NULL) and primary key, for defineProjection's `tables`. */
export function tableColumns(columns: readonly Column[], primaryKey: string): string {
  return `${columns.map(([name, type]) => `${name} ${type} NOT NULL`).join(', ')}, PRIMARY KEY (${primaryKey})`;
}

export type BulkWrite = {
  table: string;
  columns: readonly Column[];
  rows: readonly Record<string, unknown>[];
  /** Primary-key columns: with `update`, a conflicting row is overwritten; with `nothing`, kept. */
  conflict?: { key: readonly string[]; action: 'update' | 'nothing' };
};

export async function writeRows(tx: SqlQueryable, write: BulkWrite): Promise<void> {
  if (write.rows.length === 0) return;
  const names = write.columns.map(([name]) => name);
  const recordType = write.columns.map(([name, type]) => `${name} ${type}`).join(', ');
  let onConflict = '';
  if (write.conflict) {
    const key = write.conflict.key.join(', ');
    const updated = names.filter((name) => !write.conflict!.key.includes(name));
    onConflict = write.conflict.action === 'nothing' || updated.length === 0
      ? ` ON CONFLICT (${key}) DO NOTHING`
      : ` ON CONFLICT (${key}) DO UPDATE SET ${updated.map((name) => `${name} = EXCLUDED.${name}`).join(', ')}`;
  }
  await tx.query(
    `INSERT INTO ${write.table} (${names.join(', ')}) SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${recordType})${onConflict}`,
    [JSON.stringify(write.rows)],
  );
}

/** Rows of `table` whose `key` column is one of `values`. */
export async function rowsWhereIn<R extends Record<string, unknown>>(tx: SqlQueryable, table: string, key: string, values: readonly string[], columns = '*'): Promise<R[]> {
  if (values.length === 0) return [];
  return tx.query<R>(`SELECT ${columns} FROM ${table} WHERE ${key} = ANY($1::text[])`, [values]);
}
