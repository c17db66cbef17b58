// `pantheon export`: the log (or a slice of it: stream prefix, event types, position or time
// range) as NDJSON or CSV, in global order. Streams in constant memory: it pages through
// readAll and waits for the output to drain before reading on.
import { createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { StreamId, type RecordedEvent } from '../../events/envelope.ts';
import type { EventStore } from '../../events/store.ts';
import { CliError, parseArgs, progressBar, withStore } from './context.ts';
import { logPoint, positionRange } from './points.ts';

const PAGE = 10_000;

const ExportArgs = z
  .strictObject({
    stream: StreamId.optional(),
    streamPrefix: z.string().min(1).max(200).optional(),
    type: z.array(z.string().min(1).max(64)).optional(),
    from: logPoint().optional(),
    to: logPoint().optional(),
    format: z.enum(['ndjson', 'csv'], { error: 'must be ndjson or csv' }).default('ndjson'),
    out: z.string().min(1).optional(),
    upcast: z.boolean().default(false),
  })
  .refine((args) => args.stream === undefined || args.streamPrefix === undefined, {
    message: 'give --stream or --stream-prefix, not both', path: ['stream'],
  })
  .refine((args) => !(args.from && args.to && 'time' in args.from && 'time' in args.to) || args.from.time <= args.to.time, {
    message: 'the range ends before it starts', path: ['to'],
  })
  .refine((args) => !(args.from && args.to && 'position' in args.from && 'position' in args.to) || args.from.position <= args.to.position, {
    message: 'the range ends before it starts', path: ['to'],
  });

export type ExportFilter = {
  from: number;
  to: number;
  /** One exact stream: read by stream, not by paging the whole log. */
  stream?: string | undefined;
  streamPrefix?: string | undefined;
  types?: ReadonlySet<string> | undefined;
  /** Exact time bounds, on top of the positions they were mapped to. */
  after?: Date | undefined;
  before?: Date | undefined;
  upcast?: boolean;
};

export const csvColumns = ['position', 'stream_id', 'version', 'type', 'schema_version', 'id', 'recorded_at', 'tick', 'actor', 'data', 'metadata', 'hash'] as const;

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write events in global order as NDJSON (default) or CSV, streaming, in constant memory')
    .option('--stream <id>', 'only this one stream, e.g. battle-7f3a (battle-7f3a1 is another stream)')
    .option('--stream-prefix <prefix>', 'only streams whose id starts with this, e.g. battle- or raid-7f')
    .option('--type <type>', 'only this event type (repeat, or separate with commas)', collectTypes)
    .option('--from <point>', 'first position (48213), time (2026-11-20T18:00Z) or time ago (36h), inclusive')
    .option('--to <point>', 'last position or time, inclusive (default: the head)')
    .option('--format <format>', 'ndjson or csv', 'ndjson')
    .option('--out <file>', 'write here instead of stdout')
    .option('--upcast', 'events in their current schema (default: as stored, hash-verifiable)')
    .option('--json', 'a JSON summary on stderr when done')
    .addHelpText('after', `\nNDJSON lines are the stored events: {id, streamId, version, position, type, schemaVersion, data, metadata, hash}.\nCSV columns: ${csvColumns.join(',')} (data and metadata as JSON).`)
    .action(async (options: Record<string, unknown>) => {
      const { json, ...rest } = options;
      const args = parseArgs(ExportArgs, rest);
      await withStore(async ({ store }) => {
        const head = await store.headPosition();
        const range = await positionRange(store, args.from, args.to);
        if (args.from && 'position' in args.from && args.from.position > head + 1) {
          throw new CliError('cli/bad_range', `--from ${args.from.position} is past the head of the log (position ${head})`);
        }
        const filter: ExportFilter = {
          ...range,
          stream: args.stream,
          streamPrefix: args.streamPrefix,
          types: args.type ? new Set(args.type) : undefined,
          after: args.from && 'time' in args.from ? args.from.time : undefined,
          before: args.to && 'time' in args.to ? args.to.time : undefined,
          upcast: args.upcast,
        };
        const destination: Writable = args.out ? createWriteStream(args.out) : process.stdout;
        const progress = progressBar('exporting', Math.max(0, range.to - range.from + 1), { stdoutInUse: !args.out });
        const started = performance.now();
        const counts = { events: 0 };
        try {
          await pipeline(Readable.from(exportChunks(store, filter, args.format, counts, (position) => progress.update(position - range.from + 1)), { highWaterMark: 1 }), destination);
        } catch (error) {
          // A reader that stopped early (`| head`) is not an error.
          if ((error as { code?: string }).code !== 'EPIPE') throw error;
        } finally {
          progress.stop();
        }
        if (json === true) {
          const seconds = (performance.now() - started) / 1000;
          process.stderr.write(`${JSON.stringify({ events: counts.events, from: range.from, to: range.to, seconds: Number(seconds.toFixed(3)), out: args.out ?? null })}\n`);
        }
      });
    });
}

function collectTypes(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((t) => t.trim()).filter(Boolean)];
}

/**
 * The export as text chunks, one per page read. A generator pulled by the output stream: the
 * next page is read only once the previous chunk has been taken, so memory holds one page.
 */
export async function* exportChunks(
  store: Pick<EventStore, 'readAll' | 'readStream'>,
  filter: ExportFilter,
  format: 'ndjson' | 'csv',
  counts: { events: number } = { events: 0 },
  onPage: (position: number) => void = () => {},
): AsyncGenerator<string> {
  const encode = format === 'csv' ? csvLine : (event: RecordedEvent) => JSON.stringify(event);
  if (format === 'csv') yield `${csvColumns.join(',')}\n`;
  if (filter.stream !== undefined) {
    yield* streamChunks(store, filter.stream, filter, encode, counts, onPage);
    return;
  }
  const read = (from: number) => {
    const page = store.readAll({ fromPosition: from, limit: Math.min(PAGE, filter.to - from + 1), raw: !filter.upcast });
    page.catch(() => {}); // a read ahead that a reader who left early never awaits must not crash the process
    return page;
  };
  // One page is read ahead while the current one is encoded, so the database and this
  // process work at the same time; memory still holds two pages at most.
  let next: Promise<RecordedEvent[]> | null = filter.from <= filter.to ? read(filter.from) : null;
  while (next) {
    const page = await next;
    if (page.length === 0) return;
    const position = page.at(-1)!.position + 1;
    next = position <= filter.to ? read(position) : null;
    let chunk = '';
    for (const event of page) {
      if (event.position > filter.to) break;
      if (!matches(event, filter)) continue;
      chunk += `${encode(event)}\n`;
      counts.events++;
    }
    onPage(Math.min(position - 1, filter.to));
    if (chunk) yield chunk;
  }
}

/** One stream, page by page in version order (its events are in global order too). */
async function* streamChunks(
  store: Pick<EventStore, 'readStream'>,
  streamId: string,
  filter: ExportFilter,
  encode: (event: RecordedEvent) => string,
  counts: { events: number },
  onPage: (position: number) => void,
): AsyncGenerator<string> {
  for (let fromVersion = 0; ; ) {
    const page = await store.readStream(streamId, { fromVersion, limit: PAGE, raw: !filter.upcast });
    if (page.length === 0) return;
    let chunk = '';
    for (const event of page) {
      if (event.position < filter.from || event.position > filter.to || !matches(event, filter)) continue;
      chunk += `${encode(event)}\n`;
      counts.events++;
    }
    onPage(Math.min(page.at(-1)!.position, filter.to));
    if (chunk) yield chunk;
    if (page.length < PAGE) return;
    fromVersion = page.at(-1)!.version + 1;
  }
}

function matches(event: RecordedEvent, filter: ExportFilter): boolean {
  if (filter.stream !== undefined && event.streamId !== filter.stream) return false;
  if (filter.streamPrefix !== undefined && !event.streamId.startsWith(filter.streamPrefix)) return false;
  if (filter.types && !filter.types.has(event.type)) return false;
  if (filter.after || filter.before) {
    const at = Date.parse(event.metadata.recordedAt);
    if (filter.after && at < filter.after.getTime()) return false;
    if (filter.before && at > filter.before.getTime()) return false;
  }
  return true;
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function csvLine(event: RecordedEvent): string {
  const { recordedAt, tick, actor } = event.metadata;
  return [
    String(event.position), event.streamId, String(event.version), event.type, String(event.schemaVersion), event.id, recordedAt,
    tick === undefined ? '' : String(tick), actor ?? '', JSON.stringify(event.data), JSON.stringify(event.metadata), event.hash,
  ].map(csvField).join(',');
}
