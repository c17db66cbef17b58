// Chooses and opens the event store: PostgreSQL when DATABASE_URL is set, otherwise
// embedded PGlite persisted under PANTHEON_DATA_DIR; or, with EVENTSTORE_CONNECTION_STRING,
// EventStoreDB/KurrentDB for the log while read models and checkpoints stay in that SQL
// database (PostgreSQL or PGlite).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { EventCatalog } from '../events/catalog.ts';
import type { SqlExecutor } from '../events/sql/executor.ts';
import { openPgExecutor } from '../events/sql/pgExecutor.ts';
import { openPgliteExecutor } from '../events/sql/pgliteExecutor.ts';
import { openSqlEventStore } from '../events/sql/sqlEventStore.ts';
import type { EventStore } from '../events/store.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { lockDataDir, type StoreLock } from './pgliteLock.ts';
import { prepareDataDir } from './pgliteTemplate.ts';

/** The store, and the database and schema it lives in (read models are kept beside it). */
export type OpenedStore = { store: EventStore; kind: 'postgres' | 'pglite' | 'eventstoredb'; db: SqlExecutor; schema: string; close(): Promise<void> };

export class StoreStartError extends Error {
  readonly code = 'store/unreachable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreStartError';
  }
}

export type OpenOptions = {
  /** Who opens an embedded store, as its lock file names them (`server`, `pantheon replay`…). */
  holder?: string;
  /** Start-up timings, by phase, in milliseconds (the server logs them). */
  timings?: Record<string, number>;
};

export async function openConfiguredStore(config: Config, catalog: EventCatalog, logger: Logger, options: OpenOptions = {}): Promise<OpenedStore> {
  let db: SqlExecutor;
  let kind: 'postgres' | 'pglite';
  let lock: StoreLock | undefined;
  const timings = options.timings ?? {};
  let lap = performance.now();
  const mark = (phase: string) => {
    const now = performance.now();
    timings[phase] = Math.round(now - lap);
    lap = now;
  };
  if (config.DATABASE_URL) {
    kind = 'postgres';
    try {
      db = await openPgExecutor({
        connectionString: config.DATABASE_URL,
        queryTimeoutMs: config.PANTHEON_DB_TIMEOUT_MS,
        // One line: the driver's error object carries the whole client with it.
        onError: (error) => logger.error({ code: 'code' in error ? String(error.code) : undefined, reason: error.message }, 'postgres connection error'),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreStartError(`cannot reach PostgreSQL at ${redact(config.DATABASE_URL)}: ${reason || 'connection refused'}`, { cause: error });
    }
  } else {
    kind = 'pglite';
    const dir = path.resolve(config.PANTHEON_DATA_DIR, 'pglite');
    await mkdir(config.PANTHEON_DATA_DIR, { recursive: true });
    // Two processes on one PGlite directory can corrupt it (pgliteLock.ts).
    lock = lockDataDir(config.PANTHEON_DATA_DIR, options.holder ?? 'server');
    try {
      // A new directory starts from a copy of an initialised cluster rather than initdb (pgliteTemplate.ts).
      const prepared = config.PANTHEON_PGLITE_TEMPLATE === 'on' ? await prepareDataDir(dir) : 'initdb';
      await mkdir(dir, { recursive: true });
      mark(`pglite_${prepared}`);
      db = await openPgliteExecutor(dir);
    } catch (error) {
      lock.release();
      throw error;
    }
  }
  mark('database_open');
  let store: EventStore;
  try {
    // Imported only when used: its gRPC client is a good part of a start's module loading.
    store = config.EVENTSTORE_CONNECTION_STRING
      ? await (await import('../events/eventstoredb/eventStoreDbStore.ts')).openEventStoreDbStore({ connectionString: config.EVENTSTORE_CONNECTION_STRING, catalog, namespace: config.PANTHEON_DB_SCHEMA })
      : await openSqlEventStore({ db, catalog, schema: config.PANTHEON_DB_SCHEMA });
  } catch (error) {
    await db.close();
    lock?.release();
    throw error;
  }
  mark('store_open');
  if (config.EVENTSTORE_CONNECTION_STRING) logger.info({ readModels: kind }, 'the log is in EventStoreDB; read models and checkpoints in the SQL database');
  return {
    store,
    kind: config.EVENTSTORE_CONNECTION_STRING ? 'eventstoredb' : kind,
    db,
    schema: config.PANTHEON_DB_SCHEMA,
    async close() {
      try {
        await store.close();
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** The URL without its password, for logs. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured DATABASE_URL';
  }
}
