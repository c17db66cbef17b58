// The projector: runs read models and process managers over the configured store, each
// from its own checkpoint (projections/runner). Which ones depends on the role (processors.ts);
// in the default `all` role every one runs inside the game server's process.
import type { Registry } from 'prom-client';
import { openProjectionRunner, readModels, type Processor, type ProjectionRunner } from '../projections/index.ts';
import type { OpenedStore } from './eventStore.ts';
import type { Logger } from './logger.ts';
import { roomRules } from '../rooms/rulesRegistry.ts';

export type ProjectorOptions = {
  /** What to run (default: the read models alone). */
  processors?: readonly Processor[];
  metrics?: Registry;
  onBatch?: Parameters<typeof openProjectionRunner>[0]['onBatch'];
  /** Open without starting: status and rebuilds for a process whose processors run elsewhere. */
  start?: boolean;
};

export async function startProjector(opened: Pick<OpenedStore, 'db' | 'store' | 'schema'>, logger: Logger, options: ProjectorOptions = {}): Promise<ProjectionRunner> {
  const runner = await openProjectionRunner({
    db: opened.db,
    store: opened.store,
    schema: opened.schema,
    processors: options.processors ?? readModels(roomRules),
    logger: logger.child({ component: 'projector' }),
    metrics: options.metrics,
    onBatch: options.onBatch,
  });
  if (options.start ?? true) await runner.start();
  return runner;
}
