// The CLI beside a server on the embedded PGlite store: two processes on one PGlite
// directory can corrupt it, so the CLI is refused in one line (exit 2) while the server runs,
// the server plays on untouched, and once it stops (or was killed) the CLI reads everything.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RecordedEvent } from '../../events/envelope.ts';
import { verifyChain } from '../../events/hashChain.ts';
import { LOCK_FILE } from '../pgliteLock.ts';
import { freePort, startServerProcess } from '../testing/process.ts';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

type Run = { code: number; stdout: string; stderr: string };

function pantheon(dataDir: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { env: { PATH: process.env.PATH ?? '', PANTHEON_DATA_DIR: dataDir }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

async function guest(port: number, deviceId: string): Promise<{ playerId: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/auth/guest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId }) });
  assert.equal(response.status, 200);
  return (await response.json()) as { playerId: string };
}

/** Every stream in an NDJSON export, each with an intact hash chain. */
function intactStreams(ndjson: string): Map<string, RecordedEvent[]> {
  const streams = new Map<string, RecordedEvent[]>();
  for (const line of ndjson.trim().split('\n')) {
    const event = JSON.parse(line) as RecordedEvent;
    streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), event]);
  }
  for (const [stream, events] of streams) assert.equal(verifyChain(events).intact, true, `${stream}'s chain`);
  return streams;
}

async function startServer(dataDir: string) {
  const port = await freePort();
  const server = startServerProcess({ PORT: String(port), PANTHEON_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  await server.waitFor('ready');
  return { server, port };
}

test('while a server holds the directory the CLI is refused in one line; the data is intact after', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pantheon-embedded-'));
  dirs.push(dataDir);
  const { server, port } = await startServer(dataDir);
  const ana = await guest(port, 'embedded-cli-ana-0001');

  for (const args of [['export'], ['audit', `battle-x`], ['replay', `player-${ana.playerId}`]]) {
    const refused = await pantheon(dataDir, args);
    assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.stderr}`);
    assert.equal(refused.stdout, '');
    const lines = refused.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, refused.stderr);
    assert.match(lines[0]!, /^pantheon: the embedded store in .* is in use by server \(all\) \(pid \d+ on .*\); stop it first, or set DATABASE_URL/);
  }

  // The server never noticed: the same device is still the same player, and a new one registers.
  assert.equal((await guest(port, 'embedded-cli-ana-0001')).playerId, ana.playerId);
  const bo = await guest(port, 'embedded-cli-bo-00001');
  server.kill('SIGTERM');
  assert.equal(await server.exit, 0);
  assert.equal(existsSync(path.join(dataDir, LOCK_FILE)), false, 'a clean stop frees the directory');

  const exported = await pantheon(dataDir, ['export']);
  assert.equal(exported.code, 0, exported.stderr);
  const streams = intactStreams(exported.stdout);
  assert.ok(streams.has(`player-${ana.playerId}`) && streams.has(`player-${bo.playerId}`), [...streams.keys()].join(', '));
});

test('a lock left by a killed server is stale: the CLI clears it and reads the data', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pantheon-embedded-'));
  dirs.push(dataDir);
  const { server, port } = await startServer(dataDir);
  const ana = await guest(port, 'embedded-cli-killed-01');
  server.kill('SIGKILL');
  await server.exit;
  assert.equal(existsSync(path.join(dataDir, LOCK_FILE)), true, 'kill -9 leaves its lock behind');

  const replay = await pantheon(dataDir, ['replay', `player-${ana.playerId}`, '--json', '--strict']);
  assert.equal(replay.code, 0, replay.stderr);
  const timeline = JSON.parse(replay.stdout) as { events: { type: string }[]; warnings: string[] };
  assert.ok(timeline.events.length > 0);
  assert.deepEqual(timeline.warnings, []);

  // And the server starts again on it.
  const again = await startServer(dataDir);
  assert.equal((await guest(again.port, 'embedded-cli-killed-01')).playerId, ana.playerId);
  again.server.kill('SIGTERM');
  assert.equal(await again.server.exit, 0);
});
