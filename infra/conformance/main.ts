// npm run conformance -- --url ws://host:port [--json]
//
// The client conformance kit: scripted sessions through @colyseus/sdk against any running
// Pantheon server (sign-in, content, create, join, every command of every room kind, a sample
// of refusals, reconnection, spectating, matchmaking), reported pass or fail per step. The
// check a client or server change must pass. Exit status: 0 when every step passed, 1 when
// one failed, 2 when the arguments are wrong. The last line is a JSON summary.
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { runSteps, targetOf, type StepResult } from './kit.ts';
import { conformanceSteps } from './sessions.ts';

const Args = z.strictObject({
  url: z.string({ error: 'is required, e.g. --url ws://127.0.0.1:2567' }).regex(/^wss?:\/\/[^\s/]+(\/\S*)?$/, 'must be a ws:// or wss:// URL, e.g. ws://127.0.0.1:2567'),
  json: z.boolean().default(false),
});

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('conformance')
    .description('play scripted client sessions against a running Pantheon server and report pass/fail per step')
    .option('--url <url>', 'the server\'s WebSocket address, e.g. ws://127.0.0.1:2567')
    .option('--json', 'one JSON object per step instead of text')
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(`conformance: ${message.trim().replaceAll('\n', ' ')}\n`) });
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const parsed = Args.safeParse(program.opts());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    process.stderr.write(`conformance: --${String(issue.path[0] ?? 'url')} ${issue.message}\n`);
    return 2;
  }
  const { url, json } = parsed.data;
  const report = (result: StepResult) => {
    process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${result.ok ? 'PASS' : 'FAIL'}  ${result.step} (${result.ms} ms)${result.detail ? `: ${result.detail}` : ''}\n`);
  };
  const results = await runSteps(conformanceSteps(targetOf(url)), report);
  const failed = results.filter((r) => !r.ok).length;
  process.stdout.write(`${JSON.stringify({ conformance: url, steps: results.length, passed: results.length - failed, failed })}\n`);
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) {
  // Sockets the SDK leaves open must not keep a finished run alive.
  process.exit(await main(process.argv.slice(2)));
}
