// Configuration from the environment, validated once at start. A bad value stops the
// process with a message naming the variable, what is wrong, and an example.
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

export const ConfigSchema = z.object({
  PORT: port.default(2567).describe('2567'),
  HOST: z.string().min(1).default('0.0.0.0').describe('0.0.0.0'),
  /** PostgreSQL; when unset the embedded PGlite store under PANTHEON_DATA_DIR is used. */
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' })
    .optional()
    .describe('postgres://postgres@127.0.0.1:5432/pantheon'),
  /** Schema holding the event store tables. */
  PANTHEON_DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .default('pantheon')
    .describe('pantheon'),
  PANTHEON_DATA_DIR: z.string().min(1).default('./data').describe('./data'),
  PANTHEON_TRANSPORT: z.enum(['ws', 'uwebsockets']).default('ws').describe('ws'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('info'),
}).superRefine((config, ctx) => {
  // uWebSockets.js does not report the port it picked, so a free port cannot be announced.
  if (config.PANTHEON_TRANSPORT === 'uwebsockets' && config.PORT === 0) {
    ctx.addIssue({ code: 'custom', path: ['PORT'], message: 'must be a fixed port with PANTHEON_TRANSPORT=uwebsockets' });
  }
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  readonly code = 'config/invalid';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads the config from `env`; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable is treated as unset, as shells and compose files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = ConfigSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const field = ConfigSchema.shape[name as keyof typeof ConfigSchema.shape];
    const value = present[name];
    return `${name}=${JSON.stringify(value)} ${issue.message} (example: ${name}=${field?.description ?? '…'})`;
  });
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}
