// Configuration from the environment, validated once at start. A bad value stops the
// process with a message naming the variable, what is wrong, and an example.
import { z } from 'zod';
import { checkPurchaseConfig, purchaseConfigShape } from '../commands/purchases/config.ts';
import { RateLimitOverrides } from './auth/rateLimit.ts';
import { WatchLimitOverrides } from './auth/watchLimits.ts';
import { discordConfigShape } from './discord/config.ts';

const port = z.coerce.number().int().min(0).max(65535);
const playerIdList = z
  .string()
  .regex(/^[A-Za-z0-9_.:@-]{1,64}(,[A-Za-z0-9_.:@-]{1,64})*$/, 'must be player ids separated by commas')
  .transform((list) => list.split(','))
  .default([]);

/** What a process runs (infra/main.ts); `all` is one process with everything, on embedded defaults. */
export const roles = ['game', 'projector', 'relay', 'audit', 'discord', 'narrator'] as const;
export type Role = (typeof roles)[number];

export const ConfigSchema = z.object({
  // Platform purchases (base URLs and credentials of Steam, Apple, Google Play, Discord);
  // Steam sign-in and Discord OAuth2 share the Steam key and the Discord base URL with them.
  ...purchaseConfigShape,
  // Discord spectators: the interactions endpoint's public key, and the bot that posts live messages.
  ...discordConfigShape,
  PANTHEON_ROLE: z.enum([...roles, 'all']).default('all').describe('all'),
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
  /** How long one PostgreSQL statement may go unanswered before it fails (and a stalled connection is dropped). */
  PANTHEON_DB_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(2000).describe('2000'),
  PANTHEON_DATA_DIR: z.string().min(1).default('./data').describe('./data'),
  /** A new embedded store starts from a copy of an initialised PGlite cluster (infra/pgliteTemplate.ts) instead of running initdb. */
  PANTHEON_PGLITE_TEMPLATE: z.enum(['on', 'off']).default('on').describe('on'),
  /** EventStoreDB/KurrentDB holds the log instead (read models stay in DATABASE_URL or PGlite). */
  EVENTSTORE_CONNECTION_STRING: z
    .string()
    .regex(/^esdb(\+discover)?:\/\/\S+$/, 'must be an esdb:// connection string')
    .optional()
    .describe('esdb://127.0.0.1:2113?tls=false'),
  PANTHEON_TRANSPORT: z.enum(['ws', 'uwebsockets']).default('ws').describe('ws'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('info'),
  /** On SIGTERM, how long rooms may play on to finish before they hand over to another process (infra/drain.ts); keep below the orchestrator's grace period. */
  PANTHEON_DRAIN_SECONDS: z.coerce.number().int().min(0).max(3600).default(0).describe('90'),
  /** A game process's lease in Redis (with REDIS_URL) lives this long unrenewed; once it lapses, survivors resume its rooms. */
  PANTHEON_LEASE_MS: z.coerce.number().int().min(300).max(60_000).default(1500).describe('1500'),
  /** Redis shared by several server processes (Colyseus presence and driver); unset: one process. */
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' })
    .optional()
    .describe('redis://127.0.0.1:6379'),
  /** host:port[/path] clients dial for the rooms this process hosts (with REDIS_URL); default HOST:PORT, 127.0.0.1 for a wildcard HOST. */
  PUBLIC_ADDRESS: z
    .string()
    .regex(/^[A-Za-z0-9.\-[\]:]+(:\d{1,5})?(\/[^\s]*)?$/, 'must be host[:port][/path], no scheme')
    .optional()
    .describe('game-1.example.com:2567'),
  /** Kafka brokers the relay publishes the event stream to, host:port[,host:port]. */
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^\s:,/]+:\d{1,5}(,[^\s:,/]+:\d{1,5})*$/, 'must be host:port[,host:port…]')
    .optional()
    .describe('127.0.0.1:9092'),
  /** Relayed events go to topics `<prefix>.<stream category>`. */
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be letters, digits, ".", "_" or "-"')
    .default('pantheon')
    .describe('pantheon'),
  /** The oracle narrator's OpenAI key; unset: the offline template narrator speaks. */
  OPENAI_API_KEY: z.string().min(1).optional().describe('sk-…'),
  /** An OpenAI-compatible API; default the SDK's (https://api.openai.com/v1). */
  OPENAI_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s):// URL' })
    .optional()
    .describe('https://api.openai.com/v1'),
  OPENAI_MODEL: z.string().min(1).max(100).default('gpt-4o-mini').describe('gpt-4o-mini'),
  /** Model tokens the narrator may spend per UTC day; past it the offline narrator speaks. */
  NARRATOR_DAILY_TOKENS: z.coerce.number().int().min(0).default(200_000).describe('200000'),
  // --- identity and access (infra/auth) ---
  /** HMAC key for session tokens, 32+ characters; unset: a random one per start (tokens die with the process). */
  PANTHEON_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional().describe('$(openssl rand -base64 48)'),
  /** Player ids holding the admin role (rebuilds, content), comma-separated. */
  PANTHEON_ADMIN_PLAYER_IDS: playerIdList.describe('0190f2c4-7c1e-7a51-9a3b-2f1d5e6c7b80'),
  /** Player ids holding the auditor role, comma-separated. */
  PANTHEON_AUDITOR_PLAYER_IDS: playerIdList.describe('0190f2c4-7c1e-7a51-9a3b-2f1d5e6c7b80'),
  /** Rate limit overrides, name=count/seconds (see infra/auth/rateLimit.ts). */
  PANTHEON_RATE_LIMITS: RateLimitOverrides.optional().describe('join.ip=1000/60,signin.ip=60/60'),
  /** Concurrent watch connections per watch-only token, account and address (see infra/auth/watchLimits.ts). */
  PANTHEON_WATCH_LIMITS: WatchLimitOverrides.optional().describe('address=200,token=2'),
  /** Prefix of the Redis keys auth keeps (rate limits, refresh tokens): several deployments can share one Redis. */
  PANTHEON_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 : _ . -').default('pantheon:').describe('pantheon:'),
  /** Origins browsers may call the API from (CORS), comma-separated; unset: none. Never with credentials. */
  PANTHEON_CORS_ORIGINS: z
    .string()
    .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(,https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)*$/, 'must be origins (scheme://host[:port]) separated by commas')
    .transform((list) => list.split(','))
    .optional()
    .describe('https://play.example.com,https://admin.example.com'),
  /** Port of the operator server that serves /metrics (unset: /metrics is served on PORT only with PANTHEON_METRICS_TOKEN). */
  PANTHEON_METRICS_PORT: port.optional().describe('9464'),
  /** Bearer token that opens /metrics on the public PORT (16+ characters). */
  PANTHEON_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional().describe('$(openssl rand -hex 24)'),
  /** Concurrent connections (HTTP and WebSocket) per client address. */
  PANTHEON_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(256).describe('256'),
  /** More words chat moderation holds back, comma-separated (beside the built-in list). */
  PANTHEON_CHAT_WORDS: z
    .string()
    .regex(/^[^,\s]{1,64}(,[^,\s]{1,64}){0,999}$/u, 'must be words separated by commas, no spaces, e.g. badword,worseword')
    .transform((list) => list.split(','))
    .optional()
    .describe('badword,worseword'),
  /** How often each game server's rollout health guard looks at its metrics and advances or rolls back rollouts. */
  PANTHEON_ROLLOUT_CHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30).describe('30'),
  /** How often each game server reads the live-ops log without being told to (Redis tells it at once). */
  PANTHEON_FLAGS_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5).describe('5'),
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  PANTHEON_TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((value) => value === 'true').describe('false'),
  /** `development` also serves @colyseus/playground at /playground (infra/web); never in production. */
  NODE_ENV: z.string().max(40).optional().describe('production'),
  DISCORD_CLIENT_ID: z.string().regex(/^[0-9]{15,21}$/, 'must be a Discord application id').optional().describe('1234567890123456789'),
  DISCORD_CLIENT_SECRET: z.string().min(8).optional().describe('your-oauth2-client-secret'),
  DISCORD_REDIRECT_URI: z.url().optional().describe('https://play.example.com/auth/discord/callback'),
}).superRefine((config, ctx) => {
  checkPurchaseConfig(config, ctx);
  if (config.PANTHEON_ROLE === 'relay' && !config.KAFKA_BROKERS) {
    ctx.addIssue({ code: 'custom', path: ['KAFKA_BROKERS'], message: 'must be set with PANTHEON_ROLE=relay' });
  }
  // uWebSockets.js does not report the port it picked, so a free port cannot be announced.
  if (config.PANTHEON_TRANSPORT === 'uwebsockets' && config.PORT === 0) {
    ctx.addIssue({ code: 'custom', path: ['PORT'], message: 'must be a fixed port with PANTHEON_TRANSPORT=uwebsockets' });
  }
  // Other processes send clients to this one's address: it must be known before listening.
  if (config.REDIS_URL && config.PORT === 0 && !config.PUBLIC_ADDRESS) {
    ctx.addIssue({ code: 'custom', path: ['PORT'], message: 'must be a fixed port with REDIS_URL unless PUBLIC_ADDRESS is set' });
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
