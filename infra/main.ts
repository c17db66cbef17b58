// Entry point: `npm start`. One image, one entry, several roles (PANTHEON_ROLE):
//   game       rooms, sign-in, the HTTP API (read models, purchases, ghosts, operations)
//   projector  read models and the payouts process manager
//   relay      the event stream to Kafka (KAFKA_BROKERS)
//   audit      re-simulates every finished match (anti-cheat findings)
//   narrator   the oracle narrator (OpenAI, or the offline templates)
//   discord    the Discord interactions endpoint and the live match messages
//   all        every one of them in this process (the default), the relay only with KAFKA_BROKERS
// Embedded defaults (PGlite under ./data, ws transport, port 2567) unless the environment
// says otherwise. Every role serves /healthz, /readyz and /metrics on PORT.
import { followPublishedContent, type ContentFollower } from '../commands/content/follower.ts';
import { WalletService } from '../commands/wallet/service.ts';
import { createPurchaseService } from '../commands/purchases/index.ts';
import type { ProjectionRunner } from '../projections/index.ts';
import { createCatalog } from './catalog.ts';
import { loadConfig, type Role } from './config.ts';
import { createDrainer } from './drain.ts';
import { openConfiguredStore, type OpenedStore } from './eventStore.ts';
import { apiRoutes } from './http/api.ts';
import { operationsRoutes } from './http/operationsRoutes.ts';
import { replayRoutes } from './http/replayRoutes.ts';
import type { RelayService } from './kafka/relayService.ts';
import { createLogger } from './logger.ts';
import { createDiscord, type Discord } from './discord/index.ts';
import { auditMetrics, createMetrics, metricsRoutes } from './metrics.ts';
import { createNarrationBus, createNarrator, type NarrationBus, type Narrator } from './narrator/index.ts';
import { startOpsServer, type OpsServer } from './opsServer.ts';
import { openRoomsOf } from './openRooms.ts';
import { liveOpsGameOptions, startLiveOps, startRolloutGuard, type LiveOps, type RolloutGuard } from './flags/index.ts';
import { processorsOf } from './processors.ts';
import { startProjector } from './projector.ts';
import { startGameServer, type GameServer } from './server.ts';
import { createSocial, type Social } from './social/index.ts';
import { legionRoutes } from './social/legionRoutes.ts';
import { socialRoutes } from './social/routes.ts';
import { webEndpoints } from './web/serve.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const role = config.PANTHEON_ROLE;
  const runs = (part: Role) => role === 'all' || role === part;
  const logger = createLogger(config.LOG_LEVEL).child({ role });
  const metrics = createMetrics({ defaultLabels: { role } });
  const drainer = createDrainer({ logger, graceMs: config.PANTHEON_DRAIN_SECONDS * 1000, readiness: metrics.readiness });
  let opened: OpenedStore | undefined;
  let game: GameServer | undefined;
  let ops: OpsServer | undefined;
  let operator: OpsServer | undefined;
  let projector: ProjectionRunner | undefined;
  let relay: RelayService | undefined;
  let narrator: Narrator | undefined;
  let discord: Discord | undefined;
  let narration: NarrationBus | undefined;
  let content: ContentFollower | undefined;
  let social: Social | undefined;
  let liveOps: LiveOps | undefined;
  let rolloutGuard: RolloutGuard | undefined;

  // Installed first, so a signal during start-up still shuts down in order: rooms first
  // (they finish or hand over), then whatever reads the log, then the store.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    metrics.readiness.markDraining();
    if (game) await drainer.drain(game);
    rolloutGuard?.stop();
    await liveOps?.stop();
    await narrator?.close();
    await narration?.close();
    await discord?.stop();
    await projector?.stop();
    await relay?.stop();
    await content?.stop();
    await social?.close();
    await ops?.close();
    await operator?.close();
    await opened?.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  // Where start-up time goes, by phase (logged with `ready`): the store, the content, the read models, the rooms.
  const startup: Record<string, number> = { modules: Math.round(performance.now()) };
  let lap = performance.now();
  const mark = (phase: string) => {
    startup[phase] = Math.round(performance.now() - lap);
    lap = performance.now();
  };
  const catalog = createCatalog();
  // The Colyseus monitor (infra/web) loads while the store opens; only a game server serves it.
  const monitorModule = runs('game') ? import('@colyseus/monitor') : undefined;
  monitorModule?.catch(() => {});
  opened = await openConfiguredStore(config, catalog, logger, { holder: `server (${role})`, timings: startup });
  lap = performance.now();
  const store = metrics.instrumentStore(opened.store);
  const instrumented = { ...opened, store };
  metrics.readiness.addCheck('store', () => opened.store.headPosition());
  if (runs('audit')) auditMetrics(metrics.registry, opened.db, opened.schema);
  // Content versions published through the log: rooms here take the active one, audits here replay any of them.
  if (runs('game') || runs('audit')) content = await followPublishedContent(store, logger);
  mark('content');

  const wallets = new WalletService({ store });
  // Live narration for spectator rooms: Redis pub/sub with REDIS_URL (the narrator may run in another process), in process without.
  if (runs('narrator') || runs('game')) narration = createNarrationBus(config, logger);
  if (runs('narrator')) narrator = createNarrator(config, { logger, metrics: metrics.registry, bus: narration });
  // Slash commands are answered wherever the endpoint is served (game servers, the discord
  // role); live match messages are posted only by the discord role's publisher.
  discord = createDiscord({
    config: runs('discord') ? config : { ...config, DISCORD_BOT_TOKEN: undefined },
    db: opened.db,
    schema: opened.schema,
    store,
    logger,
  });
  const relayLogger = logger.child({ component: 'relay' });
  // kafkajs is loaded only by a process that relays.
  const relaying = runs('relay') && config.KAFKA_BROKERS ? await import('./kafka/relayService.ts') : undefined;
  const kafkaRelay = relaying?.createConfiguredRelay(config, relayLogger, { metrics: metrics.registry });
  if (runs('relay') && !kafkaRelay) logger.info('KAFKA_BROKERS unset: the Kafka relay does not run');
  const services = {
    store, db: opened.db, schema: opened.schema, catalog, logger, wallets, discord: discord.reactors,
    ...(narrator ? { narrator } : {}), ...(kafkaRelay ? { kafkaRelay } : {}), ...(content ? { contentAt: content.waitFor } : {}),
  };
  const processors = processorsOf(runs, services);
  if (processors.length > 0) projector = await startProjector(instrumented, logger, { processors, metrics: metrics.registry });
  // The relay's reactor runs in a runner of its own (processors.ts).
  if (relaying && kafkaRelay) relay = await relaying.startRelayService(kafkaRelay, instrumented, relayLogger, { metrics: metrics.registry });
  const running = [...processors, ...processorsOf(runs, services, 'own')].map((processor) => processor.name);
  logger.info({ processors: running }, running.length > 0 ? 'projector running' : 'no projector in this role');
  mark('projector');

  if (runs('game')) {
    // Operators read every processor's status and rebuild projections from any game server,
    // wherever the processors run (a rebuild claims its projection in the store).
    const operations = projector && role === 'all'
      ? projector
      : await startProjector(instrumented, logger, { processors: processorsOf((part) => part === 'projector' || part === 'audit', { store, db: opened.db, schema: opened.schema, catalog, logger, wallets }), start: false });
    const purchases = createPurchaseService({ store, wallets, config, logger });
    social = await createSocial({
      store, db: opened.db, schema: opened.schema, wallets, logger, redisUrl: config.REDIS_URL, redisPrefix: config.PANTHEON_REDIS_PREFIX,
      limits: config.PANTHEON_RATE_LIMITS, chatWords: config.PANTHEON_CHAT_WORDS,
    });
    // Flags from the log, evaluated through OpenFeature; changes announced over Redis.
    liveOps = await startLiveOps({ store, logger, redisUrl: config.REDIS_URL, redisPrefix: config.PANTHEON_REDIS_PREFIX, pollMs: config.PANTHEON_FLAGS_POLL_SECONDS * 1000 });
    rolloutGuard = startRolloutGuard({ liveOps, health: metrics.health, intervalMs: config.PANTHEON_ROLLOUT_CHECK_SECONDS * 1000, logger });
    const { routes: liveOpsRoutes, ...liveOpsHooks } = liveOpsGameOptions(liveOps, { db: opened.db, schema: opened.schema });
    // The web pages (spectator, play, replay, console) and the monitor; the playground in development.
    const web = await webEndpoints({ store, verify: (token) => (game ? game.auth.http.verify(token) : Promise.reject(new Error('not started'))), logger, playground: config.NODE_ENV === 'development', ...(monitorModule ? { monitorModule } : {}) });
    game = await startGameServer(config, instrumented, logger, {
      ...liveOpsHooks,
      onRoomError: metrics.onRoomError,
      routes: [
        ...apiRoutes({ opened: instrumented, projector: operations, purchases, rooms: { host: (kind, roomId) => game!.hostRoom(kind, roomId) } }),
        ...socialRoutes(social), ...legionRoutes(social), ...discord.routes, ...liveOpsRoutes,
        ...replayRoutes(store), ...operationsRoutes({ store, db: opened.db, schema: opened.schema, registry: metrics.registry }),
      ],
      social: social.rooms,
      endpoints: { ...metricsRoutes(metrics, config.PANTHEON_METRICS_TOKEN ? { token: config.PANTHEON_METRICS_TOKEN } : {}), ...web },
      onTick: metrics.onTick,
      drain: drainer.rooms,
      narration,
      openRooms: openRoomsOf(instrumented),
    });
    await drainer.listen(game);
    game.markReady();
  } else {
    ops = await startOpsServer({
      port: config.PORT,
      host: config.HOST,
      registry: metrics.registry,
      readiness: metrics.readiness,
      health: { role, store: opened.kind },
      ...(runs('discord') ? { routes: discord.routes, logger } : {}),
      metrics: config.PANTHEON_METRICS_TOKEN ? { token: config.PANTHEON_METRICS_TOKEN } : config.PANTHEON_METRICS_PORT === undefined ? 'open' : 'off',
    });
  }
  // The operator port: /metrics (and the probes) for scrapers, never exposed to players.
  if (config.PANTHEON_METRICS_PORT !== undefined) {
    operator = await startOpsServer({ port: config.PANTHEON_METRICS_PORT, host: config.HOST, registry: metrics.registry, readiness: metrics.readiness, health: { role, store: opened.kind } });
    logger.info({ port: operator.port }, 'operator port serving /metrics');
  }
  mark(game ? 'game_server' : 'ops_server');
  metrics.readiness.markReady();
  logger.info({ port: game?.port ?? ops?.port, startupMs: { ...startup, total: Math.round(performance.now()) } }, 'ready');
}

main().catch((error: unknown) => {
  // One clear line, no stack trace, for the errors a person can act on.
  const known = error instanceof Error && 'code' in error && typeof error.code === 'string';
  const logger = createLogger('info');
  if (known) logger.fatal({ code: (error as { code: string }).code }, error.message);
  else logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
