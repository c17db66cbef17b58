// The embedded store's lock file: one process at a time, and a lock left by a dead process
// taken over safely. (The CLI against a running server: infra/cli/embedded.test.ts.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { LOCK_FILE, lockDataDir, StoreLockedError } from './pgliteLock.ts';
import { isInitialised, prepareDataDir } from './pgliteTemplate.ts';

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pantheon-lock-'));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

test('a second opener is refused, naming the holder; after release the directory is free again', () => {
  const dir = scratch();
  const lock = lockDataDir(dir, 'server (all)');
  assert.throws(() => lockDataDir(dir, 'pantheon audit'), (error: unknown) => {
    assert.ok(error instanceof StoreLockedError);
    assert.equal(error.code, 'store/locked');
    assert.match(error.message, new RegExp(`in use by server \\(all\\) \\(pid ${process.pid} on `));
    assert.equal(error.message.includes('\n'), false);
    return true;
  });
  lock.release();
  assert.equal(existsSync(path.join(dir, LOCK_FILE)), false);
  lockDataDir(dir, 'pantheon audit').release();
});

test('a lock whose process is gone is stale: it is cleared and taken', () => {
  const dir = scratch();
  const pid = deadPid();
  writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), startTicks: null, holder: 'server (all)', since: '2026-01-01T00:00:00.000Z' }));
  const lock = lockDataDir(dir, 'pantheon replay');
  const content = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number; holder: string };
  assert.deepEqual([content.pid, content.holder], [process.pid, 'pantheon replay']);
  lock.release();
});

test('a live pid that now belongs to a process started at another time is stale (pid reuse)', (t) => {
  if (!existsSync('/proc/self/stat')) return t.diagnostic('no /proc here: pid reuse cannot be told apart, so this case is not checked');
  const dir = scratch();
  // Our parent is alive; a start time it never had says the lock was not its.
  writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: hostname(), startTicks: '1', holder: 'server (all)', since: '2026-01-01T00:00:00.000Z' }));
  lockDataDir(dir, 'pantheon audit').release();
});

test('a lock held by a live process, or taken on another host, is never cleared', () => {
  const dir = scratch();
  writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: hostname(), startTicks: null, holder: 'server (game)', since: '2026-01-01T00:00:00.000Z' }));
  assert.throws(() => lockDataDir(dir, 'pantheon audit'), /in use by server \(game\)/);
  writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: 'another-host.example', startTicks: null, holder: 'server (all)', since: '2026-01-01T00:00:00.000Z' }));
  assert.throws(() => lockDataDir(dir, 'pantheon audit'), /on another-host\.example/);
});

test('a new store directory starts from the template; an existing or foreign one is left alone', async () => {
  const dir = path.join(scratch(), 'pglite');
  assert.equal(await prepareDataDir(dir), 'template');
  assert.equal(isInitialised(dir), true);
  assert.equal(await prepareDataDir(dir), 'existing');
  const foreign = path.join(scratch(), 'pglite');
  mkdirSync(foreign);
  writeFileSync(path.join(foreign, 'notes.txt'), 'not a cluster');
  assert.equal(await prepareDataDir(foreign), 'initdb');
  assert.equal(readFileSync(path.join(foreign, 'notes.txt'), 'utf8'), 'not a cluster');
});
