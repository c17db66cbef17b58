// One description per HTTP route: its zod schemas validate what comes in, shape what
// goes out, and are the OpenAPI document (openapi.ts), so the three never disagree.
// Every route also says who may call it (`access`); toEndpoint checks the bearer token and
// the caller's roles before anything else runs, reads the body itself under a size limit,
// and answers every refusal as `{ error: { code, message } }` with a stable code.
import { createHash } from 'node:crypto';
import { createEndpoint } from '@colyseus/core';
import { z } from 'zod';
import { isStoreOutage } from '../../events/errors.ts';
import { AccessDenied, accessCodes, hasRole, type Principal, type Role } from '../../rooms/shared/access.ts';
import { PEER_HEADER } from './edge.ts';

/** A refusal the client can act on: a status, a stable code and a sentence. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/**
 * An answer with its own status and headers (ETag, Cache-Control, a 304 without a body):
 * a handler returns `new Reply(body, init)` instead of the body alone.
 */
export class Reply {
  readonly body: unknown;
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}) {
    this.body = body;
    this.status = init.status ?? 200;
    this.headers = init.headers ?? {};
  }
}

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

/**
 * Who may call a route:
 * - `public`: anyone, no token;
 * - `authenticated`: any valid session token;
 * - `player`: the player the path's `:playerId` names, or an admin (wallets, ledgers, accounts);
 * - `admin`: admins only (rebuilds, content publishing);
 * - `{ roles }`: a token holding any of these roles.
 */
export type Access = 'public' | 'authenticated' | 'player' | 'admin' | { readonly roles: readonly Role[] };

/** Largest request body a route reads, unless it says otherwise. */
export const MAX_BODY_BYTES = 64 * 1024;

type Schema = z.ZodType;
type Input<P extends Schema, Q extends Schema, B extends Schema, H extends Schema> = {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  headers: z.output<H>;
  /** The verified caller; undefined on public routes. */
  principal: Principal | undefined;
  /** The client's address as the edge saw it (edge.ts); undefined where no edge runs. */
  ip: string | undefined;
  request: Request | undefined;
};

export type Route<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema, R extends Schema = Schema, H extends Schema = Schema> = {
  /** The OpenAPI operationId. */
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Colyseus router syntax: `/players/:playerId/wallet`. */
  readonly path: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly access: Access;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** Request headers the route reads, by lower-case name. */
  readonly headers?: H;
  /** Overrides MAX_BODY_BYTES. */
  readonly maxBodyBytes?: number;
  readonly response: R;
  /** Refusals this route may answer with, for the document: status → description. */
  readonly refusals?: Readonly<Record<number, string>>;
  /**
   * Answers carry a strong ETag (a hash of the body) and `Cache-Control: no-cache`; a request
   * whose If-None-Match names it gets 304 with no body. For documents clients poll or cache.
   */
  readonly etag?: boolean;
  handle(input: Input<P, Q, B, H>): Promise<z.input<R> | Reply>;
};

export function defineRoute<P extends Schema, Q extends Schema, B extends Schema, R extends Schema, H extends Schema>(route: Route<P, Q, B, R, H>): Route {
  return route as unknown as Route;
}

export function errorResponse(error: HttpError): Response {
  return Response.json({ error: { code: error.code, message: error.message } }, { status: error.status, headers: error.headers });
}

/** The status and headers an access refusal is answered with. */
export function accessError(error: AccessDenied): HttpError {
  switch (error.code) {
    case accessCodes.forbidden:
      return new HttpError(403, error.code, error.message);
    case accessCodes.rateLimited: {
      const retryAfterMs = error.retryAfterMs ?? 1000;
      return new HttpError(429, error.code, `${error.message}; retry in ${Math.ceil(retryAfterMs / 1000)} s`, { 'retry-after': String(Math.ceil(retryAfterMs / 1000)) });
    }
    default:
      // RFC 6750: a missing or bad bearer token is 401 with a challenge.
      return new HttpError(401, error.code, error.message, {
        'www-authenticate': error.code === accessCodes.missingToken ? 'Bearer realm="pantheon"' : 'Bearer realm="pantheon", error="invalid_token"',
      });
  }
}

const NoQuery = z.strictObject({});

function parse<S extends Schema>(schema: S | undefined, value: unknown, code: string, what: string): z.output<S> {
  if (!schema) return undefined as z.output<S>;
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new HttpError(400, code, `invalid ${what}: ${z.prettifyError(parsed.error).replaceAll('\n', '; ').slice(0, 1000)}`);
  return parsed.data;
}

/** How toEndpoint checks tokens (infra/auth implements it). */
export type RouteAuth = { verify(token: string | undefined): Promise<Principal> };

export type EndpointOptions = {
  auth: RouteAuth;
  onBug: (error: unknown, route: Route) => void;
  /** The caller's address, for per-address limits (default: the header the HTTP edge stamps). */
  peer?: (request: Request) => string | undefined;
};

/** `Authorization: Bearer <jwt>`; any other shape of the header is a bad token, not a missing one. */
const BearerHeader = z.string().regex(/^Bearer [A-Za-z0-9_-]{1,2048}\.[A-Za-z0-9_-]{1,2048}\.[A-Za-z0-9_-]{1,2048}$/);

function bearerToken(request: Request): string | undefined {
  const header = request.headers.get('authorization');
  if (header === null) return undefined;
  if (!BearerHeader.safeParse(header).success) throw new AccessDenied(accessCodes.invalidToken, 'the Authorization header must be `Bearer <session token>`');
  return header.slice('Bearer '.length);
}

/** Whether `principal` may call a route with these path parameters. */
export function allowed(access: Access, principal: Principal, params: unknown): boolean {
  if (hasRole(principal, 'admin')) return true;
  if (access === 'public' || access === 'authenticated') return true;
  if (access === 'admin') return false;
  if (access === 'player') {
    const playerId = (params as { playerId?: unknown } | undefined)?.playerId;
    return hasRole(principal, 'player') && playerId === principal.playerId;
  }
  return access.roles.some((role) => hasRole(principal, role));
}

const hasPlayerParam = (schema: Schema | undefined) => schema instanceof z.ZodObject && 'playerId' in schema.shape;

/**
 * The body's bytes, refusing more than `limit` (even when no Content-Length said so). A
 * body that is not kept is still read to the end within the limit: a client still sending
 * when the connection closes never reads the answer.
 */
export async function readBody(request: Request, limit: number, keep = true): Promise<Buffer> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    if (keep) chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Reads the body as JSON, within `limit` bytes. */
async function readJson(request: Request, limit: number): Promise<unknown> {
  const json = /^application\/(?:[a-z0-9.+-]*\+)?json(?:\s*;.*)?$/i.test(request.headers.get('content-type') ?? '');
  const bytes = await readBody(request, limit, json);
  if (!request.body) return undefined;
  if (!json) throw new HttpError(415, 'http/unsupported_media_type', 'send the body as application/json');
  if (bytes.length === 0) return undefined;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'http/invalid_json', 'the body is not valid JSON');
  }
}

const tooLarge = (limit: number) => new HttpError(413, 'http/body_too_large', `request bodies are limited to ${limit} bytes`);

/** The Colyseus router endpoint: authenticate, authorize, validate, run the handler, serialize its result. */
export function toEndpoint(route: Route, options: EndpointOptions) {
  // A route that forgot to say who may call it is for admins only (fail closed).
  const access: Access = route.access ?? 'admin';
  if (access === 'player' && !hasPlayerParam(route.params)) {
    throw new Error(`route ${route.name} is for a player's own data, so its path needs a :playerId parameter`);
  }
  return createEndpoint(route.path, { method: route.method, requireRequest: true, disableBody: true }, async (ctx) => {
    try {
      const request = ctx.request!;
      const headers = parse(route.headers, Object.fromEntries(request.headers), 'http/invalid_headers', 'headers');
      let principal: Principal | undefined;
      if (access !== 'public') principal = await options.auth.verify(bearerToken(request));
      const params = parse(route.params, ctx.params, 'http/invalid_params', 'path');
      if (principal && !allowed(access, principal, params)) {
        throw new AccessDenied(accessCodes.forbidden, access === 'player' ? 'this belongs to another player' : `${route.name} needs ${describeAccess(access)}`);
      }
      // A route that declares no query takes none: an unknown parameter is refused, not ignored.
      const query = parse(route.query ?? NoQuery, ctx.query, 'http/invalid_query', 'query');
      const raw = route.body ? await readJson(request, route.maxBodyBytes ?? MAX_BODY_BYTES) : undefined;
      const body = parse(route.body, raw, 'http/invalid_body', 'body');
      const ip = options.peer ? options.peer(request) : (request.headers.get(PEER_HEADER) ?? undefined);
      const result = await route.handle({ params, query, body, headers, principal, ip, request });
      if (result instanceof Reply) {
        if (result.body === undefined) return new Response(null, { status: result.status, headers: result.headers });
        return Response.json(route.response.parse(result.body), { status: result.status, headers: result.headers });
      }
      if (route.etag) return withEtag(request, JSON.stringify(route.response.parse(result)));
      return Response.json(route.response.parse(result));
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error);
      if (error instanceof AccessDenied) return errorResponse(accessError(error));
      // Not a bug: the store is away for a moment (logged by the store); the client may retry.
      if (isStoreOutage(error)) return errorResponse(new HttpError(503, 'store/unavailable', 'the event store is unreachable; try again shortly', { 'retry-after': '2' }));
      options.onBug(error, route);
      return errorResponse(new HttpError(500, 'http/internal', 'the server failed to answer; it has been logged'));
    }
  });
}

/** `If-None-Match`: `*` or entity tags, as RFC 9110 writes them (weak ones compare weakly). */
const IfNoneMatch = z.string().max(4096).regex(/^\s*(\*|(W\/)?"[\x21\x23-\x7e]*"(\s*,\s*(W\/)?"[\x21\x23-\x7e]*")*)\s*$/);

function withEtag(request: Request, json: string): Response {
  const etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 32)}"`;
  const headers = { etag, 'cache-control': 'no-cache' };
  const header = request.headers.get('if-none-match');
  if (header !== null) {
    if (!IfNoneMatch.safeParse(header).success) throw new HttpError(400, 'http/invalid_headers', 'If-None-Match must be * or a list of entity tags, e.g. "abc"');
    const tags = header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    if (tags.includes('*') || tags.includes(etag)) return new Response(null, { status: 304, headers });
  }
  return new Response(json, { status: 200, headers: { ...headers, 'content-type': 'application/json' } });
}

export function describeAccess(access: Access): string {
  if (typeof access === 'string') return access === 'player' ? 'the player themself or an admin' : access === 'admin' ? 'an admin' : access === 'public' ? 'nothing' : 'a session token';
  return `one of the roles ${access.roles.join(', ')}`;
}
