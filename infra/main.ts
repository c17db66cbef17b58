// Entry point: `npm start`. Embedded defaults (PGlite under ./data, ws transport,
// port 2567) unless the environment says otherwise.
import { loadConfig } from './config.ts';
import { createCatalog } from './catalog.ts';
import { openConfiguredStore, type OpenedStore } from './eventStore.ts';
import { projectionRoutes } from './http/projectionRoutes.ts';
import { createLogger } from './logger.ts';
import { startProjector } from './projector.ts';
import { startGameServer, type GameServer } from './server.ts';
import type { ProjectionRunner } from '../projections/index.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  let opened: OpenedStore | undefined;
  let game: GameServer | undefined;
  let projector: ProjectionRunner | undefined;

  // Installed first, so a signal during start-up still shuts down in order.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await game?.stop();
    await projector?.stop();
    await opened?.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  opened = await openConfiguredStore(config, createCatalog(), logger);
  projector = await startProjector(opened, logger);
  game = await startGameServer(config, opened, logger, { routes: [...projectionRoutes(projector)] });
  game.markReady();
  logger.info({ port: game.port }, 'ready');
}

main().catch((error: unknown) => {
  // One clear line, no stack trace, for the errors a person can act on.
  const known = error instanceof Error && 'code' in error && typeof error.code === 'string';
  const logger = createLogger('info');
  if (known) logger.fatal({ code: (error as { code: string }).code }, error.message);
  else logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
