// Every API answer reaches the client whole, however large. The router's Node adapter
// (@colyseus/better-call 1.3.3, setResponse) ends a response only after a write that did not
// fill the socket's buffer: a body that fills it is written, then waits for a `drain` after
// which nothing ends it, and the client hangs (better-auth/better-call#123, fixed upstream,
// not in the fork Colyseus ships). Our answers are whole bodies already in memory, so each
// write is taken as accepted and the adapter ends the response; Node still sends every byte.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export function endWholeResponses(server: Server): void {
  const inner = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const write = res.write;
    res.write = function (this: ServerResponse, ...args: Parameters<ServerResponse['write']>) {
      (write as (...a: unknown[]) => boolean).apply(this, args);
      return true;
    } as ServerResponse['write'];
    for (const listener of inner) listener.call(server, req, res);
  });
}
