// `pantheon flags …`: live operations from the command line, against the store the server
// is configured with: list the flags, define one, replace its rules, archive it, set a
// platform's minimum client version, start or stop a staged rollout. Every change goes
// through the same decider as the HTTP API (commands/flags/), recorded as `cli:<by>`; with
// REDIS_URL the game servers hear of it at once, otherwise at their next poll.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { ClientVersion, FlagDefinition, FlagKey, FlagRules, FlagValue, HealthGuard, Platform, RolloutId, RolloutSteps } from '../../commands/flags/model.ts';
import { followLiveOps } from '../../commands/flags/follower.ts';
import { LiveOpsRegistry } from '../../commands/flags/registry.ts';
import { FlagRefused, FlagService, type Changed } from '../../commands/flags/service.ts';
import { uuidv7 } from '../../events/ids.ts';
import { redisNotifier } from '../flags/notifier.ts';
import { CliError, parseArgs, print, withStore, type Session } from './context.ts';

const By = z.string().regex(/^[A-Za-z0-9_.@-]{1,60}$/, 'who you are, e.g. --by alice').default(process.env.USER && /^[A-Za-z0-9_.@-]{1,60}$/.test(process.env.USER) ? process.env.USER : 'operator');
const Json = z.string().min(1).max(256 * 1024).transform((text, ctx) => {
  // A JSON document, or @file to read one.
  const source = text.startsWith('@') ? readFileSync(text.slice(1), 'utf8') : text;
  try {
    return JSON.parse(source) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not valid JSON (give JSON, or @file.json)' });
    return z.NEVER;
  }
});
const Common = { by: By, json: z.boolean().default(false) };

async function withFlags<T>(work: (flags: FlagService, session: Session) => Promise<T>): Promise<T> {
  return withStore(async (session) => {
    const registry = new LiveOpsRegistry();
    const follower = await followLiveOps(session.store, registry);
    const notifier = session.config.REDIS_URL ? await redisNotifier({ url: session.config.REDIS_URL, prefix: session.config.PANTHEON_REDIS_PREFIX, logger: session.logger }) : undefined;
    try {
      return await work(new FlagService({ store: session.store, registry, ...(notifier ? { notifier } : {}) }), session);
    } finally {
      await follower.stop();
      await notifier?.close();
    }
  });
}

async function change(json: boolean, work: (flags: FlagService) => Promise<Changed>): Promise<void> {
  await withFlags(async (flags) => {
    let changed: Changed;
    try {
      changed = await work(flags);
    } catch (error) {
      if (error instanceof FlagRefused) throw new CliError(error.code, error.message);
      throw error;
    }
    const recorded = changed.events.map((e) => e.type);
    if (json) print(JSON.stringify({ revision: changed.revision, recorded }));
    else print(recorded.length > 0 ? `recorded ${recorded.join(', ')} (revision ${changed.revision})` : `nothing to record: already so (revision ${changed.revision})`);
  });
}

/** Parses a JSON argument with `schema`, naming the field that is wrong. */
function validJson<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CliError('flags/invalid', `${what}: ${z.prettifyError(parsed.error).replaceAll('\n', '; ')}`);
  return parsed.data;
}

export function registerFlags(program: Command): void {
  const flags = program.command('flags').description('feature flags, minimum client versions and staged rollouts, recorded in the log');

  flags
    .command('list')
    .description('every flag with its rules, the minimum client versions and the rollouts')
    .option('--json', 'one JSON object: {revision, flags, minimumVersions, rollouts}')
    .action(async (options: Record<string, unknown>) => {
      const args = parseArgs(z.strictObject({ json: z.boolean().default(false) }), options);
      await withFlags(async (service) => {
        const state = service.registry.state;
        if (args.json) {
          print(JSON.stringify({ revision: state.revision, flags: Object.values(state.flags), minimumVersions: state.minimumVersions, rollouts: Object.values(state.rollouts) }));
          return;
        }
        print(`revision ${state.revision}; minimum versions: ${JSON.stringify(state.minimumVersions)}`);
        for (const flag of Object.values(state.flags)) {
          print(`${flag.key} (${flag.type}${flag.experiment ? ', experiment' : ''}${flag.archived ? ', archived' : ''}${flag.rollout ? `, rollout ${flag.rollout}` : ''}) default ${JSON.stringify(flag.defaultValue)}, ${flag.rules.length} rules`);
        }
        for (const r of Object.values(state.rollouts)) print(`rollout ${r.rolloutId} of ${r.key}: ${r.status}, step ${r.step + 1}/${r.steps.length}${r.reason ? ` (${r.reason})` : ''}`);
      });
    });

  flags
    .command('define')
    .description('define a flag from a JSON definition: {key, type, defaultValue, rules?, description?, experiment?}')
    .argument('<definition>', 'the definition as JSON, or @file.json')
    .option('--by <name>', 'who is defining it (recorded as cli:<name>)')
    .option('--json', 'one JSON object: {revision, recorded}')
    .action(async (definition: string, options: Record<string, unknown>) => {
      const args = parseArgs(z.strictObject({ definition: Json, ...Common }), { definition, ...options });
      await change(args.json, (service) => service.define(validJson(FlagDefinition, args.definition, 'definition'), `cli:${args.by}`));
    });

  flags
    .command('rules')
    .description("replace a flag's rules (and optionally its default)")
    .argument('<key>', 'the flag')
    .argument('<rules>', 'the rules as a JSON array, or @file.json')
    .option('--default <value>', 'a new default value, as JSON')
    .option('--reason <text>', 'why, recorded with the change')
    .option('--by <name>', 'who is changing it')
    .option('--json', 'one JSON object: {revision, recorded}')
    .action(async (key: string, rules: string, options: Record<string, unknown>) => {
      const args = parseArgs(z.strictObject({ key: FlagKey, rules: Json, default: Json.optional(), reason: z.string().max(500).optional(), ...Common }), { key, rules, ...options });
      const defaultValue = args.default === undefined ? undefined : validJson(FlagValue, args.default, '--default');
      await change(args.json, (service) => service.changeRules(args.key, { rules: validJson(FlagRules, args.rules, 'rules'), defaultValue, reason: args.reason }, `cli:${args.by}`));
    });

  flags
    .command('archive')
    .description('archive a flag: it leaves the client manifest and evaluates to its default')
    .argument('<key>', 'the flag')
    .option('--by <name>', 'who is archiving it')
    .option('--json', 'one JSON object: {revision, recorded}')
    .action(async (key: string, options: Record<string, unknown>) => {
      const args = parseArgs(z.strictObject({ key: FlagKey, ...Common }), { key, ...options });
      await change(args.json, (service) => service.archive(args.key, `cli:${args.by}`));
    });

  flags
    .command('min-version')
    .description("set the oldest client build a platform may sign in with ('none' clears it)")
    .argument('<platform>', Platform.options.join(' | '))
    .argument('<version>', "semver, e.g. 1.5.0, or 'none'")
    .option('--by <name>', 'who is setting it')
    .option('--json', 'one JSON object: {revision, recorded}')
    .action(async (platform: string, version: string, options: Record<string, unknown>) => {
      const args = parseArgs(z.strictObject({ platform: Platform, version: z.union([z.literal('none'), ClientVersion]), ...Common }), { platform, version, ...options });
      await change(args.json, (service) => service.setMinimumVersion(args.platform, args.version === 'none' ? null : args.version, `cli:${args.by}`));
    });

  flags
    .command('rollout')
    .description("raise one rule's percentage step by step while the game servers' health guard holds")
    .argument('<key>', 'the flag')
    .requiredOption('--rule <index>', 'index of the rule to roll out (0 is the first)')
    .requiredOption('--steps <percentages>', 'rising percentages, e.g. 5,25,50,100')
    .requiredOption('--every <seconds>', 'seconds between steps')
    .option('--id <rolloutId>', 'the rollout id (default: a new one)')
    .option('--guard <json>', 'the health guard, e.g. {"maxRefusedPercent":10}')
    .option('--by <name>', 'who is starting it')
    .option('--json', 'one JSON object: {revision, recorded}')
    .action(async (key: string, options: Record<string, unknown>) => {
      const args = parseArgs(z.strictObject({
        key: FlagKey,
        rule: z.coerce.number().int().min(0).max(49),
        steps: z.string().transform((text) => text.split(',').map(Number)).pipe(RolloutSteps),
        every: z.coerce.number().int().min(1).max(7 * 24 * 3600),
        id: RolloutId.optional(),
        guard: Json.optional(),
        ...Common,
      }), { key, ...options });
      const guard = validJson(HealthGuard, args.guard ?? {}, '--guard');
      await change(args.json, (service) => service.startRollout({ rolloutId: args.id ?? uuidv7(), key: args.key, ruleIndex: args.rule, steps: args.steps, stepSeconds: args.every, guard }, Date.now(), `cli:${args.by}`));
    });

  flags
    .command('stop-rollout')
    .description('stop a rollout and put its flag back to its rules before it')
    .argument('<rolloutId>', 'the rollout')
    .requiredOption('--reason <text>', 'why, recorded with the rollback')
    .option('--by <name>', 'who is stopping it')
    .option('--json', 'one JSON object: {revision, recorded}')
    .action(async (rolloutId: string, options: Record<string, unknown>) => {
      const args = parseArgs(z.strictObject({ rolloutId: RolloutId, reason: z.string().min(1).max(300), ...Common }), { rolloutId, ...options });
      await change(args.json, (service) => service.stopRollout(args.rolloutId, args.reason, Date.now(), `cli:${args.by}`));
    });
}
