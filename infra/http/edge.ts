// The HTTP edge: what every request meets before Colyseus' router (our API and its
// matchmaking routes alike). It refuses bodies over the limit before anything reads them,
// bodies without a declared length (so the limit always holds), and slow clients; and it
// stamps each request with the peer address rate limits key on, in a header it sets
// itself, so a client cannot choose its own address with X-Forwarded-For.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export type EdgeOptions = {
  maxBodyBytes: number;
  /** Behind a reverse proxy that sets X-Forwarded-For: take its first hop as the client. */
  trustProxy: boolean;
  /** Longest a client may take to send its headers, and its whole request. */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
};

/** Header carrying the peer address (always overwritten here). */
export const PEER_HEADER = 'x-pantheon-peer';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Bodies up to this size are read and dropped before a refusal, so the client gets to read it. */
const DRAIN_LIMIT = 1024 * 1024;

function refuse(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  // A client still sending its body when the connection closes sees a reset, not our answer:
  // a body of modest size is drained; a bigger one costs its sender the connection.
  const drain = Number(req.headers['content-length'] ?? 0) <= DRAIN_LIMIT;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(drain ? {} : { connection: 'close' }) });
  if (drain) req.resume();
  res.end(body);
}

export function peerOf(req: IncomingMessage, trustProxy: boolean): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  if (!trustProxy) return socket;
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first && /^[0-9A-Fa-f:.]{2,45}$/.test(first) ? first : socket;
}

/** Wraps the server's request listeners (installed by Colyseus at listen) in the edge's checks. */
export function installEdge(server: Server, options: EdgeOptions): void {
  server.headersTimeout = options.headersTimeoutMs ?? 10_000;
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;
  const inner = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    req.headers[PEER_HEADER] = peerOf(req, options.trustProxy);
    const method = req.method ?? 'GET';
    const length = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
      if (chunked && length === undefined) return refuse(req, res, 411, 'http/length_required', 'send a Content-Length with the body');
      if (length !== undefined && !(Number(length) <= options.maxBodyBytes)) {
        return refuse(req, res, 413, 'http/body_too_large', `request bodies are limited to ${options.maxBodyBytes} bytes`);
      }
    }
    for (const listener of inner) listener.call(server, req, res);
  });
}
