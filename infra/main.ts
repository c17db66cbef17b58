// Entry point: `npm start`. Embedded defaults (PGlite under ./data, ws transport,
// port 2567) unless the environment says otherwise.
import { loadConfig } from './config.ts';
import { createCatalog } from './catalog.ts';
import { openConfiguredStore } from './eventStore.ts';
import { createLogger } from './logger.ts';
import type { Logger } from './logger.ts';
import { startGameServer } from './server.ts';

async function main(): Promise<void> {
  let logger: Logger = createLogger('info');
  const config = loadConfig();
  logger = createLogger(config.LOG_LEVEL);
  const opened = await openConfiguredStore(config, createCatalog(), logger);
  const game = await startGameServer(config, opened, logger);
  game.markReady();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await game.stop();
    await opened.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  // One clear line, no stack trace, for the errors a person can act on.
  const known = error instanceof Error && 'code' in error && typeof error.code === 'string';
  const logger = createLogger('info');
  if (known) logger.fatal({ code: (error as { code: string }).code }, error.message);
  else logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
