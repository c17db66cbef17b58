// The operations endpoints of a process that runs no game server (projector, relay, audit,
// discord, narrator roles): GET /healthz, /readyz and /metrics on a plain node:http server,
// so every role's pod is probed and scraped the same way as the game servers. A role may
// also serve public API routes here (the discord role's interactions endpoint).
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRouter, toNodeHandler } from '@colyseus/core';
import type { Registry } from 'prom-client';
import { AccessDenied, accessCodes } from '../rooms/shared/access.ts';
import { toEndpoint, type Route } from './http/route.ts';
import type { Logger } from './logger.ts';
import type { Readiness } from './metrics.ts';

export type OpsServer = { port: number; server: Server; close(): Promise<void> };

export type OpsServerOptions = {
  port: number;
  host?: string;
  registry: Registry;
  readiness: Readiness;
  /** Extra fields in the /healthz body (the role, the store kind). */
  health?: Record<string, string>;
  /** Public routes (no sign-in here: a route needing a token is refused). */
  routes?: readonly Route[];
  logger?: Logger;
  /** How /metrics is served here: openly (the operator port; the default), with a bearer token, or not at all. */
  metrics?: 'open' | { token: string } | 'off';
};

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const api = options.routes?.length ? apiHandler(options.routes, options.logger) : undefined;
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (api && !['/healthz', '/readyz', '/metrics'].includes(path ?? '')) return void api(request, response);
    const send = (status: number, body: string, type = 'application/json') => {
      response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, JSON.stringify({ error: { code: 'http/method_not_allowed', message: 'GET only' } }));
    if (path === '/healthz') return send(200, JSON.stringify({ status: 'ok', ...options.health }));
    if (path === '/readyz') {
      void options.readiness.probe().then((result) => send(result.ready ? 200 : 503, JSON.stringify(result)));
      return;
    }
    const metricsAccess = options.metrics ?? 'open';
    if (path === '/metrics' && metricsAccess === 'off') return send(404, JSON.stringify({ error: { code: 'http/not_found', message: `no route ${path}` } }));
    if (path === '/metrics' && typeof metricsAccess === 'object' && !sameToken(request.headers.authorization ?? '', `Bearer ${metricsAccess.token}`)) {
      return send(401, JSON.stringify({ error: { code: 'auth/missing_token', message: 'metrics need the operator token or the operator port' } }));
    }
    if (path === '/metrics') {
      void options.registry.metrics().then(
        (text) => send(200, text, options.registry.contentType),
        (error: unknown) => send(500, JSON.stringify({ error: { code: 'metrics/failed', message: String(error) } })),
      );
      return;
    }
    send(404, JSON.stringify({ error: { code: 'http/not_found', message: `no route ${path}` } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

function apiHandler(routes: readonly Route[], logger?: Logger) {
  const auth = {
    verify: async () => {
      throw new AccessDenied(accessCodes.forbidden, 'sign-in is served by the game servers, not by this process');
    },
  };
  const onBug = (error: unknown, route: Route) => logger?.error({ err: error, route: route.name }, 'route failed');
  const endpoints = Object.fromEntries(routes.map((route) => [route.name, toEndpoint(route, { auth, onBug })]));
  return toNodeHandler(createRouter(endpoints, { openapi: { disabled: true } }).handler);
}
