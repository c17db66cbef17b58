// Discord spectators, composed from the config: the interactions endpoint (slash commands
// answered from the read models), the publisher that keeps one live message per watched
// match, and the config shape to merge into infra/config.ts.
//
//   const discord = createDiscord({ config, db: opened.db, schema: opened.schema, store: opened.store, logger });
//   routes:     [...apiRoutes(…), ...discord.routes]          (game server)
//   processors: discord.reactors, listed in infra/processors.ts   (discord role)
//   shutdown:   await discord.stop()
//
// Without DISCORD_PUBLIC_KEY and DISCORD_APPLICATION_ID there is no endpoint; without
// DISCORD_BOT_TOKEN no live messages (watches are still recorded, for a process that has one).
import { AccountService } from '../../commands/account/service.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import type { EventStore } from '../../events/store.ts';
import type { Processor } from '../../events/processor.ts';
import type { Route } from '../http/route.ts';
import type { Logger } from '../logger.ts';
import type { DiscordConfig } from './config.ts';
import { interactionRoutes } from './interactions.ts';
import { SpectatorPublisher } from './publisher.ts';
import { DiscordRest, type Clock } from './rest.ts';
import { publicKeyFromHex } from './signature.ts';
import { watchTable } from './watches.ts';

export { discordConfigShape, DiscordConfigSchema, type DiscordConfig } from './config.ts';
export { commandDefinitions } from './commands.ts';
export { discordCodes } from './interactions.ts';
export { registerCommands } from './register.ts';
export { DiscordRest, DiscordRestError } from './rest.ts';
export { SpectatorPublisher } from './publisher.ts';

export type DiscordServices = {
  config: Pick<DiscordConfig, 'DISCORD_PUBLIC_KEY' | 'DISCORD_APPLICATION_ID' | 'DISCORD_BOT_TOKEN' | 'DISCORD_API_BASE_URL'>;
  db: SqlQueryable;
  schema: string;
  /** Where linked identities are read (the account streams). */
  store: EventStore;
  logger: Logger;
  /** Tests: a virtual clock for the REST client's waits, a deadline to force deferral, faster flushes. */
  clock?: Clock;
  answerDeadline?: () => Promise<void>;
  coalesceMs?: number;
  pollMs?: number;
};

export type Discord = {
  routes: Route[];
  reactors: Processor[];
  /** Null without a bot token. */
  publisher: SpectatorPublisher | null;
  stop(): Promise<void>;
};

export function createDiscord(services: DiscordServices): Discord {
  const { config, db, schema } = services;
  const logger = services.logger.child({ component: 'discord' });
  const rest = new DiscordRest({ baseUrl: config.DISCORD_API_BASE_URL, botToken: config.DISCORD_BOT_TOKEN, logger, ...(services.clock ? { clock: services.clock } : {}) });
  const watches = watchTable(db, schema);
  const publisher = config.DISCORD_BOT_TOKEN && config.DISCORD_APPLICATION_ID
    ? new SpectatorPublisher({ rest, watches, logger, ...(services.coalesceMs === undefined ? {} : { coalesceMs: services.coalesceMs }), ...(services.pollMs === undefined ? {} : { pollMs: services.pollMs }) })
    : null;
  if (!publisher) logger.info('DISCORD_BOT_TOKEN or DISCORD_APPLICATION_ID unset: no live spectator messages from this process');
  publisher?.start();

  let routes: Route[] = [];
  if (config.DISCORD_PUBLIC_KEY && config.DISCORD_APPLICATION_ID) {
    const accounts = new AccountService({ store: services.store, logger });
    routes = interactionRoutes({
      db,
      schema,
      publicKey: publicKeyFromHex(config.DISCORD_PUBLIC_KEY),
      applicationId: config.DISCORD_APPLICATION_ID,
      rest,
      watch: (stream, channel, by) => (publisher ? publisher.watch(stream, channel, by) : watches.add(stream, channel, by)),
      linkedPlayer: (userId) => accounts.holderOf({ provider: 'discord', subject: userId }),
      logger,
      ...(services.answerDeadline ? { answerDeadline: services.answerDeadline } : {}),
    });
  } else {
    logger.info('DISCORD_PUBLIC_KEY or DISCORD_APPLICATION_ID unset: no /discord/interactions endpoint');
  }

  return {
    routes,
    reactors: publisher ? [publisher.reactor()] : [],
    publisher,
    stop: async () => publisher?.stop(),
  };
}
