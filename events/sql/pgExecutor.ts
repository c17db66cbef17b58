// SqlExecutor over a node-postgres pool (production and CI).
import pg from 'pg';
import type { SqlExecutor, SqlQueryable } from './executor.ts';

export type PgExecutorOptions = {
  connectionString: string;
  /** Pool size; the group committer uses at most `maxConcurrency` of them for writes. */
  max?: number;
  onError?: (error: Error) => void;
};

export async function openPgExecutor(options: PgExecutorOptions): Promise<SqlExecutor> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
  pool.on('error', (error) => options.onError?.(error));
  // Fail at start, with the driver's reason, rather than on the first append.
  const probe = await pool.connect();
  probe.release();

  const asQueryable = (client: pg.Pool | pg.PoolClient): SqlQueryable => ({
    async query(text, params) {
      const result = await client.query(text, params);
      return result.rows;
    },
  });

  return {
    ...asQueryable(pool),
    maxConcurrency: 2,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(asQueryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify) {
      const client = new pg.Client({ connectionString: options.connectionString });
      client.on('error', (error) => options.onError?.(error));
      client.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      });
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        await client.end().catch(() => undefined);
      };
    },
    async close() {
      await pool.end();
    },
  };
}
