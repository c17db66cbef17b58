// The projector: runs every read model and process manager over the configured store.
// In the default `all` role it runs inside the game server's process.
import type { Registry } from 'prom-client';
import { openProjectionRunner, readModels, type Processor, type ProjectionRunner } from '../projections/index.ts';
import type { OpenedStore } from './eventStore.ts';
import type { Logger } from './logger.ts';

export type ProjectorOptions = {
  /** Process managers and other reactors composed by the caller (they need services). */
  reactors?: readonly Processor[];
  metrics?: Registry;
  onBatch?: Parameters<typeof openProjectionRunner>[0]['onBatch'];
};

export async function startProjector(opened: OpenedStore, logger: Logger, options: ProjectorOptions = {}): Promise<ProjectionRunner> {
  const runner = await openProjectionRunner({
    db: opened.db,
    store: opened.store,
    schema: opened.schema,
    processors: [...readModels(), ...(options.reactors ?? [])],
    logger: logger.child({ component: 'projector' }),
    metrics: options.metrics,
    onBatch: options.onBatch,
  });
  await runner.start();
  return runner;
}
