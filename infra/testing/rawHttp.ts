// Test support: raw bytes to an HTTP port and the whole answer back (until the server closes
// the socket, or a deadline), for requests no well-behaved client would send.
import { connect } from 'node:net';

export type RawAnswer = { status: number; headers: string; body: string; closedByServer: boolean };

export function rawExchange(port: number, request: string | Buffer, ms = 5000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closedByServer = false;
    const timer = setTimeout(() => socket.destroy(), ms);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => {
      closedByServer = true;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      if (status === 0 && text.length > 0) return reject(new Error(`not an HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      const raw = split < 0 ? '' : text.slice(split + 4);
      resolve({ status, headers: head, body: /transfer-encoding: chunked/i.test(head) ? unchunk(raw) : raw, closedByServer });
    });
    socket.write(request);
  });
}

/** The documented error shape: `{ error: { code, message } }`; returns the code. */
export function errorCodeOf(answer: RawAnswer): string {
  const parsed = JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown } };
  if (typeof parsed.error?.code !== 'string' || typeof parsed.error.message !== 'string') throw new Error(`not the error shape: ${answer.body}`);
  return parsed.error.code;
}

function unchunk(raw: string): string {
  let body = '';
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) return body;
    const size = Number.parseInt(raw.slice(at, eol), 16);
    if (!(size > 0)) return body;
    body += raw.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}
