// The game server process: Colyseus over the chosen transport, its HTTP routes, and
// the event store every room writes to.
import { randomBytes } from 'node:crypto';
import { createEndpoint, createRouter, matchMaker, Server } from '@colyseus/core';
import { findOpenRooms } from '../rooms/shared/recovery.ts';
import type { RoomServices } from '../rooms/shared/colyseusRoom.ts';
import type { Config } from './config.ts';
import { openApiDocument } from './http/openapi.ts';
import { toEndpoint, type Route } from './http/route.ts';
import type { OpenedStore } from './eventStore.ts';
import type { Logger } from './logger.ts';
import { roomDefinitions, roomKinds } from './rooms.ts';
import { createTransport } from './transport.ts';

export type GameServer = {
  server: Server;
  /** The bound port (useful when PORT=0). */
  port: number;
  markReady(): void;
  stop(): Promise<void>;
};

export type GameServerOptions = Pick<RoomServices, 'onTick'> & {
  /** The HTTP API served beside the rooms (read models, purchases…); /openapi.json describes them. */
  routes?: readonly Route[];
};

/** `onTick` lets metrics and benchmarks observe the rooms' ticks. */
export async function startGameServer(config: Config, opened: Pick<OpenedStore, 'store' | 'kind'>, logger: Logger, options: GameServerOptions = {}): Promise<GameServer> {
  const { routes = [], ...hooks } = options;
  let ready = false;
  const transport = await createTransport(config.PANTHEON_TRANSPORT);
  const server = new Server({
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
  const api = Object.fromEntries(routes.map((route) => [route.name, toEndpoint(route, (err, failed) => httpLog.error({ err, route: failed.name }, 'route failed'))]));
  const document = openApiDocument(routes, { title: 'Pantheon API', version: '1', description: 'Read models of Pantheon of Oracles: wallets, ledger, codex, progression, leaderboards.' });
  const openapi = createEndpoint('/openapi.json', { method: 'GET' }, async () => Response.json(document));
  server.router = createRouter({ healthz, openapi, ...api }, { openapi: { disabled: true } });

  const services: RoomServices = { store: opened.store, log: logger.child({ component: 'room' }), resumeKey: randomBytes(24).toString('hex'), ...hooks };
  for (const [name, room] of Object.entries(roomDefinitions(services))) server.define(name, room);

  await server.listen(config.PORT, config.HOST);
  const address = transport.server?.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port, host: config.HOST, transport: config.PANTHEON_TRANSPORT, store: opened.kind }, 'server listening');

  // Rooms whose process died come back from their streams, under their old ids, so
  // players rejoin by room id and play on from the last durable tick.
  for (const open of await findOpenRooms(opened.store, roomKinds)) {
    await matchMaker.createRoom(open.kind, { resume: { roomId: open.roomId, key: services.resumeKey } });
    logger.info({ room: open.roomId, stream: open.streamId }, 'room resumed');
  }

  return {
    server,
    port,
    markReady() {
      ready = true;
    },
    async stop() {
      ready = false;
      await server.gracefullyShutdown(false);
    },
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
