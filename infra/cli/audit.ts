// `pantheon audit <stream>` and `pantheon audit --since <point>`: re-simulates room streams
// with the rules version each was recorded with and gives a verdict per stream: clean,
// diverged (first divergent tick, expected and actual event, what differs) or tampered
// (hash chain broken at a version). Exits 0 only when every audited stream is clean.
import type { Command } from 'commander';
import { z } from 'zod';
import { StreamId } from '../../events/envelope.ts';
import type { EventStore } from '../../events/store.ts';
import { auditRecorded, type AuditReport } from '../../projections/anticheat/audit.ts';
import { auditStreamOf, type AuditCompletedData } from '../../projections/anticheat/events.ts';
import { GHOST_CATEGORY } from '../../rooms/raid/ghost.ts';
import { roomRules } from '../../rooms/rulesRegistry.ts';
import { RulesVersionError } from '../../events/tick/rulesVersions.ts';
import { createCatalog } from '../catalog.ts';
import { CliError, exitCodes, parseArgs, print, progressBar, withStore } from './context.ts';
import { describePoint, logPoint, positionAt } from './points.ts';

const AuditArgs = z
  .strictObject({
    stream: StreamId.optional(),
    since: logPoint().optional(),
    json: z.boolean().default(false),
  })
  .refine((args) => (args.stream === undefined) !== (args.since === undefined), {
    message: 'give a stream, or --since <time|position>, and not both',
    path: ['since'],
  });

/** What is printed per stream: a report, or why this build cannot audit it. */
export type AuditLine = AuditReport | { stream: string; verdict: 'unauditable'; problem: { code: string; message: string } };

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('re-simulate room streams with their recorded rules version: clean, diverged or tampered')
    .argument('[stream]', 'stream id, e.g. battle-7f3a')
    .option('--since <point>', 'audit every room stream written since a position (48213), a time (2026-11-20T18:00Z) or a time ago (36h)')
    .option('--json', 'one JSON object per stream: {"stream":…,"verdict":"clean"|"diverged"|"tampered",…}')
    .addHelpText('after', '\nExit status: 0 when every audited stream is clean, 1 when one diverged or was tampered with, 2 on errors.')
    .action(async (stream: string | undefined, options: Record<string, unknown>) => {
      const args = parseArgs(AuditArgs, { stream, ...options });
      const catalog = createCatalog();
      await withStore(async ({ store }) => {
        let failed = false;
        const report = (line: AuditLine) => {
          if (line.verdict !== 'clean') failed = true;
          // stream and verdict first, for people reading the JSON too
          const { stream, verdict, ...rest } = line;
          print(args.json ? JSON.stringify({ stream, verdict, ...rest }) : describe(line));
        };
        if (args.stream !== undefined) {
          const stored = await store.readStream(args.stream, { raw: true });
          if (stored.length === 0) throw new CliError('cli/unknown_stream', `there is no stream ${args.stream}`);
          try {
            report(auditRecorded(args.stream, stored, { rules: roomRules, catalog }, { knownLastVersion: await lastAudited(store, args.stream) }));
          } catch (error) {
            if (error instanceof RulesVersionError) throw new CliError(error.code, error.message);
            throw error;
          }
        } else {
          const since = args.since!;
          const from = 'position' in since ? Math.max(1, since.position) : await positionAt(store, since.time);
          const streams = await roomStreamsSince(store, from);
          if (streams.length === 0 && !args.json) print(`no room streams were written since ${describePoint(since)}`);
          const progress = progressBar('auditing', streams.length, { stdoutInUse: true });
          for (const [index, streamId] of streams.entries()) {
            report(await auditOne(store, streamId, catalog));
            progress.update(index + 1);
          }
          progress.stop();
        }
        if (failed) process.exitCode = exitCodes.findings;
      });
    });
}

async function auditOne(store: EventStore, streamId: string, catalog: ReturnType<typeof createCatalog>): Promise<AuditLine> {
  const stored = await store.readStream(streamId, { raw: true });
  try {
    return auditRecorded(streamId, stored, { rules: roomRules, catalog }, { knownLastVersion: await lastAudited(store, streamId) });
  } catch (error) {
    if (error instanceof RulesVersionError) return { stream: streamId, verdict: 'unauditable', problem: { code: error.code, message: error.message } };
    throw error;
  }
}

/** The last version an earlier audit recorded for the stream: a stream now shorter was cut. */
async function lastAudited(store: EventStore, streamId: string): Promise<number | undefined> {
  const [latest] = await store.readStream(auditStreamOf(streamId), { direction: 'backwards', limit: 1, raw: true });
  return latest ? (latest.data as AuditCompletedData).lastVersion : undefined;
}

/** Room (and ghost) streams with any event at or after `from`, in order of first appearance. */
async function roomStreamsSince(store: EventStore, from: number): Promise<string[]> {
  const categories = new Set([...roomRules.kinds.map((k) => k.name), GHOST_CATEGORY]);
  const streams = new Set<string>();
  const head = await store.headPosition();
  const progress = progressBar('scanning the log', head - from + 1, { stdoutInUse: false });
  for (let position = from; position <= head; ) {
    const page = await store.readAll({ fromPosition: position, limit: 10_000, raw: true });
    if (page.length === 0) break;
    for (const event of page) if (categories.has(event.streamId.slice(0, event.streamId.indexOf('-')))) streams.add(event.streamId);
    position = page.at(-1)!.position + 1;
    progress.update(position - from);
  }
  progress.stop();
  return [...streams];
}

/** The human form: one line per verdict, then what differs. */
export function describe(line: AuditLine): string {
  if (line.verdict === 'unauditable') return `${line.stream}: UNAUDITABLE: ${line.problem.message}`;
  const rules = line.kind ? `${line.kind} rules ${line.rulesVersion}` : 'rules unknown';
  if (line.verdict === 'clean') {
    return `${line.stream}: clean (${rules}; ${line.events} events, ${line.ticks} ticks re-simulated, chain intact to version ${line.lastVersion})`;
  }
  if (line.verdict === 'tampered') {
    return `${line.stream}: TAMPERED at version ${line.tampered!.version}: ${line.tampered!.reason} (${rules})`;
  }
  const d = line.divergence!;
  const shape = (e: { type: string; data: unknown } | null) => (e === null ? 'nothing' : `${e.type} ${JSON.stringify(e.data)}`);
  return [
    `${line.stream}: DIVERGED at tick ${d.tick} (version ${d.version}; ${rules})`,
    `  expected (the log):    ${shape(d.expected)}`,
    `  actual (re-simulated): ${shape(d.actual)}`,
    ...d.diff.map((diffLine) => `  ${diffLine}`),
  ].join('\n');
}
