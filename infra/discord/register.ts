// Registers Pantheon's slash commands with Discord: `node infra/discord/register.ts
// [--guild <id>] [--dry-run]`, with DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN set.
//
// Bulk overwrite (PUT /applications/{id}/commands, or …/guilds/{guild}/commands for a test
// server, where changes show at once) replaces the whole set, so running it twice is
// harmless; it still reads the registered set first, logs what would change, and writes
// only when something did (each write counts against Discord's daily command-create limit).
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createLogger, type Logger } from '../logger.ts';
import { commandDefinitions, type CommandDefinition, type CommandOption } from './commands.ts';
import { discordConfigShape } from './config.ts';
import { DiscordRest } from './rest.ts';

export type RegistrationReport = { added: string[]; changed: string[]; removed: string[]; unchanged: string[]; wrote: boolean };

/** The fields we set, with Discord's defaults filled in, in a fixed order: what comparing needs. */
function normalized(command: Partial<CommandDefinition> & Record<string, unknown>): string {
  const option = (o: CommandOption & Record<string, unknown>) => ({
    type: o.type, name: o.name, description: o.description, required: o.required ?? false,
    choices: (o.choices ?? []).map((c) => ({ name: c.name, value: c.value })),
  });
  return JSON.stringify({
    name: command.name, type: command.type ?? 1, description: command.description,
    options: ((command.options ?? []) as Array<CommandOption & Record<string, unknown>>).map(option),
  });
}

const Registered = z.array(z.looseObject({ name: z.string(), description: z.string(), type: z.int().optional(), options: z.array(z.looseObject({})).optional() }));

export async function registerCommands(input: {
  rest: DiscordRest;
  applicationId: string;
  guildId?: string | undefined;
  dryRun?: boolean;
  commands?: readonly CommandDefinition[];
  logger: Pick<Logger, 'info'>;
}): Promise<RegistrationReport> {
  const wanted = input.commands ?? commandDefinitions;
  const path = input.guildId ? `/applications/${input.applicationId}/guilds/${input.guildId}/commands` : `/applications/${input.applicationId}/commands`;
  const current = await input.rest.request('GET', path);
  if (current.status !== 200) throw new Error(`Discord answered GET ${path} with HTTP ${current.status}: ${JSON.stringify(current.body)}`);
  const registered = new Map(Registered.parse(current.body).map((c) => [c.name, normalized(c as never)]));
  const report: RegistrationReport = { added: [], changed: [], removed: [], unchanged: [], wrote: false };
  for (const command of wanted) {
    const before = registered.get(command.name);
    if (before === undefined) report.added.push(command.name);
    else if (before !== normalized(command as never)) report.changed.push(command.name);
    else report.unchanged.push(command.name);
  }
  report.removed = [...registered.keys()].filter((name) => !wanted.some((c) => c.name === name));
  const scope = input.guildId ? `guild ${input.guildId}` : 'global';
  input.logger.info({ scope, ...report }, report.added.length + report.changed.length + report.removed.length === 0 ? 'slash commands already up to date' : 'slash commands differ from the registered set');
  if (input.dryRun || report.added.length + report.changed.length + report.removed.length === 0) return report;
  const written = await input.rest.request('PUT', path, { body: wanted });
  if (written.status !== 200) throw new Error(`Discord answered PUT ${path} with HTTP ${written.status}: ${JSON.stringify(written.body)}`);
  report.wrote = true;
  input.logger.info({ scope, commands: wanted.map((c) => c.name) }, 'slash commands registered');
  return report;
}

const Env = z.object({
  DISCORD_APPLICATION_ID: discordConfigShape.DISCORD_APPLICATION_ID.unwrap(),
  DISCORD_BOT_TOKEN: discordConfigShape.DISCORD_BOT_TOKEN.unwrap(),
  DISCORD_API_BASE_URL: discordConfigShape.DISCORD_API_BASE_URL,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
const Args = z.object({
  guild: z.string().regex(/^\d{17,20}$/, '--guild takes a guild id (a snowflake)').optional(),
  'dry-run': z.boolean().default(false),
});

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<RegistrationReport> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = Env.safeParse(present);
  if (!config.success) {
    const problems = config.error.issues.map((i) => `${String(i.path[0])}: ${i.message} (example: ${String(i.path[0])}=${discordConfigShape[i.path[0] as keyof typeof discordConfigShape]?.description ?? '…'})`);
    throw new Error(`invalid environment: ${problems.join('; ')}`);
  }
  const { values } = parseArgs({ args: argv, options: { guild: { type: 'string' }, 'dry-run': { type: 'boolean' } }, strict: true });
  const args = Args.safeParse(values);
  if (!args.success) throw new Error(`invalid arguments: ${z.prettifyError(args.error)}`);
  const logger = createLogger(config.data.LOG_LEVEL).child({ component: 'discord-register' });
  const rest = new DiscordRest({ baseUrl: config.data.DISCORD_API_BASE_URL, botToken: config.data.DISCORD_BOT_TOKEN, logger });
  return registerCommands({ rest, applicationId: config.data.DISCORD_APPLICATION_ID, guildId: args.data.guild, dryRun: args.data['dry-run'], logger });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2), process.env).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
