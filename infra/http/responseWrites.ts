// Works around the HTTP router's response writer (@colyseus/better-call 1.3.3, setResponse):
// it ends a response only right after a write that reported no backpressure, and never after
// waiting for 'drain'. A body bigger than the socket takes at once (the OpenAPI document, a
// content version: tens of kilobytes) was therefore sent without its end, and the client
// waited forever. Node buffers whatever a write cannot pass on at once, so reporting "no
// backpressure" only steers that writer onto its ending path; every body our routes answer
// with is one chunk (Response.json, a string), which is written whole either way.
import type { Server, ServerResponse } from 'node:http';

export function endLargeResponses(server: Server): void {
  server.prependListener('request', (_req, res: ServerResponse) => {
    const write = res.write;
    res.write = function (this: ServerResponse, ...args: Parameters<ServerResponse['write']>) {
      (write as (...a: unknown[]) => boolean).apply(this, args);
      return true;
    } as ServerResponse['write'];
  });
}
