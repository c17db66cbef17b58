// The projection runner: keeps every read model and process manager up to date with
// the log, each from its own checkpoint.
//
// - A projection's batch updates its tables and its checkpoint in one transaction, so
//   its effect is exactly once whatever crashes. The batch first locks the checkpoint
//   row and checks it is where this runner left it; if another replica or a rebuild
//   moved it, the batch rolls back and the loop resumes from the stored checkpoint.
// - A reactor's checkpoint advances after `react` resolved (at least once; reactors
//   are idempotent by source event id).
// - `rebuild` replays the log from position 0 into a fresh generation of tables beside
//   the live ones, then swaps the read views and the checkpoint in one transaction.
// - A handler that throws stops only its processor, loudly (log, status, checkpoint row,
//   metric); a lost database connection is retried with backoff instead.
import { pause, reconnectDelay } from '../../events/backoff.ts';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { withSchemaLock } from '../../events/sql/migrations.ts';
import type { EventStore } from '../../events/store.ts';
import {
  advanceReactor, claimRebuild, ensureCheckpointTable, insertCheckpoint, readCheckpoint, readCheckpoints, rebuildHeartbeat, recordFailure,
  releaseRebuild, writeCheckpoint, type Checkpoint,
} from './checkpoints.ts';
import { createRunnerMetrics, type RunnerMetrics } from './metrics.ts';
import type { Processor, Projection } from '../../events/processor.ts';
import { createGeneration, switchGeneration, tablesOf } from './tables.ts';

export type ProcessorState = 'idle' | 'running' | 'rebuilding' | 'failed' | 'stopped';

export type ProcessorStatus = {
  name: string;
  kind: Processor['kind'];
  state: ProcessorState;
  /** Last global position whose effects are durable. */
  position: number;
  head: number;
  lagEvents: number;
  /** How long ago the oldest event not yet applied was recorded; 0 when caught up. */
  lagMs: number;
  version: number | null;
  generation: number | null;
  error: string | null;
};

export type BatchReport = { name: string; events: readonly RecordedEvent[]; appliedAt: number };

export type RebuildReport = { projections: string[]; events: number; position: number; durationMs: number; eventsPerSecond: number };

export class ProjectionError extends Error {
  readonly code: 'projections/unknown' | 'projections/not_rebuildable' | 'projections/rebuild_in_progress';
  constructor(code: ProjectionError['code'], message: string) {
    super(message);
    this.name = 'ProjectionError';
    this.code = code;
  }
}

export type RunnerOptions = {
  db: SqlExecutor;
  store: EventStore;
  /** Schema of the checkpoints and read-model tables (usually the store's own). */
  schema: string;
  processors: readonly Processor[];
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Events per live batch (default 500) and per rebuild batch (default 5,000). */
  batchSize?: number;
  rebuildBatchSize?: number;
  /** Least time between a processor's live batches (default 25 ms): fewer, larger transactions under load. */
  liveBatchIntervalMs?: number;
  /** Called after each live batch became durable: benchmarks and tests measure lag with it. */
  onBatch?: (report: BatchReport) => void;
  metrics?: Registry;
  now?: () => number;
};

/** Thrown inside a batch transaction when the stored checkpoint is not the loop's. */
class CheckpointMoved extends Error {
  readonly checkpoint: Checkpoint;
  constructor(checkpoint: Checkpoint) {
    super(`checkpoint of ${checkpoint.name} moved`);
    this.checkpoint = checkpoint;
  }
}

/** A processor's own code threw: a bug or bad data, not the infrastructure. */
class HandlerFailed extends Error {}

type Loop = {
  processor: Processor;
  state: ProcessorState;
  /** Last position applied (or passed over, when nothing in it concerned this processor). */
  position: number;
  /** The position this runner last wrote to the checkpoint row. */
  persisted: number;
  persistedAt: number;
  generation: number;
  version: number;
  error: string | null;
  lastLagMs: number;
  task: Promise<void> | null;
};

type RebuildTarget = { projection: Projection; generation: number };

/** How long a processor may leave its checkpoint behind while passing over events it does not handle. */
const CHECKPOINT_EVERY_MS = 1000;

/** A rebuild that made no progress for this long is presumed dead and may be taken over. */
const REBUILD_STALE_MS = 60_000;


export class ProjectionRunner {
  readonly #options: RunnerOptions;
  readonly #loops = new Map<string, Loop>();
  readonly #abort = new AbortController();
  readonly #metrics: RunnerMetrics | null;
  readonly #now: () => number;
  #started = false;
  #waiters = new Set<() => void>();

  private constructor(options: RunnerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#metrics = options.metrics ? createRunnerMetrics(options.metrics, () => this.status()) : null;
    for (const processor of options.processors) {
      if (this.#loops.has(processor.name)) throw new Error(`processor ${processor.name} is registered twice`);
      const version = processor.kind === 'projection' ? processor.version : 0;
      this.#loops.set(processor.name, { processor, state: 'idle', position: 0, persisted: 0, persistedAt: 0, generation: 1, version, error: null, lastLagMs: 0, task: null });
    }
  }

  static async open(options: RunnerOptions): Promise<ProjectionRunner> {
    // Under the migrations' lock: processes starting together must not race on CREATE TABLE.
    await withSchemaLock(options.db, options.schema, (tx) => ensureCheckpointTable(tx, options.schema));
    return new ProjectionRunner(options);
  }

  get names(): string[] {
    return [...this.#loops.keys()];
  }

  /** Starts every processor's live loop; resolves once each has its checkpoint (not once caught up). */
  async start(): Promise<void> {
    this.#started = true;
    for (const loop of this.#loops.values()) {
      const checkpoint = await this.#ensureCheckpoint(loop.processor);
      this.#adopt(loop, checkpoint);
      const stale = loop.processor.kind === 'projection' && checkpoint.version !== loop.processor.version;
      loop.task = (stale ? this.#rebuildThenRun(loop) : this.#run(loop)).catch((error: unknown) => this.#fail(loop, error));
    }
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await Promise.all([...this.#loops.values()].map((loop) => loop.task));
    for (const loop of this.#loops.values()) if (loop.state !== 'failed') loop.state = 'stopped';
    this.#wake();
  }

  async status(): Promise<ProcessorStatus[]> {
    const { db, schema, store } = this.#options;
    const head = await store.headPosition();
    const stored = new Map((await readCheckpoints(db, schema)).map((checkpoint) => [checkpoint.name, checkpoint]));
    const statuses: ProcessorStatus[] = [];
    for (const loop of this.#loops.values()) {
      const checkpoint = stored.get(loop.processor.name);
      // Another process (the server's runner) may be the one making progress.
      const position = Math.max(loop.position, checkpoint?.position ?? 0);
      const lagEvents = Math.max(0, head - position);
      const lagMs = lagEvents === 0 ? 0 : await this.#ageOf(position + 1);
      const error = loop.error ?? checkpoint?.error ?? null;
      const state = loop.state === 'idle' && error ? 'failed' : loop.state;
      statuses.push({
        name: loop.processor.name,
        kind: loop.processor.kind,
        state,
        position,
        head,
        lagEvents,
        lagMs,
        version: loop.processor.kind === 'projection' ? (checkpoint?.version ?? null) : null,
        generation: loop.processor.kind === 'projection' ? (checkpoint?.generation ?? null) : null,
        error,
      });
    }
    return statuses;
  }

  /** Resolves when every named processor (default: all) has applied `position`; rejects if one fails or stops. */
  async waitFor(position: number, names: readonly string[] = this.names, signal?: AbortSignal): Promise<void> {
    const loops = names.map((name) => this.#require(name));
    for (;;) {
      const failed = loops.find((loop) => loop.state === 'failed' || loop.state === 'stopped');
      if (failed) throw new Error(`${failed.processor.name} is ${failed.state}${failed.error ? `: ${failed.error}` : ''}`);
      if (loops.every((loop) => loop.state === 'running' && loop.position >= position)) return;
      if (signal?.aborted) throw signal.reason;
      await new Promise<void>((resolve) => this.#waiters.add(resolve));
    }
  }

  /**
   * Replays the whole log into a fresh generation of the named projections' tables (one
   * read feeds them all), then swaps them in. Works with or without live loops running,
   * here or in another process.
   */
  async rebuild(names: readonly string[], options: { onProgress?: (position: number, head: number) => void } = {}): Promise<RebuildReport> {
    const { db, schema } = this.#options;
    const projections = names.map((name) => {
      const processor = this.#loops.get(name)?.processor;
      if (!processor) throw new ProjectionError('projections/unknown', `unknown projection ${name}; known: ${this.names.join(', ')}`);
      if (processor.kind !== 'projection') throw new ProjectionError('projections/not_rebuildable', `${name} is a reactor: it acts on the world and has no tables to rebuild`);
      return processor;
    });
    const started = this.#now();
    const targets: RebuildTarget[] = [];
    let replayed: { position: number; events: number } | null = null;
    try {
      for (const projection of projections) {
        await this.#ensureCheckpoint(projection);
        // Two processes rebuilding one projection would fight over its next generation.
        const generation = await claimRebuild(db, schema, projection.name, REBUILD_STALE_MS);
        if (generation === null) throw new ProjectionError('projections/rebuild_in_progress', `${projection.name} is being rebuilt by another process`);
        targets.push({ projection, generation });
        await createGeneration(db, schema, projection, generation);
        const loop = this.#require(projection.name);
        if (loop.state !== 'running') loop.state = 'rebuilding';
      }
      replayed = await this.#replayInto(targets, options.onProgress);
    } finally {
      if (!replayed) {
        for (const { projection, generation } of targets) await releaseRebuild(db, schema, projection.name, generation).catch(() => {});
      }
    }
    const { position, events } = replayed;
    for (const { projection, generation } of targets) {
      const loop = this.#require(projection.name);
      this.#options.logger.info({ projection: projection.name, generation, position, events }, 'projection rebuilt');
      if (loop.state === 'running') continue; // its next batch finds the moved checkpoint
      this.#adopt(loop, { name: projection.name, kind: 'projection', version: projection.version, generation, position, error: null });
      loop.state = 'idle';
      // A failed projection that was rebuilt goes live again.
      if (this.#started && !this.#abort.signal.aborted && loop.task === null) {
        loop.task = this.#run(loop).catch((error: unknown) => this.#fail(loop, error));
      }
    }
    const durationMs = Math.max(1, this.#now() - started);
    return { projections: [...names], events, position, durationMs, eventsPerSecond: Math.round((events * 1000) / durationMs) };
  }

  /** Reads the log once from the start into every target's new tables, then swaps them in. */
  async #replayInto(targets: readonly RebuildTarget[], onProgress?: (position: number, head: number) => void): Promise<{ position: number; events: number }> {
    const { db, schema, store } = this.#options;
    const batchSize = this.#options.rebuildBatchSize ?? 5000;
    const head = await store.headPosition();
    let position = 0;
    let events = 0;
    let sinceHeartbeat = 0;
    const read = (from: number) => {
      const page = store.readAll({ fromPosition: from, limit: batchSize });
      page.catch(() => {}); // awaited below, or dropped when the replay ends first
      return page;
    };
    let reading = read(1);
    for (;;) {
      const page = await reading;
      // The next page is read while this one is applied.
      reading = read((page.at(-1)?.position ?? position) + 1);
      if (page.length > 0) {
        // The projections side by side, each in a transaction of its own: their new tables
        // are invisible until the swap, so a page need not land in all of them at once, and
        // the database works on one projection's rows while this process builds another's.
        await Promise.all(
          targets.map(({ projection, generation }) => {
            const relevant = relevantTo(projection, page);
            if (relevant.length === 0) return undefined;
            return db.transaction((tx) => projection.apply(tx, relevant, tablesOf(schema, projection, generation)), REBUILDABLE);
          }),
        );
        position = page.at(-1)!.position;
        events += page.length;
        onProgress?.(position, Math.max(head, position));
        if ((sinceHeartbeat += page.length) >= 50_000) {
          sinceHeartbeat = 0;
          for (const { projection, generation } of targets) await rebuildHeartbeat(db, schema, projection.name, generation);
        }
        if (page.length === batchSize) continue;
      }
      const swapped = await db.transaction(async (tx) => {
        const current: Checkpoint[] = [];
        for (const { projection } of targets) {
          const checkpoint = (await readCheckpoint(tx, schema, projection.name, { lock: true }))!;
          // The live loop got further while we read: catch up before swapping.
          if (checkpoint.position > position) return false;
          current.push(checkpoint);
        }
        for (const [index, { projection, generation }] of targets.entries()) {
          await switchGeneration(tx, schema, projection, generation, current[index]!.generation);
          await writeCheckpoint(tx, schema, { name: projection.name, version: projection.version, generation, position, error: null });
        }
        return true;
      });
      if (swapped) return { position, events };
    }
  }

  /** A projection whose handler version changed is rebuilt (here, or by whichever replica claimed it) before it goes live. */
  async #rebuildThenRun(loop: Loop): Promise<void> {
    const { db, schema, logger } = this.#options;
    const version = loop.processor.kind === 'projection' ? loop.processor.version : 0;
    logger.warn({ projection: loop.processor.name, version }, 'projection version changed: rebuilding');
    loop.state = 'rebuilding';
    try {
      await this.rebuild([loop.processor.name]);
    } catch (error) {
      if (!(error instanceof ProjectionError && error.code === 'projections/rebuild_in_progress')) throw error;
      for (;;) {
        await pause(250, this.#abort.signal);
        if (this.#abort.signal.aborted) return;
        const checkpoint = await readCheckpoint(db, schema, loop.processor.name);
        if (checkpoint && checkpoint.version === version) {
          this.#adopt(loop, checkpoint);
          break;
        }
      }
    }
    await this.#run(loop);
  }

  async #run(loop: Loop): Promise<void> {
    const { store, db, schema, logger } = this.#options;
    const signal = this.#abort.signal;
    loop.state = 'running';
    loop.error = null;
    this.#wake();
    let attempt = 0;
    const liveInterval = (loop.processor.kind === 'projection' ? loop.processor.liveBatchIntervalMs : undefined) ?? this.#options.liveBatchIntervalMs ?? 25;
    const batchSize = this.#options.batchSize ?? 500;
    while (!signal.aborted) {
      const subscription = store.subscribeAll({ after: loop.position, batchSize, signal });
      try {
        const pages = subscription.pages()[Symbol.asyncIterator]();
        let next = pages.next();
        for (;;) {
          // Gone quiet with a checkpoint left behind (the last pages held nothing for it): write it.
          const result = loop.position > loop.persisted ? await orIdle(next, CHECKPOINT_EVERY_MS) : await next;
          if (result === IDLE) {
            await this.#commit(loop, [], loop.position);
            loop.persisted = loop.position;
            loop.persistedAt = this.#now();
            continue;
          }
          if (result.done) return;
          const started = this.#now();
          // A full page means a backlog: read the next one while this one is applied.
          const backlog = result.value.length >= batchSize;
          if (backlog) {
            next = pages.next();
            next.catch(() => {}); // awaited below; a failure of this page must not leave it unhandled
          }
          await this.#applyLive(loop, result.value);
          attempt = 0;
          if (backlog) continue;
          // Gather what arrives meanwhile into the next batch rather than committing a
          // transaction per append: a few ms of lag buys far fewer, larger batches.
          const gather = liveInterval - (this.#now() - started);
          if (gather > 0) await pause(gather, signal);
          next = pages.next();
        }
      } catch (error) {
        subscription.close();
        if (signal.aborted) return;
        if (error instanceof CheckpointMoved) {
          this.#adopt(loop, error.checkpoint);
          continue;
        }
        if (error instanceof HandlerFailed || !this.#isTransient(loop, error)) throw error instanceof HandlerFailed ? error.cause : error;
        logger.warn({ processor: loop.processor.name, err: error, attempt }, 'processor paused: database or downstream unavailable, retrying');
        await pause(reconnectDelay(attempt++), signal);
        const checkpoint = await readCheckpoint(db, schema, loop.processor.name).catch(() => null);
        if (checkpoint) this.#adopt(loop, checkpoint);
      }
    }
  }

  async #applyLive(loop: Loop, page: readonly RecordedEvent[]): Promise<void> {
    const processor = loop.processor;
    const last = page.at(-1)!.position;
    const relevant = relevantTo(processor, page);
    // A page with nothing for this processor only moves its checkpoint, which can wait a
    // little: on a restart those events are read again and passed over again.
    if (relevant.length > 0 || this.#now() - loop.persistedAt >= CHECKPOINT_EVERY_MS) {
      await this.#commit(loop, relevant, last);
      loop.persisted = last;
      loop.persistedAt = this.#now();
    }
    loop.position = last;
    const appliedAt = this.#now();
    const recordedAt = Date.parse(page.at(-1)!.metadata.recordedAt);
    loop.lastLagMs = Math.max(0, appliedAt - recordedAt);
    if (this.#metrics) {
      this.#metrics.position.set({ name: processor.name }, last);
      this.#metrics.lag.observe({ name: processor.name }, loop.lastLagMs / 1000);
      this.#metrics.events.inc({ name: processor.name }, page.length);
    }
    this.#options.onBatch?.({ name: processor.name, events: page, appliedAt });
    this.#wake();
  }

  /** Applies (or reacts to) a page's relevant events and moves the checkpoint past `last`. */
  async #commit(loop: Loop, relevant: readonly RecordedEvent[], last: number): Promise<void> {
    const { db, schema } = this.#options;
    const processor = loop.processor;
    if (processor.kind === 'projection') {
      await db.transaction(async (tx) => {
        const checkpoint = (await readCheckpoint(tx, schema, processor.name, { lock: true }))!;
        if (checkpoint.generation !== loop.generation || checkpoint.position !== loop.persisted) throw new CheckpointMoved(checkpoint);
        if (relevant.length > 0) {
          try {
            await processor.apply(tx, relevant, tablesOf(schema, processor, loop.generation));
          } catch (error) {
            // A connection lost mid-apply is the database's, not the handler's: retried.
            if (isConnectionError(error)) throw error;
            throw new HandlerFailed(describe(error), { cause: error });
          }
        }
        await writeCheckpoint(tx, schema, { name: processor.name, version: loop.version, generation: loop.generation, position: last, error: null });
      }, REBUILDABLE);
      return;
    }
    if (relevant.length > 0) {
      try {
        await processor.react(relevant);
      } catch (error) {
        if (this.#isTransient(loop, error)) throw error;
        throw new HandlerFailed(describe(error), { cause: error });
      }
    }
    await advanceReactor(db, schema, processor.name, last);
  }

  #isTransient(loop: Loop, error: unknown): boolean {
    if (loop.processor.kind === 'reactor' && loop.processor.isTransient) return loop.processor.isTransient(error);
    return isConnectionError(error);
  }

  async #fail(loop: Loop, error: unknown): Promise<void> {
    loop.state = 'failed';
    loop.error = describe(error);
    loop.task = null;
    this.#metrics?.failures.inc({ name: loop.processor.name });
    this.#options.logger.error({ processor: loop.processor.name, position: loop.position, err: error }, 'processor failed and stopped');
    this.#wake();
    await recordFailure(this.#options.db, this.#options.schema, loop.processor.name, loop.error).catch(() => {});
  }

  async #ensureCheckpoint(processor: Processor): Promise<Checkpoint> {
    const { db, schema } = this.#options;
    const existing = await readCheckpoint(db, schema, processor.name);
    if (existing) return existing;
    if (processor.kind === 'reactor') {
      return insertCheckpoint(db, schema, { name: processor.name, kind: 'reactor', version: 0, generation: 0, position: 0, error: null });
    }
    return withSchemaLock(db, schema, async (tx) => {
      // Another process may have created it while this one waited for the lock.
      const created = await readCheckpoint(tx, schema, processor.name);
      if (created) return created;
      await createGeneration(tx, schema, processor, 1);
      await switchGeneration(tx, schema, processor, 1, null);
      return insertCheckpoint(tx, schema, { name: processor.name, kind: 'projection', version: processor.version, generation: 1, position: 0, error: null });
    });
  }

  #adopt(loop: Loop, checkpoint: Checkpoint): void {
    loop.position = checkpoint.position;
    loop.persisted = checkpoint.position;
    loop.generation = checkpoint.generation;
    loop.version = checkpoint.version;
    this.#wake();
  }

  async #ageOf(position: number): Promise<number> {
    const [event] = await this.#options.store.readAll({ fromPosition: position, limit: 1, raw: true });
    return event ? Math.max(0, this.#now() - Date.parse(event.metadata.recordedAt)) : 0;
  }

  #require(name: string): Loop {
    const loop = this.#loops.get(name);
    if (!loop) throw new ProjectionError('projections/unknown', `unknown projection ${name}; known: ${this.names.join(', ')}`);
    return loop;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = new Set();
    for (const wake of waiters) wake();
  }
}

export function openProjectionRunner(options: RunnerOptions): Promise<ProjectionRunner> {
  return ProjectionRunner.open(options);
}

/**
 * A read-model batch need not wait for its WAL flush: its rows and its checkpoint commit
 * together, so a crash can only lose both (the batch is then applied again), never one
 * without the other. This keeps live batches from queueing behind the log's own fsyncs.
 */
const REBUILDABLE = { durable: false } as const;

function relevantTo(processor: Processor, page: readonly RecordedEvent[]): readonly RecordedEvent[] {
  const types = processor.eventTypes;
  return types ? page.filter((event) => types.has(event.type)) : page;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Errors that say the database went away, not that the handler is wrong. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error ? String(error.code) : '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'store/unavailable'].includes(code)) return true;
  // SQLSTATE class 08 (connection exception), 57P01-03 (admin shutdown, crash, cannot connect now).
  if (/^08|^57P0[123]$/.test(code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message);
}

const IDLE = Symbol('idle');

/** `pending`, or IDLE if it has not settled within `ms`. */
function orIdle<T>(pending: Promise<T>, ms: number): Promise<T | typeof IDLE> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<typeof IDLE>((resolve) => {
    timer = setTimeout(() => resolve(IDLE), ms);
  });
  return Promise.race([pending, idle]).finally(() => clearTimeout(timer));
}
