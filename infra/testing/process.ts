// Test support: the server as a real child process, read through its JSON log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { after } from 'node:test';
import { testJwtSecret } from './signedIn.ts';

const main = new URL('../main.ts', import.meta.url).pathname;

// A test that fails before it stops its process must not leave it running: the file would
// never finish (its pipes keep this process alive). Whatever is still running is killed
// once the file's tests are done.
const running = new Set<ChildProcess>();
after(() => {
  for (const child of running) child.kill('SIGKILL');
});

export type LogLine = Record<string, unknown> & { msg?: string };

export type ServerProcess = {
  lines: LogLine[];
  exit: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
  /** Resolves with the first log line matching, or rejects if the process exits first. */
  waitFor(match: string | ((line: LogLine) => boolean), timeoutMs?: number): Promise<LogLine>;
};

/** `script`: another entry point than the server's (a projector, a relay, a CLI) that logs JSON lines too; `args` its arguments. */
export function startServerProcess(env: Record<string, string>, script: string = main, args: readonly string[] = []): ServerProcess {
  // Tokens a test mints with testJwtSecret (signedIn.ts) are good on every server it starts.
  const child = spawn(process.execPath, [script, ...args], { env: { PATH: process.env.PATH ?? '', PANTHEON_JWT_SECRET: testJwtSecret, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.on('exit', () => running.delete(child));
  const lines: LogLine[] = [];
  const waiters: Array<() => void> = [];
  let buffered = '';
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const part of parts.filter(Boolean)) {
      try {
        lines.push(JSON.parse(part) as LogLine);
      } catch {
        lines.push({ msg: part, raw: true });
      }
    }
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    resolve(code);
    for (const wake of waiters.splice(0)) wake();
  }));
  return {
    lines,
    exit,
    kill: (signal = 'SIGTERM') => child.kill(signal),
    async waitFor(match, timeoutMs = 30_000) {
      const test = typeof match === 'string' ? (line: LogLine) => line.msg === match : match;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find(test);
        if (found) return found;
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`process exited before the awaited log line: ${JSON.stringify(lines.slice(-5))}`);
        if (Date.now() > deadline) throw new Error(`no such log line within ${timeoutMs} ms: ${JSON.stringify(lines.slice(-5))}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 250);
        });
      }
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
