// A freshly initialised PGlite cluster, kept once per PGlite version, that a new embedded
// store starts from instead of running initdb. initdb in WebAssembly is most of what an
// `npm start` on an empty data directory used to spend before /healthz answered (about 5 to
// 7 s of 9); copying the same files is a fraction of a second. It is the approach of PGlite's
// own pre-populated file system, made here by the installed PGlite itself so the files always
// match its version.
//
// The template is made by `npm install` (postinstall runs this file) and, failing that, by
// the first start that needs one. It lives under node_modules/.cache, so a reinstall or a
// PGlite upgrade never reuses a stale one.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function pgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  let dir = path.dirname(entry);
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Where the template of the installed PGlite version lives. */
export function templateDir(cacheRoot = path.join(repoRoot, 'node_modules', '.cache', 'pantheon')): string {
  return path.join(cacheRoot, `pglite-${pgliteVersion()}`);
}

/** Whether `dir` already holds a cluster (PGlite runs initdb exactly when PG_VERSION is missing). */
export function isInitialised(dir: string): boolean {
  return existsSync(path.join(dir, 'PG_VERSION'));
}

/**
 * Makes the template if it is missing: initdb into a private directory, then one rename, so
 * a process copying it never sees half a cluster and two makers never mix their files.
 * @returns the template's directory.
 */
export async function ensureTemplate(template = templateDir()): Promise<string> {
  if (isInitialised(template)) return template;
  mkdirSync(path.dirname(template), { recursive: true });
  const scratch = `${template}.making-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  const db = await PGlite.create(scratch);
  await db.close();
  try {
    renameSync(scratch, template);
  } catch (error) {
    // Another process finished first: its template is as good as ours.
    rmSync(scratch, { recursive: true, force: true });
    if (!isInitialised(template)) throw error;
  }
  return template;
}

/**
 * Prepares an embedded store directory: an existing cluster is left alone; an empty or
 * missing directory gets a copy of the template. A directory holding anything else, and any
 * failure (a read-only cache, a full disk), is left to PGlite's own initdb.
 * @returns how the directory was prepared, for the start-up log.
 */
export async function prepareDataDir(dir: string, template = templateDir()): Promise<'existing' | 'template' | 'initdb'> {
  if (isInitialised(dir)) return 'existing';
  if (existsSync(dir) && readdirSync(dir).length > 0) return 'initdb';
  const copy = `${dir}.copying-${process.pid}`;
  try {
    await ensureTemplate(template);
    mkdirSync(path.dirname(dir), { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    cpSync(template, copy, { recursive: true });
    renameSync(copy, dir);
    return 'template';
  } catch {
    rmSync(copy, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    return 'initdb';
  }
}

// `npm install` runs this (postinstall): never fail an install over a start-up optimisation.
if (import.meta.main) {
  try {
    const started = performance.now();
    const dir = await ensureTemplate();
    process.stdout.write(`pantheon: embedded store template ready in ${path.relative(process.cwd(), dir)} (${Math.round(performance.now() - started)} ms)\n`);
  } catch (error) {
    process.stdout.write(`pantheon: no embedded store template (${error instanceof Error ? error.message : String(error)}); the first start will run initdb\n`);
  }
}
