// SqlExecutor over a node-postgres pool (production and CI).
import { reconnectDelay } from '../backoff.ts';
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
    async transaction(work, transactionOptions) {
      const client = await pool.connect();
      // A connection that dies mid-transaction emits 'error' besides failing the query.
      const onError = (error: Error) => options.onError?.(error);
      client.on('error', onError);
      try {
        // One round trip either way.
        await client.query(transactionOptions?.durable === false ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN');
        const result = await work(asQueryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.off('error', onError);
        client.release();
      }
    },
    async listen(channel, onNotify) {
      // One dedicated connection, re-established with backoff whenever it drops, so
      // notifications resume after a database restart or a network cut.
      let current: pg.Client | undefined;
      let stopped = false;
      let failures = 0;
      const open = async (): Promise<void> => {
        const client = new pg.Client({ connectionString: options.connectionString });
        const reopen = () => {
          if (stopped || current !== client) return;
          current = undefined;
          setTimeout(() => void open().catch(() => undefined), reconnectDelay(failures++));
        };
        client.on('error', (error) => {
          options.onError?.(error);
          reopen();
        });
        client.on('end', reopen);
        client.on('notification', (message) => {
          if (message.channel === channel) onNotify(message.payload ?? '');
        });
        current = client;
        try {
          await client.connect();
          await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
          failures = 0;
          // Whatever was committed while we were away is announced once we are back.
          onNotify('');
        } catch (error) {
          reopen();
          throw error;
        }
      };
      await open();
      return async () => {
        stopped = true;
        await current?.end().catch(() => undefined);
      };
    },
    async close() {
      await pool.end();
    },
  };
}
