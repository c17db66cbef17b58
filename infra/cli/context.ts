// What every `pantheon` command shares: the store configured by the same environment as
// the server (DATABASE_URL, or PGlite under PANTHEON_DATA_DIR), one-line errors with an
// exit code, argument validation with zod, and a progress bar on a terminal.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { pino } from 'pino';
import type { z } from 'zod';
import { loadPublishedContent } from '../../commands/content/follower.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../catalog.ts';
import { loadConfig, type Config } from '../config.ts';
import { openConfiguredStore, type OpenedStore } from '../eventStore.ts';
import type { Logger } from '../logger.ts';

/** 0: success (a clean audit); 1: an audit found a problem; 2: the command could not do its job. */
export const exitCodes = { ok: 0, findings: 1, error: 2 } as const;

/** An error the user can act on: printed as one line, exits with 2. */
export class CliError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'CliError';
    this.code = code;
  }
}

/** Parses a command's arguments with its zod schema; the first problem becomes a one-line CliError. */
export function parseArgs<S extends z.ZodType>(schema: S, values: unknown): z.output<S> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? `${flagName(String(issue.path[0]))}: ` : '';
  throw new CliError('cli/invalid_args', `${where}${issue.message}`);
}

function flagName(key: string): string {
  return key === 'stream' || key === 'name' ? `<${key}>` : `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export type Session = { store: EventStore; opened: OpenedStore; config: Config; logger: Logger };

const CONNECT_TIMEOUT_MS = 15_000;

/**
 * Standard output was closed by its reader (`pantheon replay … | head -1`): not an error.
 * Thrown by print() so the command stops early and still closes the store on its way out.
 */
export class OutputClosed extends Error {
  constructor() {
    super('standard output was closed');
    this.name = 'OutputClosed';
  }
}

let outputClosed = false;

/** Call once at start: a reader leaving early makes later prints throw OutputClosed instead of crashing with EPIPE. */
export function watchStdout(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      outputClosed = true;
      return;
    }
    process.stderr.write(`pantheon: cannot write to standard output: ${error.message}\n`);
    process.exitCode = exitCodes.error;
    outputClosed = true;
  });
}

/** Whether the reader of standard output has gone. */
export function stdoutClosed(): boolean {
  return outputClosed;
}

/** Who the embedded store's lock names while this command holds it. */
let holder = 'pantheon';
export function setHolder(name: string): void {
  holder = name;
}

/** Opens the configured store, runs `work`, closes the store whatever happens. */
export async function withStore<T>(work: (session: Session) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    throw new CliError('config/invalid', error instanceof Error ? error.message : String(error));
  }
  // Logs go to stderr so --json output on stdout stays machine-readable.
  const logger = pino({ level: env.LOG_LEVEL ? config.LOG_LEVEL : 'warn', base: { service: 'pantheon-cli' } }, pino.destination(2));
  if (!config.DATABASE_URL) {
    const dir = path.resolve(config.PANTHEON_DATA_DIR, 'pglite');
    // Opening would create an empty store there: an analyst who mistyped the path would only
    // hear that every stream is unknown.
    if (!existsSync(dir)) {
      throw new CliError('store/unreachable', `no embedded store at ${dir}: set DATABASE_URL, or PANTHEON_DATA_DIR to the server's data directory`);
    }
  }
  const opened = await withTimeout(openConfiguredStore(config, createCatalog(), logger, { holder }), CONNECT_TIMEOUT_MS, () =>
    new CliError('store/unreachable', `cannot reach the event store within ${CONNECT_TIMEOUT_MS / 1000} s (DATABASE_URL=${redact(config.DATABASE_URL)})`),
  ).catch((error: unknown) => {
    if (error instanceof CliError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown }).code;
    // StoreStartError already says what could not be reached, and where; StoreLockedError who holds the directory.
    if (code === 'store/unreachable' || code === 'store/locked') throw new CliError(code, message);
    throw new CliError('store/unreachable', `cannot open the event store: ${message}`);
  });
  try {
    // Content versions published through the log, so an audit can replay a stream recorded
    // under one of them (bundled versions need no loading).
    await loadPublishedContent(opened.store, logger);
    return await work({ store: opened.store, opened, config, logger });
  } finally {
    await opened.close().catch(() => undefined);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function redact(url: string | undefined): string {
  if (!url) return '(unset)';
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable)';
  }
}

export type Progress = { update(value: number, total?: number): void; stop(): void };

/**
 * A progress bar on stderr, only when a person is watching it (stderr is a terminal) and it
 * does not interleave with output they are reading (stdout is not that same terminal).
 */
export function progressBar(label: string, total: number, options: { stdoutInUse: boolean }): Progress {
  const interactive = process.stderr.isTTY === true && !(options.stdoutInUse && process.stdout.isTTY === true);
  if (!interactive || total <= 0) return { update() {}, stop() {} };
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  });
  bar.start(total, 0);
  return {
    update(value, newTotal) {
      if (newTotal !== undefined && newTotal !== total) bar.setTotal(newTotal);
      bar.update(value);
    },
    stop: () => bar.stop(),
  };
}

/** Writes one line to stdout; throws OutputClosed once its reader has gone. */
export function print(line: string): void {
  if (outputClosed) throw new OutputClosed();
  process.stdout.write(`${line}\n`);
}
