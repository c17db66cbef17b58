// Entry point of the relay as its own process (`npm run relay`): the configured store and
// the relay service over it (relayService.ts). Stops on SIGTERM/SIGINT; a batch not yet
// acknowledged then is re-sent from the checkpoint on the next start.
import { createCatalog } from '../catalog.ts';
import { loadConfig } from '../config.ts';
import { openConfiguredStore, type OpenedStore } from '../eventStore.ts';
import { createLogger } from '../logger.ts';
import { createConfiguredRelay, startRelayService, type RelayService } from './relayService.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL).child({ component: 'relay' });
  let opened: OpenedStore | undefined;
  let service: RelayService | undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, ...service?.relay.status() }, 'relay stopping');
    await service?.stop();
    await opened?.close();
    logger.info('relay stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  opened = await openConfiguredStore(config, createCatalog(), logger);
  service = await startRelayService(createConfiguredRelay(config, logger), opened, logger);
}

main().catch((error: unknown) => {
  const logger = createLogger('info');
  const known = error instanceof Error && 'code' in error && typeof error.code === 'string';
  if (known) logger.fatal({ code: (error as { code: string }).code }, error.message);
  else logger.fatal({ err: error }, 'relay failed to start');
  process.exit(1);
});
