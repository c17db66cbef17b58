// The web pages the game server serves beside its API and rooms (no separate server): the
// spectator page (/watch/:match), the play page (/play), the replay viewer (/replay/:stream)
// and the operator console (/console), built from infra/web/client by Vite at install
// (infra/web/build.ts) into node_modules/.cache/pantheon/web; plus @colyseus/monitor for
// admins at /monitor and, in development only (NODE_ENV=development), @colyseus/playground.
//
// Every page and asset is answered with a Content-Security-Policy that lets a page reach its
// own origin only: the pages load nothing from elsewhere, and a browser would refuse it.
// An unknown match or stream is answered 404 with its page, which then says so plainly.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEndpoint, createMiddleware } from '@colyseus/core';
import type { EventStore } from '../../events/store.ts';
import { matchKinds } from '../../projections/spectator/feed.ts';
import { AccessDenied, hasRole, type Principal } from '../../rooms/shared/access.ts';
import { MONITOR_COOKIE } from '../http/operationsRoutes.ts';
import { isRoomStream } from '../replay.ts';
import type { Logger } from '../logger.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where `npm install` (infra/web/build.ts) puts the built pages. */
export const webDistDir = path.join(repoRoot, 'node_modules', '.cache', 'pantheon', 'web');

/** The URL prefix of the built assets (Vite's `base`). */
export const ASSET_PREFIX = '/web';

/** Only this origin; WebSockets to it included (CSP Level 3 lets 'self' match ws: of the same host). */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const securityHeaders = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** The stream a /watch match names (a room id or a stream id), if the log has it. */
export async function resolveMatch(store: Pick<EventStore, 'readStream'>, match: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_.:@-]{1,200}$/.test(match)) return null;
  const candidates = matchKinds.some((kind) => match.startsWith(`${kind}-`)) ? [match] : matchKinds.map((kind) => `${kind}-${match}`);
  for (const streamId of candidates) {
    if ((await store.readStream(streamId, { limit: 1 })).length > 0) return streamId;
  }
  return null;
}

export type WebOptions = {
  store: Pick<EventStore, 'readStream'>;
  /** Checks session tokens (the monitor's cookie holds one). */
  verify: (token: string | undefined) => Promise<Principal>;
  logger: Logger;
  /** Built pages (default: webDistDir). */
  distDir?: string;
  /** Serve @colyseus/playground at /playground (development only). */
  playground?: boolean;
  /** The monitor's module, when the caller started loading it early (it takes a moment: main.ts overlaps it with opening the store). */
  monitorModule?: Promise<typeof import('@colyseus/monitor')>;
};

type Endpoints = Record<string, ReturnType<typeof createEndpoint>>;

/** A refusal better-call answers as it is (it recognises errors by this name and shape). */
class Refusal extends Error {
  override readonly name = 'APIError';
  readonly status: number;
  readonly statusCode: number;
  readonly body: { error: { code: string; message: string } };
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.statusCode = status;
    this.body = { error: { code, message } };
    this.headers = {};
  }
}


function cookie(header: string | null | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** The page routes, the built assets, the monitor for admins and, in development, the playground. */
export async function webEndpoints(options: WebOptions): Promise<Endpoints> {
  const dist = options.distDir ?? webDistDir;
  const log = options.logger.child({ component: 'web' });
  const cache = new Map<string, Buffer>();

  async function file(relative: string): Promise<Buffer | null> {
    const resolved = path.resolve(dist, relative);
    if (!resolved.startsWith(dist + path.sep)) return null;
    const cached = cache.get(resolved);
    if (cached) return cached;
    try {
      const bytes = await readFile(resolved);
      cache.set(resolved, bytes);
      return bytes;
    } catch {
      return null;
    }
  }

  async function page(name: string, status = 200): Promise<Response> {
    const html = await file(`${name}.html`);
    if (!html) {
      log.error({ dist }, 'the web pages are not built: run npm run build:web');
      return Response.json({ error: { code: 'web/not_built', message: 'the web pages are not built on this server (npm run build:web)' } }, { status: 503 });
    }
    return new Response(new Uint8Array(html), { status, headers: { 'content-type': types['.html']!, 'cache-control': 'no-cache', ...securityHeaders } });
  }

  const endpoints: Endpoints = {
    webPlay: createEndpoint('/play', { method: 'GET' }, async () => page('play')),
    webConsole: createEndpoint('/console', { method: 'GET' }, async () => page('console')),
    webWatch: createEndpoint('/watch/:match', { method: 'GET' }, async (ctx) => {
      const match = String((ctx.params as { match?: string }).match ?? '');
      return page('watch', (await resolveMatch(options.store, match)) ? 200 : 404);
    }),
    webReplay: createEndpoint('/replay/:stream', { method: 'GET' }, async (ctx) => {
      const stream = String((ctx.params as { stream?: string }).stream ?? '');
      const known = /^[A-Za-z0-9_.:@-]{3,200}$/.test(stream) && isRoomStream(await options.store.readStream(stream, { limit: 1 }));
      return page('replay', known ? 200 : 404);
    }),
    webAssets: createEndpoint(`${ASSET_PREFIX}/**:splat`, { method: 'GET' }, async (ctx) => {
      const relative = String((ctx.params as { splat?: string }).splat ?? '');
      const bytes = /^[A-Za-z0-9_./-]{1,200}$/.test(relative) && !relative.includes('..') ? await file(relative) : null;
      if (!bytes) return Response.json({ error: { code: 'http/not_found', message: 'no such file' } }, { status: 404 });
      // Hashed file names (Vite): a new build is a new name, so these never change.
      return new Response(new Uint8Array(bytes), {
        status: 200,
        headers: { 'content-type': types[path.extname(relative)] ?? 'application/octet-stream', 'cache-control': 'public, max-age=31536000, immutable', ...securityHeaders },
      });
    }),
  };

  // @colyseus/monitor for admins: its page fetches /monitor/api without a token, so the
  // console hands an admin's session token over in a cookie scoped to /monitor (POST /operations/monitor-session).
  const adminOnly = createMiddleware(async (ctx) => {
    let principal: Principal;
    try {
      principal = await options.verify(cookie(ctx.request?.headers.get('cookie') ?? ctx.headers?.get('cookie'), MONITOR_COOKIE));
    } catch (error) {
      if (error instanceof AccessDenied) throw new Refusal(401, error.code, 'open the monitor from the console, signed in as an admin');
      throw error;
    }
    if (!hasRole(principal, 'admin')) throw new Refusal(403, 'auth/forbidden', 'the monitor is for admins');
  });
  try {
    const { monitor } = await (options.monitorModule ?? import('@colyseus/monitor'));
    const { 'monitor-index': _index, ...monitorEndpoints } = monitor({ prefix: '/monitor', use: [adminOnly] }) as unknown as Endpoints;
    Object.assign(endpoints, monitorEndpoints);
    const monitorIndex = path.join(path.dirname(fileURLToPath(import.meta.resolve('@colyseus/monitor'))), 'static', 'index.html');
    // Its page as shipped, at /monitor itself (the edge serves no trailing slash), loading nothing from elsewhere.
    const html = (await readFile(monitorIndex, 'utf8'))
      .replace(/<link[^>]*fonts\.googleapis\.com[^>]*>\s*/g, '')
      .replace('<head>', '<head>\n    <base href="/monitor/">');
    endpoints.monitorPage = createEndpoint('/monitor', { method: 'GET', use: [adminOnly] }, async () =>
      new Response(html, { status: 200, headers: { 'content-type': types['.html']!, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' } }));
  } catch (error) {
    log.warn({ err: error }, '@colyseus/monitor could not be loaded: /monitor is not served');
  }

  if (options.playground) {
    const { playground } = await import('@colyseus/playground');
    const { ...playgroundEndpoints } = playground({ prefix: '/playground' }) as unknown as Endpoints;
    Object.assign(endpoints, playgroundEndpoints);
    log.warn('development mode: @colyseus/playground is served at /playground');
  }
  return endpoints;
}
