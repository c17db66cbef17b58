// `pantheon`: the analysts' and auditors' command line. It reads the store the server is
// configured with (DATABASE_URL, or PGlite under PANTHEON_DATA_DIR; see README) and never
// touches live play. Every error is one line on stderr and exit status 2; `audit` exits 1
// when a stream is not clean.
import { Command, CommanderError } from 'commander';
import { registerAudit } from './audit.ts';
import { CliError, exitCodes, OutputClosed, setHolder, stdoutClosed, watchStdout } from './context.ts';
import { registerExport } from './export.ts';
import { registerFlags } from './flags.ts';
import { registerProjections } from './projections.ts';
import { registerReplay } from './replay.ts';

export function createProgram(): Command {
  const program = new Command('pantheon')
    .description('Replay, audit and export Pantheon event streams')
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({
      // Commander's own usage errors, on one line like ours.
      outputError: (message, write) => write(`pantheon: ${message.trim().replaceAll('\n', ' ')}\n`),
    });
  registerReplay(program);
  registerAudit(program);
  registerExport(program);
  registerProjections(program);
  registerFlags(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  watchStdout();
  setHolder(`pantheon ${argv.find((arg) => !arg.startsWith('-')) ?? ''}`.trim());
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
  } catch (error) {
    // A reader that stopped early (`| head`) got what it wanted: quiet, and a success.
    if (error instanceof OutputClosed || (stdoutClosed() && (error as { code?: unknown }).code === 'EPIPE')) {
      return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
    }
    if (error instanceof CommanderError) {
      // --help and --version end here too, successfully.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.error;
    }
    process.stderr.write(`pantheon: ${oneLine(error)}\n`);
    return exitCodes.error;
  }
}

function oneLine(error: unknown): string {
  if (error instanceof CliError) return error.message;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const prefix = typeof code === 'string' && code.includes('/') ? `${code}: ` : '';
    return `${prefix}${error.message}`.replaceAll('\n', ' ');
  }
  return String(error);
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
