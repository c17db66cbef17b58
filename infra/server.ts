// The game server process: Colyseus over the chosen transport, its HTTP routes, and
// the event store every room writes to.
import { randomBytes } from 'node:crypto';
import { createEndpoint, createRouter, matchMaker, Server } from '@colyseus/core';
import type { RoomServices } from '../rooms/shared/colyseusRoom.ts';
import type { OpenRoom } from '../rooms/shared/recovery.ts';
import { createAuth, type Auth, type AuthOverrides } from './auth/index.ts';
import type { Config } from './config.ts';
import { edgeCodes, installEdge, type EdgeOptions } from './http/edge.ts';
import { openApiDocument } from './http/openapi.ts';
import { endLargeResponses } from './http/responseWrites.ts';
import { MAX_BODY_BYTES, toEndpoint, type Route } from './http/route.ts';
import type { OpenedStore } from './eventStore.ts';
import type { Logger } from './logger.ts';
import { roomDefinitions, roomFilters, roomKinds, type RoomDefinitionOptions } from './rooms.ts';
import { createScaleOut } from './scaleOut.ts';
import { createTransport } from './transport.ts';

export type GameServer = {
  server: Server;
  /** The bound port (useful when PORT=0). */
  port: number;
  /** Sign-in, tokens, limits (tests mint tokens with auth.tokens). */
  auth: Auth;
  markReady(): void;
  /** Brings back the open rooms no live process hosts (another process's drain handed them over: infra/drain.ts). */
  resumeOpenRooms(): Promise<string[]>;
  /** Hosts the room of a stream that holds its creation event (a story encounter), unless it is hosted here already. */
  hostRoom(kind: string, roomId: string): Promise<void>;
  stop(): Promise<void>;
};

export type GameServerOptions = Pick<RoomServices, 'onTick' | 'drain' | 'narration' | 'social' | 'onRoomError' | 'flags'> & {
  /** Spectator rooms' shard size and poll interval (tests, benchmarks). */
  rooms?: RoomDefinitionOptions;
  /** Changes routes before they are served (live operations gate sign-in on the client version: infra/flags). */
  wrapRoutes?: (routes: readonly Route[]) => Route[];
  /** The HTTP API served beside the rooms (read models, purchases…); /openapi.json describes them. */
  routes?: readonly Route[];
  /** Where auth keeps its limits and refresh tokens, when not as the config says (tests). */
  auth?: AuthOverrides;
  /** Timeouts and connection limits of the HTTP edge, other than the defaults (tests). */
  edge?: Partial<Pick<EdgeOptions, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs' | 'idleTimeoutMs' | 'connectionsPerAddress'>>;
  /** Where the open rooms come from (the open-rooms read model and the log after it); default: a scan of the whole log. */
  openRooms?: () => Promise<OpenRoom[]>;
  /** Endpoints that answer other than JSON (GET /metrics, /readyz: infra/metrics.ts metricsRoutes). */
  endpoints?: Record<string, ReturnType<typeof createEndpoint>>;
};

/** `onTick` lets metrics and benchmarks observe the rooms' ticks. */
export async function startGameServer(config: Config, opened: Pick<OpenedStore, 'store' | 'kind'>, logger: Logger, options: GameServerOptions = {}): Promise<GameServer> {
  const { routes: extraRoutes = [], auth: authOverrides, endpoints = {}, rooms: roomOptions, edge, wrapRoutes = (all) => [...all], openRooms: _openRooms, ...hooks } = options;
  let ready = false;
  const transport = await createTransport(config.PANTHEON_TRANSPORT);
  const auth = await createAuth(config, opened.store, logger, authOverrides);
  const peers = peerPolicy(config, logger);
  if (peers.room) auth.rooms.peerOf = peers.room;
  const routes = wrapRoutes([...auth.routes, ...extraRoutes]);
  // With REDIS_URL, presence and driver live in Redis: several processes share matchmaking.
  const scaleOut = createScaleOut(config, logger);
  const server = new Server({
    ...scaleOut.serverOptions,
    transport,
    greet: false,
    // Shutdown is ours (main.ts): it also closes the store, after the rooms.
    gracefullyShutdown: false,
    logger: colyseusLogger(logger),
  });

  const healthz = createEndpoint('/healthz', { method: 'GET' }, async () =>
    Response.json({ status: ready ? 'ok' : 'starting', store: opened.kind }, { status: ready ? 200 : 503 }),
  );
  const httpLog = logger.child({ component: 'http' });
  const onBug = (err: unknown, failed: Route) => httpLog.error({ err, route: failed.name }, 'route failed');
  const api = Object.fromEntries(routes.map((route) => [route.name, toEndpoint(route, { auth: auth.http, onBug, ...(peers.http ? { peer: peers.http } : {}) })]));
  const document = openApiDocument(routes, { title: 'Pantheon API', version: '1', description: 'Read models of Pantheon of Oracles: wallets, ledger, codex, progression, leaderboards.' });
  const openapi = createEndpoint('/openapi.json', { method: 'GET' }, async () => Response.json(document));
  // Our own `/`, so Colyseus serves no version banner there.
  const root = createEndpoint('/', { method: 'GET' }, async () => Response.json({ error: { code: edgeCodes.notFound, message: 'no such route' } }, { status: 404 }));
  server.router = createRouter({ root, healthz, openapi, ...endpoints, ...api }, { openapi: { disabled: true } });
  allowCorsOrigins(config.PANTHEON_CORS_ORIGINS ?? []);

  const services: RoomServices = { store: opened.store, log: logger.child({ component: 'room' }), resumeKey: randomBytes(24).toString('hex'), access: auth.rooms, ...hooks };
  for (const [name, room] of Object.entries(roomDefinitions(services, roomOptions))) {
    const definition = server.define(name, room);
    if (roomFilters[name]) definition.filterBy(roomFilters[name]);
  }

  await server.listen(config.PORT, config.HOST);
  // Body limits and the peer address for every HTTP request, matchmaking included (ws transport).
  if (transport.server) {
    const router = server.router;
    installEdge(transport.server, {
      maxBodyBytes: MAX_BODY_BYTES,
      trustProxy: config.PANTHEON_TRUST_PROXY,
      connectionsPerAddress: config.PANTHEON_CONNECTIONS_PER_ADDRESS,
      routes: (method, path) => router?.findRoute(method, path) !== undefined,
      logger,
      ...edge,
    });
  }
  if (transport.server) endLargeResponses(transport.server);
  else logger.warn('this transport has no node:http server: body limits hold for the API routes only, and rate limits key on proxy headers');
  const address = transport.server?.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port, host: config.HOST, transport: config.PANTHEON_TRANSPORT, store: opened.kind }, 'server listening');

  // Rooms whose process died come back from their streams, under their old ids, so
  // players rejoin by room id and play on from the last durable tick.
  // With several processes on one store, only rooms no live process hosts (see scaleOut.ts).
  // The lease first: from here on a dead peer's rooms come here, and this process's rooms append only while it holds the lease.
  await scaleOut.startFailover(roomKinds.map((kind) => kind.name), services.resumeKey);
  if (scaleOut.host) services.host = scaleOut.host;
  await scaleOut.resumeOpenRooms(opened.store, roomKinds, services.resumeKey, options.openRooms);

  return {
    server,
    port,
    auth,
    markReady() {
      ready = true;
    },
    resumeOpenRooms: () => scaleOut.resumeOpenRooms(opened.store, roomKinds, services.resumeKey, options.openRooms),
    async hostRoom(kind, roomId) {
      if (!matchMaker.getLocalRoomById(roomId)) await matchMaker.handleCreateRoom(kind, { resume: { roomId, key: services.resumeKey } });
    },
    async stop() {
      ready = false;
      await server.gracefullyShutdown(false);
      await scaleOut.close();
      await auth.close();
    },
  };
}

/**
 * Where a caller's address comes from, for per-address limits. With `ws`, the HTTP edge
 * stamps the socket's address on every request (the defaults). uWebSockets.js has no
 * node:http server to stamp it, so a client-sent header must never be believed: behind a
 * proxy (PANTHEON_TRUST_PROXY) its X-Forwarded-For, otherwise the transport's own address
 * for joins and none for API calls (their per-player and per-identity limits still hold).
 */
function peerPolicy(config: Config, logger: Logger): { http?: (request: Request) => string | undefined; room?: (context: { headers?: Headers; ip?: string | string[] }) => string | undefined } {
  if (config.PANTHEON_TRANSPORT !== 'uwebsockets') return {};
  const forwarded = (headers: Headers | undefined) => headers?.get('x-forwarded-for')?.split(',')[0]?.trim() || undefined;
  const socket = (ip: string | string[] | undefined) => (Array.isArray(ip) ? ip[0] : ip) || undefined;
  if (config.PANTHEON_TRUST_PROXY) {
    return { http: (request) => forwarded(request.headers), room: (context) => forwarded(context.headers) ?? socket(context.ip) };
  }
  logger.warn('uWebSockets.js without PANTHEON_TRUST_PROXY: API calls carry no client address, so only per-player and per-identity limits apply to them; run behind a proxy that sets X-Forwarded-For');
  return { http: () => undefined, room: (context) => socket(context.ip) };
}

/**
 * CORS by allowlist: Colyseus would echo any Origin with credentials allowed. An allowed
 * origin may call the API with a bearer token (never credentials); any other gets no CORS
 * headers, so browsers keep its pages out.
 */
function allowCorsOrigins(origins: readonly string[]): void {
  const allowed = new Set(origins);
  matchMaker.controller.DEFAULT_CORS_HEADERS = {} as typeof matchMaker.controller.DEFAULT_CORS_HEADERS;
  matchMaker.controller.getCorsHeaders = (headers: Headers): Record<string, string> => {
    const origin = headers.get('origin');
    if (!origin || !allowed.has(origin)) return { vary: 'Origin' };
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Headers': 'Content-Type, Authorization',
      'Access-Control-Allow-Methods': 'GET,HEAD,POST,PUT,PATCH,DELETE',
      'Access-Control-Max-Age': '600',
      vary: 'Origin',
    };
  };
}

/** Colyseus logs through a console-like object; route it into pino. */
function colyseusLogger(logger: Logger) {
  const child = logger.child({ component: 'colyseus' });
  const join = (args: unknown[]) => args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ');
  return {
    debug: (...args: unknown[]) => child.debug(join(args)),
    info: (...args: unknown[]) => child.info(join(args)),
    warn: (...args: unknown[]) => child.warn(join(args)),
    error: (...args: unknown[]) => child.error(join(args)),
  };
}
