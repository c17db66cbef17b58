// The event store contract on a real PostgreSQL, in a schema of this file's own.
import pg from 'pg';
import { eventStoreContract } from '../testing/contract.suite.ts';
import { openPgExecutor } from './pgExecutor.ts';
import { openSqlEventStore } from './sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl } from './testing/schema.ts';

eventStoreContract('postgres', async () => {
  const schema = await createTestSchema('contract');
  const db = await openPgExecutor({ connectionString: testDatabaseUrl });
  return {
    open: (catalog) => openSqlEventStore({ db, catalog, schema: schema.name, pollIntervalMs: 100 }),
    async tamper(sql, params) {
      await db.query(sql.replaceAll('__SCHEMA__', pg.escapeIdentifier(schema.name)), params);
    },
    async cleanup() {
      await db.close();
      await schema.drop();
    },
  };
});
