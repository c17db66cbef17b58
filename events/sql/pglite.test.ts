// The event store contract on embedded PGlite (in memory here; on disk when served).
import pg from 'pg';
import { eventStoreContract } from '../testing/contract.suite.ts';
import { openPgliteExecutor } from './pgliteExecutor.ts';
import { openSqlEventStore } from './sqlEventStore.ts';

eventStoreContract('pglite', async () => {
  const db = await openPgliteExecutor(undefined);
  const schema = 'pantheon';
  return {
    open: (catalog) => openSqlEventStore({ db, catalog, schema, pollIntervalMs: 100 }),
    async tamper(sql, params) {
      await db.query(sql.replaceAll('__SCHEMA__', pg.escapeIdentifier(schema)), params);
    },
    cleanup: () => db.close(),
  };
});
