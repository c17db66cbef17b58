// What a read model or a process manager hands the projection runner.
//
// A projection owns tables; each batch of events updates them and the projection's
// checkpoint in one transaction (exactly-once effect). A reactor owns no tables: it
// acts on the world (issues wallet commands, publishes to Kafka) and its checkpoint
// advances only after `react` resolved, so it sees every event at least once and must
// be idempotent (key its effects by the source event id).
import type { RecordedEvent } from './envelope.ts';
import type { SqlQueryable } from './sql/executor.ts';

/** Columns and constraints of one table, as in CREATE TABLE (…), e.g. `player_id text not null, primary key (player_id)`. */
export type TableDefinition = {
  columns: string;
  /** Secondary indexes, each a column list such as `season, rating desc`. */
  indexes?: readonly string[];
};

/** Resolves a projection's table keys to the physical, quoted names a batch must write to. */
export type ProjectionTables<K extends string = string> = {
  readonly [key in K]: string;
};

export type Projection<K extends string = string> = {
  readonly kind: 'projection';
  /** lower_snake_case; prefixes its tables. */
  readonly name: string;
  /** Bump when handler logic or tables change: the runner rebuilds on start when it differs. */
  readonly version: number;
  readonly tables: Readonly<Record<K, TableDefinition>>;
  /** Only these event types reach `apply` (the checkpoint still moves past the rest). */
  readonly eventTypes?: ReadonlySet<string>;
  /**
   * Least time between its live batches, when not the runner's (25 ms): a projection whose
   * batch rewrites a large row per match gathers more events per row written.
   */
  readonly liveBatchIntervalMs?: number;
  /**
   * Applies events (in global order) to the tables, inside the runner's transaction.
   * Must be deterministic: a rebuild from position 0 produces the same rows as the live run.
   */
  apply(tx: SqlQueryable, events: readonly RecordedEvent[], tables: ProjectionTables<K>): Promise<void>;
};

export type Reactor = {
  readonly kind: 'reactor';
  readonly name: string;
  readonly eventTypes?: ReadonlySet<string>;
  /** Acts on events; throwing stops this reactor (and only it) until restarted. */
  react(events: readonly RecordedEvent[]): Promise<void>;
  /** Errors worth retrying (a broker restarting) rather than stopping for; default: lost database connections. */
  isTransient?(error: unknown): boolean;
};

export type Processor = Projection | Reactor;

/** Identity helper that keeps table keys typed. */
export function defineProjection<K extends string>(projection: Omit<Projection<K>, 'kind'>): Projection<K> {
  return { kind: 'projection', ...projection };
}

export function defineReactor(reactor: Omit<Reactor, 'kind'>): Reactor {
  return { kind: 'reactor', ...reactor };
}
