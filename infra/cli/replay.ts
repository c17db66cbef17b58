// `pantheon replay <stream>`: a stream's timeline (every command accepted or refused and
// every event, by version and tick) and, for a room, its state folded up to that point with
// the rules version it was recorded with.
import type { Command } from 'commander';
import { z } from 'zod';
import type { RecordedEvent } from '../../events/envelope.ts';
import { StreamId } from '../../events/envelope.ts';
import { chainWarnings, foldRoom as foldStream, timelineEntry as entry, type Folded } from '../replay.ts';
import { RulesVersionError } from '../../events/tick/rulesVersions.ts';
import { CliError, exitCodes, parseArgs, print, withStore } from './context.ts';

const Count = z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be 0 or more');

const ReplayArgs = z
  .strictObject({
    stream: StreamId,
    untilVersion: Count.optional(),
    untilTick: Count.optional(),
    json: z.boolean().default(false),
    state: z.boolean().default(true),
    strict: z.boolean().default(false),
  })
  .refine((args) => args.untilVersion === undefined || args.untilTick === undefined, {
    message: 'give --until-version or --until-tick, not both',
    path: ['untilTick'],
  });

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('show a stream\'s timeline of commands and events, and the state folded at that point')
    .argument('<stream>', 'stream id, e.g. battle-7f3a')
    .option('--until-version <n>', 'stop after this stream version')
    .option('--until-tick <t>', 'stop after this tick')
    .option('--no-state', 'leave the folded state out')
    .option('--json', 'one JSON object: {stream, kind, rulesVersion, until, warnings, events, state}')
    .option('--strict', 'exit 1 when the stream\'s hash chain is broken or a version is missing (a warning otherwise)')
    .addHelpText('after', '\nA broken hash chain or a missing version is a warning on stdout (in the JSON: warnings) and on stderr;\nthe timeline is still shown. Exit status: 0, or 1 with --strict and a warning, 2 on errors.')
    .action(async (stream: string, options: Record<string, unknown>) => {
      const args = parseArgs(ReplayArgs, { stream, ...options });
      await withStore(async ({ store }) => {
        const events = await store.readStream(args.stream);
        if (events.length === 0) throw new CliError('cli/unknown_stream', `there is no stream ${args.stream}`);
        // What the timeline cannot show by itself: an event edited, deleted or inserted.
        const warnings = chainWarnings(args.stream, await store.readStream(args.stream, { raw: true }));
        for (const warning of warnings) process.stderr.write(`pantheon: warning: ${warning}\n`);
        if (warnings.length > 0 && args.strict) process.exitCode = exitCodes.findings;
        const last = events.at(-1)!;
        const lastTick = last.metadata.tick ?? null;
        if (args.untilVersion !== undefined && args.untilVersion > last.version) {
          throw new CliError('cli/bad_range', `--until-version ${args.untilVersion} is past the end of ${args.stream}, which has versions 0..${last.version}`);
        }
        if (args.untilTick !== undefined && (lastTick === null || args.untilTick > lastTick)) {
          throw new CliError('cli/bad_range', lastTick === null
            ? `${args.stream} records no ticks; use --until-version`
            : `--until-tick ${args.untilTick} is past the end of ${args.stream}, whose last tick is ${lastTick}`);
        }
        const shown = events.filter((e) =>
          (args.untilVersion === undefined || e.version <= args.untilVersion) && (args.untilTick === undefined || (e.metadata.tick ?? 0) <= args.untilTick));
        const folded = args.state ? foldRoom(shown) : { kind: null, rulesVersion: null, state: undefined, note: null };
        const at = shown.at(-1) ?? events[0]!;
        const until = { version: at.version, tick: at.metadata.tick ?? null };
        if (args.json) {
          print(JSON.stringify({ stream: args.stream, kind: folded.kind, rulesVersion: folded.rulesVersion, until, warnings, events: shown.map(entry), ...(args.state ? { state: folded.state ?? null } : {}) }));
          return;
        }
        for (const warning of warnings) print(`WARNING: ${warning}`);
        const rules = folded.kind ? `, ${folded.kind} rules ${folded.rulesVersion}` : '';
        print(`${args.stream}${rules}: versions 0..${last.version}${lastTick === null ? '' : `, ticks 0..${lastTick}`}; showing up to version ${until.version}${until.tick === null ? '' : ` (tick ${until.tick})`}`);
        print(`${'version'.padStart(7)} ${'tick'.padStart(6)}  event`);
        for (const event of shown) print(`${String(event.version).padStart(7)} ${String(event.metadata.tick ?? '').padStart(6)}  ${describeEvent(event)}`);
        if (!args.state) return;
        if (folded.note) print(folded.note);
        else print(`state at version ${until.version}${until.tick === null ? '' : `, tick ${until.tick}`}:\n${JSON.stringify(folded.state, null, 2)}`);
      });
    });
}

/** Folds a room stream's domain events with the rules it was recorded with (errors as the CLI words them). */
function foldRoom(events: readonly RecordedEvent[]): Folded {
  try {
    return foldStream(events);
  } catch (error) {
    if (error instanceof RulesVersionError) throw new CliError(error.code, error.message);
    throw error;
  }
}

/** One line per event: commands as `player → Command {payload}`, refusals with their code. */
export function describeEvent(event: RecordedEvent): string {
  const type = event.type.padEnd(18);
  if (event.type === 'CommandAccepted') {
    const { playerId, command } = event.data as { playerId: string; command: { type: string; playerId?: string } };
    const { type: commandType, playerId: _self, ...payload } = command;
    return `${type}${playerId} → ${commandType} ${compact(payload)}`;
  }
  if (event.type === 'CommandRejected') {
    const { playerId, commandType, code, message } = event.data as { playerId: string; commandType: string; code: string; message: string };
    // One line per event, whatever the message held when it was recorded.
    return `${type}${playerId} ✗ ${oneLine(commandType)}: ${code} (${oneLine(message)})`;
  }
  return `${type}${compact(event.data)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, '; ');
}

function compact(value: unknown): string {
  const text = JSON.stringify(value) ?? '';
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}
