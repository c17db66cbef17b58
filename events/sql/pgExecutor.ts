// SqlExecutor over a node-postgres pool (production and CI).
//
// Every fault fails fast: a statement that gets no answer within `queryTimeoutMs` fails
// (and its connection is destroyed, so a stalled socket never goes back to the pool), the
// server cancels statements that run longer than that, connecting gives up after
// `connectTimeoutMs`, and TCP keepalive notices an idle connection whose peer vanished. A
// stalled database (packets dropped) thus looks like a reset one within about 2 s.
import { reconnectDelay } from '../backoff.ts';
import pg from 'pg';
import type { SqlExecutor, SqlQueryable } from './executor.ts';

export type PgExecutorOptions = {
  connectionString: string;
  /** Pool size; the group committer uses at most `maxConcurrency` of them for writes. */
  max?: number;
  onError?: (error: Error) => void;
  /** Client-side limit on one statement's answer, and the server's statement_timeout (default 2000; 0: none). */
  queryTimeoutMs?: number;
  /** Limit on opening a connection (default 2000). */
  connectTimeoutMs?: number;
};

/** The error a statement without an answer in time fails with (pg's own message for it). */
const TIMED_OUT = /Query read timeout|timeout exceeded when trying to connect|Connection terminated due to connection timeout/;

export async function openPgExecutor(options: PgExecutorOptions): Promise<SqlExecutor> {
  const timeoutMs = options.queryTimeoutMs ?? 2000;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 1000,
    ...(timeoutMs > 0 ? { statement_timeout: timeoutMs } : {}),
  });
  pool.on('error', (error) => options.onError?.(error));
  // Fail at start, with the driver's reason, rather than on the first append.
  const probe = await pool.connect();
  probe.release();

  /** A statement with no answer in time: its connection may be stalled, so it never serves again. */
  const run = async (client: pg.PoolClient, text: string, params: unknown[] | undefined, limitMs: number) => {
    try {
      return await client.query(limitMs > 0 ? { text, values: params, query_timeout: limitMs } as pg.QueryConfig : { text, values: params } as pg.QueryConfig);
    } catch (error) {
      if (error instanceof Error && TIMED_OUT.test(error.message)) {
        (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
        throw Object.assign(error, { code: 'ETIMEDOUT' });
      }
      throw error;
    }
  };
  const connect = () =>
    pool.connect().catch((error: unknown) => {
      throw error instanceof Error && TIMED_OUT.test(error.message) && !('code' in error) ? Object.assign(error, { code: 'ETIMEDOUT' }) : error;
    });

  return {
    async query(text, params) {
      const client = await connect();
      // As in a transaction: a connection that dies under a query emits 'error' too.
      const onError = (error: Error) => options.onError?.(error);
      client.on('error', onError);
      try {
        const result = await run(client, text, params, timeoutMs);
        client.release();
        return result.rows;
      } catch (error) {
        client.release(isBroken(error as Error) ? (error as Error) : undefined);
        throw error;
      } finally {
        client.off('error', onError);
      }
    },
    maxConcurrency: 2,
    async transaction(work, transactionOptions) {
      const client = await connect();
      const limitMs = transactionOptions?.long ? 0 : timeoutMs;
      // A connection that dies mid-transaction emits 'error' besides failing the query.
      const onError = (error: Error) => options.onError?.(error);
      client.on('error', onError);
      let failed: Error | undefined;
      try {
        // One round trip either way.
        const begin = transactionOptions?.durable === false ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN';
        await run(client, transactionOptions?.long ? `${begin}; SET LOCAL statement_timeout = 0` : begin, undefined, limitMs);
        const result = await work({ query: async (text, params) => (await run(client, text, params, limitMs)).rows });
        await run(client, 'COMMIT', undefined, limitMs);
        return result;
      } catch (error) {
        failed = error as Error;
        await run(client, 'ROLLBACK', undefined, limitMs).catch(() => undefined);
        throw error;
      } finally {
        client.off('error', onError);
        // A connection that failed with a connection error is discarded, not reused.
        client.release(failed && isBroken(failed) ? failed : undefined);
      }
    },
    async listen(channel, onNotify) {
      // One dedicated connection, re-established with backoff whenever it drops, so
      // notifications resume after a database restart or a network cut.
      let current: pg.Client | undefined;
      let stopped = false;
      let failures = 0;
      const open = async (): Promise<void> => {
        const client = new pg.Client({ connectionString: options.connectionString, keepAlive: true, keepAliveInitialDelayMillis: 1000, connectionTimeoutMillis: options.connectTimeoutMs ?? 2000 });
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

function isBroken(error: Error): boolean {
  const code = 'code' in error ? String(error.code) : '';
  return ['ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE'].includes(code) || /^08/.test(code) || /Connection terminated|not queryable/i.test(error.message);
}
