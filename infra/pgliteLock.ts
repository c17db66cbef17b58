// One process at a time on an embedded PGlite directory. PGlite is a whole PostgreSQL in
// one process with no shared memory or postmaster between processes: a second process
// opening the same files (the CLI beside a running server) can corrupt them. So whoever
// opens the directory (server or CLI) first takes a lock file beside it, created with
// O_EXCL, holding its pid, host and process start time; everyone else is refused in one line.
//
// A lock left by a process that died without cleaning up (kill -9, a power cut) is stale
// when, on this host, its pid is gone or now belongs to a process started at another time
// (pid reuse). A stale lock is moved aside with one rename, which only one of several
// racing openers can win, and re-read before it is dropped: a lock that turns out fresh is
// put back and the opener refused. A lock from another host is never judged stale here.
import { linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, closeSync, fsyncSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export const LOCK_FILE = 'pglite.lock';

const LockContent = z.object({
  pid: z.int().min(1),
  host: z.string(),
  /** The holder's start time as the kernel counts it (/proc/<pid>/stat), when known. */
  startTicks: z.string().nullable(),
  /** `server` or `cli …`, to say who holds it. */
  holder: z.string().max(200),
  since: z.string(),
});
type LockContent = z.infer<typeof LockContent>;

export class StoreLockedError extends Error {
  readonly code = 'store/locked';
  constructor(message: string) {
    super(message);
    this.name = 'StoreLockedError';
  }
}

export type StoreLock = { readonly path: string; release(): void };

/** The kernel's start time of `pid` (field 22 of /proc/<pid>/stat), or null where there is no /proc. */
function startTicksOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count after its end.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why the holder is gone, or null while it may be running. */
export function staleReason(lock: LockContent): string | null {
  if (lock.host !== hostname()) return null;
  if (lock.pid === process.pid) return null;
  if (!alive(lock.pid)) return `process ${lock.pid} is gone`;
  const now = startTicksOf(lock.pid);
  if (lock.startTicks !== null && now !== null && now !== lock.startTicks) return `pid ${lock.pid} now belongs to another process`;
  return null;
}

function read(file: string): LockContent | undefined {
  try {
    const parsed = LockContent.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function create(file: string, content: LockContent): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(content));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes the lock of the embedded store in `dataDir` (the lock file sits beside `pglite/`).
 * @throws StoreLockedError naming the holder, when another live process has it.
 */
export function lockDataDir(dataDir: string, holder: string): StoreLock {
  const file = path.join(path.resolve(dataDir), LOCK_FILE);
  const mine: LockContent = { pid: process.pid, host: hostname(), startTicks: startTicksOf(process.pid), holder, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (create(file, mine)) return held(file, mine);
    const current = read(file);
    if (!current) {
      // Being written this very moment, or garbage: only the latter is worth clearing, and
      // telling the two apart safely is not possible here.
      throw new StoreLockedError(`the embedded store in ${path.resolve(dataDir)} is locked by ${file}, which cannot be read; if no server or pantheon command uses that directory, delete the file`);
    }
    const reason = staleReason(current);
    if (reason === null) {
      throw new StoreLockedError(`the embedded store in ${path.resolve(dataDir)} is in use by ${current.holder} (pid ${current.pid} on ${current.host}, since ${current.since}); stop it first, or set DATABASE_URL to read a PostgreSQL store`);
    }
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // someone else cleared it
      throw error;
    }
    const moved = read(aside);
    if (!moved || moved.pid !== current.pid || moved.since !== current.since) {
      // Between reading and renaming, another opener replaced the stale lock with its own: put it back.
      try {
        linkSync(aside, file);
      } catch {
        // A third opener holds the name now; it is the lock that counts.
      }
      unlinkSync(aside);
      continue;
    }
    unlinkSync(aside);
  }
  throw new StoreLockedError(`the embedded store in ${path.resolve(dataDir)} is being opened by another process; try again`);
}

function held(file: string, mine: LockContent): StoreLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const current = read(file);
    if (current && current.pid === mine.pid && current.since === mine.since) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
  };
  // An exit without close (process.exit, an uncaught error) still frees the directory.
  process.on('exit', release);
  return { path: file, release };
}
