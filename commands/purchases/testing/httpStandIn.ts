// Test support: a local node:http server standing in for a platform API. Each platform's
// stand-in supplies the routes; this holds what they share: a free port, a log of the
// requests it was sent, and the ways a platform fails (503, never answering, cutting the
// connection) so tests can take it down.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StandInRequest = {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
};

export type Reply = { status: number; json?: unknown; text?: string; headers?: Record<string, string> };
export type Route = (request: StandInRequest) => Reply | undefined | Promise<Reply | undefined>;

/** `up`: answers; `unavailable`: 503; `hang`: accepts and never answers; `reset`: drops the connection. */
export type StandInMode = 'up' | 'unavailable' | 'hang' | 'reset';

export type HttpStandIn = {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly requests: StandInRequest[];
  mode: StandInMode;
  close(): Promise<void>;
};

export async function startHttpStandIn(route: Route): Promise<HttpStandIn> {
  const requests: StandInRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const standIn = { mode: 'up' as StandInMode };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const request: StandInRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString() };
      requests.push(request);
      switch (standIn.mode) {
        case 'unavailable':
          return send(res, { status: 503, text: '<html><body>Service Unavailable</body></html>', headers: { 'content-type': 'text/html' } });
        case 'hang':
          hanging.add(res);
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'up':
          void Promise.resolve(route(request)).then(
            (reply) => send(res, reply ?? { status: 404, json: { message: `stand-in has no route ${request.method} ${request.path}` } }),
            (error: unknown) => send(res, { status: 500, text: String(error) }),
          );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(standIn, {
    origin: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

function send(res: ServerResponse, reply: Reply): void {
  const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
  const type = reply.json !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {};
  res.writeHead(reply.status, { ...type, ...reply.headers });
  res.end(body);
}

/** The bearer token of a request, if it has one. */
export function bearerOf(request: StandInRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}
