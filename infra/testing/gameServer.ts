// Test support: a real game server in this process (Colyseus over ws on a free port)
// with its event store on the local PostgreSQL, in a schema of its own, and its rate
// limits and refresh tokens in the local Redis, under a key prefix of its own.
import { randomBytes } from 'node:crypto';
import { Client } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { openProjectionRunner, type Processor, type ProjectionRunner } from '../../projections/index.ts';
import type { Role } from '../../rooms/shared/access.ts';
import type { AuthOverrides } from '../auth/index.ts';
import { createCatalog } from '../catalog.ts';
import { loadConfig } from '../config.ts';
import { adminRoutes } from '../http/adminRoutes.ts';
import { apiRoutes } from '../http/api.ts';
import { projectionRoutes } from '../http/projectionRoutes.ts';
import type { Route } from '../http/route.ts';
import { liveOpsGameOptions, startLiveOps, type LiveOps } from '../flags/index.ts';
import { startProjector } from '../projector.ts';
import { createPurchaseService } from '../../commands/purchases/index.ts';
import { WalletService } from '../../commands/wallet/service.ts';
import { SignedInClient } from './signedIn.ts';
import { startGameServer, type GameServer, type GameServerOptions } from '../server.ts';
import { createSocial } from '../social/index.ts';
import { legionRoutes } from '../social/legionRoutes.ts';
import { socialRoutes } from '../social/routes.ts';

export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type TestGameServer = {
  game: GameServer;
  store: EventStore;
  /** The store's database and schema (read models live there too). */
  db: SqlExecutor;
  schema: string;
  url: string;
  /** `http://127.0.0.1:<port>`, for the HTTP API. */
  httpUrl: string;
  /**
   * An SDK client that, on every join, carries a session token for the player its join
   * options name (`{ playerId }`), or a watch-only token for `{ spectator: true }`: tests
   * read as before, and every join passes the real token check.
   */
  client(): Client;
  /** An SDK client that sends exactly this token (none if undefined). */
  clientWithToken(token: string | undefined): Client;
  /** A session token signed by this server. */
  tokenFor(playerId: string, roles?: Role[]): Promise<string>;
  /** The read side's projector, with `readSide`. */
  projector?: ProjectionRunner;
  /** Flags, rollouts and the client manifest, with `liveOps`. */
  liveOps?: LiveOps;
  stop(): Promise<void>;
};

export type TestGameServerOptions = {
  connectionString?: string;
  routes?: readonly Route[];
  /**
   * Also run the projector and serve the read API (apiRoutes), as `npm start` does; or, given
   * processors, a projector of exactly those with the operations routes (status, rebuild).
   */
  readSide?: boolean | { processors: Processor[] };
  auth?: AuthOverrides;
  /** The HTTP edge's timeouts and connection limits. */
  edge?: GameServerOptions['edge'];
  /** Spectator rooms' shard size and poll interval. */
  rooms?: GameServerOptions['rooms'];
  /** More environment for the server's config (PANTHEON_ADMIN_PLAYER_IDS, STEAM_*, …). */
  env?: Record<string, string>;
  /** Also serve friends, chat, legions and presence (rooms and routes), with Redis as auth has it. */
  social?: boolean;
  /** Serve live operations (flags over Redis, GET /config, the sign-in version gate) as `npm start` does. */
  liveOps?: boolean;
  /** Routes over this server's store and schema (composed as main.ts composes them). */
  routesOver?: (services: { store: EventStore; db: SqlExecutor; schema: string }) => Route[];
  /** Endpoints that answer other than JSON (the web pages), given the store and the auth of this server. */
  endpoints?: (services: { store: EventStore; verify: (token: string | undefined) => ReturnType<GameServer['auth']['http']['verify']> }) => Promise<GameServerOptions['endpoints']>;
};

/** `connectionString` lets a test put something (a cuttable proxy) between the server and PostgreSQL. */
export async function startTestGameServer(label: string, options: TestGameServerOptions = {}): Promise<TestGameServer> {
  const schema = await createTestSchema(label);
  const db = await openPgExecutor({ connectionString: options.connectionString ?? testDatabaseUrl, onError: () => {} });
  const store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 100 });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PANTHEON_JWT_SECRET: randomBytes(32).toString('base64url'),
    ...options.env,
  });
  const logger = pino({ level: config.LOG_LEVEL });
  const redisPrefix = `test:${schema.name}:`;
  const opened = { store, db, schema: schema.name, kind: 'postgres' as const, close: async () => {} };
  let projector: ProjectionRunner | undefined;
  let readRoutes: Route[] = [];
  if (options.readSide === true) {
    projector = await startProjector(opened, logger);
    // Purchases as configured (by default no platform is: every receipt is refused with a code).
    const purchases = createPurchaseService({ store, wallets: new WalletService({ store }), config, logger });
    readRoutes = apiRoutes({ opened, projector, purchases, rooms: { host: (kind, roomId) => game.hostRoom(kind, roomId) } });
  } else if (options.readSide) {
    projector = await openProjectionRunner({ db, store, schema: schema.name, processors: options.readSide.processors, logger });
    await projector.start();
    readRoutes = [...projectionRoutes(projector), ...adminRoutes(projector)];
  }
  const social = options.social
    ? await createSocial({ store, db, schema: schema.name, wallets: new WalletService({ store }), logger, redisUrl: options.auth?.redisUrl ?? testRedisUrl, redisPrefix: options.auth?.redisPrefix ?? redisPrefix })
    : undefined;
  const liveOps = options.liveOps ? await startLiveOps({ store, logger, redisUrl: testRedisUrl, redisPrefix }) : undefined;
  const { routes: liveOpsRoutes = [], ...liveOpsHooks } = liveOps ? liveOpsGameOptions(liveOps, { db, schema: schema.name }) : {};
  let verify: (token: string | undefined) => ReturnType<GameServer['auth']['http']['verify']> = () => Promise.reject(new Error('the server is not started'));
  const game = await startGameServer(config, opened, logger, {
    ...liveOpsHooks,
    ...(social ? { social: social.rooms } : {}),
    routes: [...readRoutes, ...(social ? [...socialRoutes(social), ...legionRoutes(social)] : []), ...liveOpsRoutes, ...(options.routes ?? []), ...(options.routesOver?.({ store, db, schema: schema.name }) ?? [])],
    auth: { redisUrl: testRedisUrl, redisPrefix, ...options.auth },
    ...(options.rooms ? { rooms: options.rooms } : {}),
    ...(options.edge ? { edge: options.edge } : {}),
    ...(options.endpoints ? { endpoints: await options.endpoints({ store, verify: (token) => verify(token) }) } : {}),
  });
  verify = (token) => game.auth.http.verify(token);
  game.markReady();
  const url = `ws://127.0.0.1:${game.port}`;
  const tokenFor = async (playerId: string, roles: Role[] = ['player']) => (await game.auth.tokens.issue({ playerId, roles })).token;
  return {
    game,
    store,
    db,
    schema: schema.name,
    url,
    httpUrl: `http://127.0.0.1:${game.port}`,
    client: () => new SignedInClient(url, tokenFor),
    clientWithToken: (token) => {
      const client = new Client(url);
      if (token !== undefined) client.auth.token = token;
      return client;
    },
    tokenFor,
    ...(projector ? { projector } : {}),
    ...(liveOps ? { liveOps } : {}),
    async stop() {
      await game.stop();
      await social?.close();
      await liveOps?.stop();
      await projector?.stop();
      await store.close();
      await db.close();
      await schema.drop();
      await dropRedisKeys(options.auth?.redisUrl ?? testRedisUrl, options.auth?.redisPrefix ?? redisPrefix);
    },
  };
}

/** Removes what a test server left in Redis under its prefix. */
export async function dropRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Keys expire on their own; a test does not fail over cleanup.
  } finally {
    redis.disconnect();
  }
}
