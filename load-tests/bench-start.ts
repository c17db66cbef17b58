// npm run bench:start — how long `npm start` on an empty data directory takes to answer
// GET /healthz with 200, and where the time goes (the server's own `ready` log line:
// module loading, preparing and opening PGlite, migrations, the content follower, the
// read models, the game server). Runs the start BENCH_STARTS times (default 3), each on a
// new directory, with and without the PGlite template (pgliteTemplate.ts), side by side.
// Prints the machine's load first: on a busy machine the figures mean little.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { freePort } from '../infra/testing/process.ts';
import { ensureTemplate } from '../infra/pgliteTemplate.ts';

const Env = z.object({ BENCH_STARTS: z.coerce.number().int().min(1).max(20).default(3) });
const env = Env.parse(process.env);
const main = new URL('../infra/main.ts', import.meta.url).pathname;

type Run = { healthzMs: number; startupMs: Record<string, number> };

async function start(withTemplate: boolean): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pantheon-bench-start-'));
  const port = await freePort();
  // Without the template: point its cache somewhere empty and unwritable, so PGlite runs initdb.
  const extra = withTemplate ? {} : { PANTHEON_PGLITE_TEMPLATE: 'off' };
  const began = performance.now();
  const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', PORT: String(port), PANTHEON_DATA_DIR: dir, LOG_LEVEL: 'info', ...extra }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (child.exitCode !== null) throw new Error(`the server exited: ${output.slice(-500)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const healthzMs = Math.round(performance.now() - began);
    const ready = output.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { msg?: string; startupMs?: Record<string, number> }).find((line) => line.msg === 'ready');
    return { healthzMs, startupMs: ready?.startupMs ?? {} };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${(await import('node:os')).cpus().length} cores`);
await ensureTemplate();
const results: Record<'template' | 'initdb', Run[]> = { template: [], initdb: [] };
for (let i = 0; i < env.BENCH_STARTS; i++) {
  for (const mode of ['template', 'initdb'] as const) {
    const run = await start(mode === 'template');
    results[mode].push(run);
    console.log(`${mode.padEnd(8)} /healthz after ${run.healthzMs} ms; phases ${JSON.stringify(run.startupMs)}`);
  }
}
const figure = (mode: 'template' | 'initdb') => median(results[mode].map((r) => r.healthzMs));
console.log(JSON.stringify({ bench: 'start', healthz_ms_template: figure('template'), healthz_ms_initdb: figure('initdb'), ratio: Number((figure('template') / figure('initdb')).toFixed(2)), load1: Number(loadavg()[0]!.toFixed(2)) }));
