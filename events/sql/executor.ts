// The little the SQL event store needs from a database driver. PostgreSQL (pg) and
// PGlite both speak PostgreSQL, so one store implementation runs on either.

export type SqlQueryable = {
  query<R extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
};

export type TransactionOptions = {
  durable?: boolean;
  /**
   * Exempt from the executor's per-statement timeout: schema changes that wait on the
   * migrations' lock while another process applies them.
   */
  long?: boolean;
};

export type SqlExecutor = SqlQueryable & {
  /**
   * Runs `work` in one transaction on one connection; rolls back if it throws. With
   * `durable: false` the commit does not wait for its WAL flush (for data that can be
   * rebuilt: a crash loses the whole transaction or nothing).
   */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Calls `onNotify` for each NOTIFY on `channel`, and with '' whenever the listening
   * connection is (re)established; resolves to a function that stops listening.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** How many transactions may usefully run at once (1 for an embedded database). */
  readonly maxConcurrency: number;
  close(): Promise<void>;
};
