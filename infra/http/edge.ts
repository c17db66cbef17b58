// The HTTP edge: what every connection and request meets before Colyseus' router (our API
// and its matchmaking routes alike, and WebSocket upgrades). It
// - bounds concurrent connections (HTTP and WebSocket) per client address;
// - times out slow headers, slow requests, idle keep-alive and idle never-speaking sockets;
// - answers TRACE, TRACK, CONNECT and unknown methods with 405, unrouted paths with 404, and
//   Node's parser errors (bad bytes, oversized headers, smuggling attempts) through the
//   server's `clientError` path, always in the documented `{ error: { code, message } }`
//   shape, and closes those connections;
// - refuses bodies over the limit before anything reads them, bodies without a declared
//   length (so the limit always holds);
// - stamps each request with the peer address rate limits key on, in a header it sets
//   itself, so a client cannot choose its own address with X-Forwarded-For.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export type EdgeOptions = {
  maxBodyBytes: number;
  /** Behind a reverse proxy that sets X-Forwarded-For: take its first hop as the client. */
  trustProxy: boolean;
  /** Longest a client may take to send its headers, and its whole request. */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** How long a kept-alive connection may wait for its next request. */
  keepAliveTimeoutMs?: number;
  /** How long any HTTP connection may stay silent (one that never sends a byte included); WebSockets ping instead. */
  idleTimeoutMs?: number;
  /** Concurrent connections (HTTP and WebSocket) per client socket address. */
  connectionsPerAddress?: number;
  /** Whether a route answers `method` at `path`; without it every path is passed on. */
  routes?: (method: string, path: string) => boolean;
  logger?: { warn(o: object, m: string): void };
};

export const edgeDefaults = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, idleTimeoutMs: 30_000, connectionsPerAddress: 256 } as const;

/** Header carrying the peer address (always overwritten here). */
export const PEER_HEADER = 'x-pantheon-peer';

/** Methods some route may answer; anything else is 405 at once (TRACE, TRACK, CONNECT, made-up ones). */
const ROUTABLE = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export const edgeCodes = {
  methodNotAllowed: 'http/method_not_allowed',
  notFound: 'http/not_found',
  badRequest: 'http/bad_request',
  headersTooLarge: 'http/headers_too_large',
  timeout: 'http/request_timeout',
  tooManyConnections: 'http/too_many_connections',
  lengthRequired: 'http/length_required',
  bodyTooLarge: 'http/body_too_large',
} as const;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Bodies up to this size are read and dropped before a refusal, so the client gets to read it. */
const DRAIN_LIMIT = 1024 * 1024;

const reasons: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout', 431: 'Request Header Fields Too Large', 503: 'Service Unavailable' };

/** A whole HTTP response on a raw socket, then the socket is closed (for sockets Node's HTTP layer gave up on). */
export function rawRefusal(status: number, code: string, message: string): string {
  const body = JSON.stringify({ error: { code, message } });
  return `HTTP/1.1 ${status} ${reasons[status] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, close = false): void {
  const body = JSON.stringify({ error: { code, message } });
  // A client still sending its body when the connection closes sees a reset, not our answer:
  // a body of modest size is drained; a bigger one costs its sender the connection.
  const drain = !close && Number(req.headers['content-length'] ?? 0) <= DRAIN_LIMIT;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(drain ? {} : { connection: 'close' }) });
  if (drain) req.resume();
  res.end(body);
  if (close) res.once('finish', () => req.socket.destroySoon());
}

export function peerOf(req: IncomingMessage, trustProxy: boolean): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  if (!trustProxy) return socket;
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first && /^[0-9A-Fa-f:.]{2,45}$/.test(first) ? first : socket;
}

/** What Node's parser error becomes: 431 for oversized headers, 408 for a timeout, else 400. */
function clientErrorAnswer(error: Error & { code?: string; rawPacket?: Buffer }): [number, string, string] {
  if (error.code === 'HPE_HEADER_OVERFLOW') return [431, edgeCodes.headersTooLarge, 'request headers are too large'];
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, edgeCodes.timeout, 'the request took too long to arrive'];
  // A method Node does not know (TRACK, made-up ones), as opposed to bytes that are no request at all.
  if (error.code === 'HPE_INVALID_METHOD' && /^[A-Z][A-Z-]{0,31} /.test(error.rawPacket?.toString('latin1', 0, 33) ?? '')) return [405, edgeCodes.methodNotAllowed, 'this method is not served here'];
  return [400, edgeCodes.badRequest, 'the request is not well-formed HTTP'];
}

/** Wraps the server's request listeners (installed by Colyseus at listen) in the edge's checks. */
export function installEdge(server: Server, options: EdgeOptions): void {
  server.headersTimeout = options.headersTimeoutMs ?? edgeDefaults.headersTimeoutMs;
  server.requestTimeout = options.requestTimeoutMs ?? edgeDefaults.requestTimeoutMs;
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? edgeDefaults.keepAliveTimeoutMs;
  // Idle sockets (never sending a byte included) are destroyed; ws clears it on upgrade.
  server.timeout = options.idleTimeoutMs ?? edgeDefaults.idleTimeoutMs;
  server.on('timeout', (socket: Duplex) => socket.destroy());

  const perAddress = new Map<string, number>();
  const limit = options.connectionsPerAddress ?? edgeDefaults.connectionsPerAddress;
  server.prependListener('connection', (socket: Duplex & { remoteAddress?: string }) => {
    const address = socket.remoteAddress ?? 'unknown';
    const open = (perAddress.get(address) ?? 0) + 1;
    perAddress.set(address, open);
    socket.once('close', () => {
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
    if (open > limit) {
      socket.on('error', () => {});
      socket.end(rawRefusal(503, edgeCodes.tooManyConnections, `at most ${limit} connections per address`));
      setTimeout(() => socket.destroy(), 1000).unref();
    }
  });

  // Parser errors, header overflows, timeouts: answered in the JSON shape, never a bare body or a stack trace.
  server.removeAllListeners('clientError');
  server.on('clientError', (error: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [status, code, message] = clientErrorAnswer(error);
    socket.end(rawRefusal(status, code, message));
    setTimeout(() => socket.destroy(), 1000).unref();
  });
  // CONNECT is never served (a proxy request); without a listener Node would drop it silently.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => {});
    socket.end(rawRefusal(405, edgeCodes.methodNotAllowed, 'CONNECT is not served here'));
  });

  const inner = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    req.headers[PEER_HEADER] = peerOf(req, options.trustProxy);
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!ROUTABLE.includes(method)) return refuse(req, res, 405, edgeCodes.methodNotAllowed, `${method} is not served here`, true);
    if (method !== 'OPTIONS' && options.routes) {
      const routed = (m: string) => options.routes!(m, path);
      // The router's lookup forgives empty segments and a trailing slash, its dispatch does not (a bare 404).
      if (path.includes('..') || !path.startsWith('/') || path.includes('//') || (path.length > 1 && path.endsWith('/'))) return refuse(req, res, 404, edgeCodes.notFound, 'no such route');
      if (!routed(method) && !(method === 'HEAD' && routed('GET'))) {
        const allowed = ROUTABLE.filter((m) => m !== 'OPTIONS' && routed(m));
        if (allowed.length > 0) return refuse(req, res, 405, edgeCodes.methodNotAllowed, `${path} answers ${allowed.join(', ')}`);
        return refuse(req, res, 404, edgeCodes.notFound, 'no such route');
      }
    }
    const length = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
      if (chunked && length === undefined) return refuse(req, res, 411, edgeCodes.lengthRequired, 'send a Content-Length with the body');
      if (length !== undefined && !(Number(length) <= options.maxBodyBytes)) {
        return refuse(req, res, 413, edgeCodes.bodyTooLarge, `request bodies are limited to ${options.maxBodyBytes} bytes`);
      }
    }
    for (const listener of inner) listener.call(server, req, res);
  });
}
