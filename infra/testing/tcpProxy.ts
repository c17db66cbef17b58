// Test support: a TCP proxy in front of a real server that a test can cut and restore,
// to take a dependency away from a running process the way a network failure would:
//   - `cut()`    resets every connection and refuses new ones (the server went away);
//   - `stall()`  keeps every connection open but moves no byte either way, and holds new
//                ones unanswered (packets dropped: a network partition), until `restore()`.
import { createServer, connect, type Server, type Socket } from 'node:net';

export type TcpProxy = { port: number; cut(): void; stall(): void; restore(): void; close(): Promise<void> };

export type FaultMode = 'reset' | 'stall';

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const held: Array<() => void> = [];
  let mode: 'open' | 'cut' | 'stalled' = 'open';
  const server: Server = createServer((client) => {
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    const wire = () => {
      if (client.destroyed) return;
      const upstream = connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
        socket.on('close', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
      if (mode === 'stalled') {
        client.pause();
        upstream.pause();
      }
    };
    client.on('error', () => client.destroy());
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (mode === 'stalled') held.push(wire);
    else wire();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const cut = () => {
    mode = 'cut';
    for (const socket of sockets) socket.destroy();
  };
  return {
    port,
    cut,
    stall() {
      mode = 'stalled';
      // Stop reading both ways: nothing is forwarded, and what is sent piles up unacknowledged.
      for (const socket of sockets) socket.pause();
    },
    restore() {
      mode = 'open';
      for (const socket of sockets) socket.resume();
      for (const wire of held.splice(0)) wire();
    },
    async close() {
      held.length = 0;
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
