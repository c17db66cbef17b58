// The conformance kit against the server as `npm start` runs it (infra/main.ts on an empty
// embedded store): every step passes. And its own edges: bad arguments, a server that is not there.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, startServerProcess } from '../testing/process.ts';

const kit = fileURLToPath(new URL('./main.ts', import.meta.url));
const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

type Run = { code: number; stdout: string; stderr: string };
function conformance(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [kit, ...args], { env: { PATH: process.env.PATH ?? '' }, timeout: 300_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

test('every step passes against npm start', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'pantheon-conformance-'));
  dirs.push(dir);
  const port = await freePort();
  const server = startServerProcess({ PORT: String(port), PANTHEON_DATA_DIR: dir });
  try {
    await server.waitFor('ready');
    const run = await conformance(['--url', `ws://127.0.0.1:${port}`, '--json']);
    const lines = run.stdout.trim().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { step?: string; ok?: boolean; detail?: string; failed?: number; steps?: number });
    const steps = lines.filter((line) => line.step !== undefined);
    assert.deepEqual(steps.filter((s) => !s.ok).map((s) => `${s.step}: ${s.detail}`), []);
    for (const covered of ['sign-in', 'content', 'create and join', 'refusals', 'CastAbility', 'spectating', 'reconnection', 'Forfeit', 'ritual', 'raid', 'matchmaking']) {
      assert.ok(steps.some((s) => s.step!.startsWith(covered)), `a ${covered} step`);
    }
    assert.deepEqual([lines.at(-1)?.failed, lines.at(-1)?.steps], [0, steps.length]);
    assert.equal(run.code, 0, run.stderr);
  } finally {
    server.kill('SIGTERM');
    await server.exit;
  }
});

test('a server that is not there fails the first step and every step after it, exit 1', async () => {
  const run = await conformance(['--url', `ws://127.0.0.1:${await freePort()}`]);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^FAIL  http: \/healthz answers 200/m);
  assert.match(run.stdout, /^FAIL  sign-in: .*not run: needs http: \/healthz answers 200$/m);
  assert.match(run.stdout.trim().split('\n').at(-1)!, /"passed":0/);
});

test('bad arguments: one line, exit 2', async () => {
  for (const args of [[], ['--url', 'http://127.0.0.1:2567'], ['--colour']]) {
    const run = await conformance(args);
    assert.equal(run.code, 2, args.join(' '));
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  }
});
