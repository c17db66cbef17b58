// Test support: every read model run by a projector in a child process, so a test can
// SIGKILL it mid-batch. BATCH_DELAY_MS holds each batch's transaction open that long after
// its rows are written, which is where a kill lands.
import { pino } from 'pino';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createCatalog } from '../catalog.ts';
import { readModels } from '../../projections/index.ts';
import type { Projection } from '../../events/processor.ts';
import { openProjectionRunner } from '../../projections/runner/runner.ts';
import { roomRules } from '../../rooms/rulesRegistry.ts';

const delayMs = Number(process.env.BATCH_DELAY_MS ?? 0);
const schema = process.env.PANTHEON_DB_SCHEMA!;
const logger = pino();
const db = await openPgExecutor({ connectionString: process.env.DATABASE_URL!, onError: () => {} });
const store = await openSqlEventStore({ db, catalog: createCatalog(), schema, pollIntervalMs: 100 });
const slowed = readModels(roomRules).map((projection): Projection => ({
  ...projection,
  async apply(tx, events, tables) {
    await projection.apply(tx, events, tables);
    if (delayMs > 0) await tx.query('SELECT pg_sleep($1::float8 / 1000)', [delayMs]);
  },
}));
const runner = await openProjectionRunner({ db, store, schema, processors: slowed, logger, batchSize: Number(process.env.BATCH_SIZE ?? 200) });
await runner.start();
logger.info('projector started');
