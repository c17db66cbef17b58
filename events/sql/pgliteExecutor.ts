// SqlExecutor over PGlite: PostgreSQL compiled to WebAssembly, in-process and persisted
// to a directory. The embedded default, so the server starts with no database server.
import { PGlite } from '@electric-sql/pglite';
import type { SqlExecutor, SqlQueryable } from './executor.ts';

/** `dataDir` undefined keeps the database in memory. */
export async function openPgliteExecutor(dataDir: string | undefined): Promise<SqlExecutor> {
  const db = dataDir === undefined ? await PGlite.create() : await PGlite.create(dataDir);
  const asQueryable = (target: Pick<PGlite, 'query'>): SqlQueryable => ({
    async query(text, params) {
      const result = await target.query(text, params);
      return result.rows as never;
    },
  });
  return {
    ...asQueryable(db),
    maxConcurrency: 1,
    transaction: (work) => db.transaction((tx) => work(asQueryable(tx))),
    async listen(channel, onNotify) {
      const stop = await db.listen(channel, onNotify);
      return async () => stop();
    },
    close: () => db.close(),
  };
}
