// `pantheon projections status` and `pantheon projections rebuild <name>`: the read side as
// the configured store holds it (checkpoints, lag, failures), and a rebuild of one read
// model from position 0 into fresh tables swapped in when done; safe while the server runs.
import type { Command } from 'commander';
import { z } from 'zod';
import { WalletService } from '../../commands/wallet/service.ts';
import { openProjectionRunner, type Processor, type ProcessorStatus, type ProjectionRunner } from '../../projections/index.ts';
import { createCatalog } from '../catalog.ts';
import { processorsOf } from '../processors.ts';
import { CliError, parseArgs, print, progressBar, withStore, type Session } from './context.ts';

const StatusArgs = z.strictObject({ json: z.boolean().default(false) });
const RebuildArgs = z.strictObject({
  name: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'projection names are lower_snake_case, e.g. wallets'),
  json: z.boolean().default(false),
});

/**
 * The read models and reactors of the projector and audit roles, as this build composes them
 * (this process only reads their checkpoints and rebuilds; it never starts them).
 */
function processors(session: Session): Processor[] {
  const { store, opened, logger } = session;
  const services = { store, db: opened.db, schema: opened.schema, catalog: createCatalog(), logger, wallets: new WalletService({ store }) };
  return processorsOf((role) => role === 'projector' || role === 'audit', services);
}

async function withRunner<T>(work: (runner: ProjectionRunner) => Promise<T>): Promise<T> {
  return withStore(async (session) => {
    const runner = await openProjectionRunner({
      db: session.opened.db,
      store: session.store,
      schema: session.opened.schema,
      processors: processors(session),
      logger: session.logger,
    });
    try {
      return await work(runner);
    } finally {
      await runner.stop();
    }
  });
}

export function registerProjections(program: Command): void {
  const projections = program.command('projections').description('read models and process managers: status, rebuild');

  projections
    .command('status')
    .description('each projection and reactor: its checkpoint, how far behind the log it is, and any failure')
    .option('--json', 'one JSON object: {"projections":[{name, kind, position, head, lagEvents, lagMs, version, generation, error}]}')
    .action(async (options: Record<string, unknown>) => {
      const args = parseArgs(StatusArgs, options);
      await withRunner(async (runner) => {
        // This process runs none of them; whoever does (the server) shows in the checkpoints.
        const statuses = (await runner.status()).map(({ state: _local, ...status }) => status);
        if (args.json) {
          print(JSON.stringify({ projections: statuses }));
          return;
        }
        print(`${'name'.padEnd(24)} ${'kind'.padEnd(10)} ${'position'.padStart(10)} ${'behind'.padStart(9)}  status`);
        for (const s of statuses) print(`${s.name.padEnd(24)} ${s.kind.padEnd(10)} ${String(s.position).padStart(10)} ${String(s.lagEvents).padStart(9)}  ${describeStatus(s)}`);
      });
    });

  projections
    .command('rebuild')
    .description('replay the whole log into fresh tables for one projection, then swap them in (live readers never see a half-built model)')
    .argument('<name>', 'projection name, as `projections status` lists it')
    .option('--json', 'one JSON object: {projections, events, position, durationMs, eventsPerSecond}')
    .action(async (name: string, options: Record<string, unknown>) => {
      const args = parseArgs(RebuildArgs, { name, ...options });
      await withRunner(async (runner) => {
        if (!runner.names.includes(args.name)) {
          throw new CliError('projections/unknown', `unknown projection ${args.name}; known: ${runner.names.join(', ')}`);
        }
        const progress = progressBar(`rebuilding ${args.name}`, 1, { stdoutInUse: false });
        const report = await runner.rebuild([args.name], { onProgress: (position, head) => progress.update(position, head) });
        progress.stop();
        if (args.json) print(JSON.stringify(report));
        else print(`${args.name} rebuilt: ${report.events} events to position ${report.position} in ${(report.durationMs / 1000).toFixed(1)} s (${report.eventsPerSecond} events/s)`);
      });
    });
}

function describeStatus(status: Omit<ProcessorStatus, 'state'>): string {
  if (status.error) return `failed: ${status.error}`;
  if (status.lagEvents === 0) return 'caught up';
  return `${status.lagEvents} events behind (${(status.lagMs / 1000).toFixed(1)} s)`;
}
