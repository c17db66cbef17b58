// Identity and access, composed from the config: session tokens, refresh tokens and rate
// limits (in Redis with REDIS_URL, else in this process), the platform verifiers, the
// account service, the rooms' join gate and the HTTP routes.
import { memoryCommandBudget, redisCommandBudget } from './commandBudget.ts';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { AccountService } from '../../commands/account/service.ts';
import type { EventStore } from '../../events/store.ts';
import { AccessDenied, accessCodes, type RoomAccess } from '../../rooms/shared/access.ts';
import type { Config } from '../config.ts';
import type { RouteAuth, Route } from '../http/route.ts';
import type { Logger } from '../logger.ts';
import { discordVerifier } from './platforms/discord.ts';
import { steamVerifier } from './platforms/steam.ts';
import { memoryRateLimiter, rateLimits, redisRateLimiter, type RateLimiter, type RateLimits } from './rateLimit.ts';
import { memoryRefreshTokens, redisRefreshTokens, type RefreshTokenStore } from './refreshTokens.ts';
import { authRoutes } from './routes.ts';
import { defaultWatchLimits, memoryWatchLimiter, redisWatchLimiter, type WatchLimits } from './watchLimits.ts';
import { SessionService } from './sessions.ts';
import { AccessTokens } from './tokens.ts';

export type Auth = {
  tokens: AccessTokens;
  limiter: RateLimiter;
  refreshTokens: RefreshTokenStore;
  accounts: AccountService;
  sessions: SessionService;
  /** What rooms verify joins with. */
  rooms: RoomAccess;
  /** What HTTP routes verify bearer tokens with. */
  http: RouteAuth;
  routes: Route[];
  close(): Promise<void>;
};

export type AuthOverrides = {
  /** A Redis to keep limits and refresh tokens in, instead of (or without) REDIS_URL. */
  redisUrl?: string;
  /** Prefix of every Redis key (tests use one per server), instead of PANTHEON_REDIS_PREFIX. */
  redisPrefix?: string;
  limits?: Partial<RateLimits>;
  watchLimits?: Partial<WatchLimits>;
  now?: () => number;
};

export async function createAuth(config: Config, store: EventStore, logger: Logger, overrides: AuthOverrides = {}): Promise<Auth> {
  const log = logger.child({ component: 'auth' });
  let secret: Uint8Array;
  if (config.PANTHEON_JWT_SECRET) {
    secret = new TextEncoder().encode(config.PANTHEON_JWT_SECRET);
  } else {
    secret = randomBytes(48);
    log.warn(
      config.REDIS_URL
        ? 'PANTHEON_JWT_SECRET is unset, yet several processes share REDIS_URL: each signs with its own random key, so a token from one is refused by the others; set the same PANTHEON_JWT_SECRET on every process'
        : 'PANTHEON_JWT_SECRET is unset: session tokens are signed with a random key made at start, so they stop working when the process restarts',
    );
  }
  const now = overrides.now ?? Date.now;
  const tokens = new AccessTokens({ secret, now });
  const limits = rateLimits({ ...config.PANTHEON_RATE_LIMITS, ...overrides.limits });

  const redisUrl = overrides.redisUrl ?? config.REDIS_URL;
  const prefix = overrides.redisPrefix ?? config.PANTHEON_REDIS_PREFIX;
  let redis: Redis | undefined;
  let limiter: RateLimiter;
  let refreshTokens: RefreshTokenStore;
  const watchLimits: WatchLimits = { ...defaultWatchLimits, ...config.PANTHEON_WATCH_LIMITS, ...overrides.watchLimits };
  let watch: RoomAccess['watch'];
  let stopWatch = () => {};
  if (redisUrl) {
    // Fail fast while Redis is away (no offline queue): the limiter decides locally meanwhile.
    // Auto-pipelining: the commands of many concurrent requests go out in one write.
    redis = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, enableAutoPipelining: true, maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 1000 });
    redis.on('error', () => {});
    await redis.connect().catch((error: unknown) => log.warn({ err: error }, 'Redis does not answer yet; rate limits fall back to this process until it does'));
    limiter = redisRateLimiter(redis, limits, { prefix, logger: log });
    refreshTokens = redisRefreshTokens(redis, { prefix });
    const watchLimiter = redisWatchLimiter(redis, watchLimits, { prefix, logger: log });
    watch = watchLimiter;
    stopWatch = watchLimiter.close;
    log.info({ limiter: 'redis', prefix }, 'rate limits and refresh tokens kept in Redis');
  } else {
    limiter = memoryRateLimiter(limits, now);
    refreshTokens = memoryRefreshTokens({ now });
    watch = memoryWatchLimiter(watchLimits);
    log.info({ limiter: 'memory' }, 'REDIS_URL unset: rate limits and refresh tokens are kept in this process (not shared; a restart signs everyone out)');
  }

  const accounts = new AccountService({ store, logger });
  const sessions = new SessionService({
    accounts,
    tokens,
    refresh: refreshTokens,
    limiter,
    steam: steamVerifier({ baseUrl: config.STEAM_API_BASE_URL, webApiKey: config.STEAM_WEB_API_KEY, appId: config.STEAM_APP_ID === undefined ? undefined : Number(config.STEAM_APP_ID), logger: log }),
    discord: discordVerifier({
      baseUrl: config.DISCORD_API_BASE_URL,
      clientId: config.DISCORD_CLIENT_ID,
      clientSecret: config.DISCORD_CLIENT_SECRET,
      redirectUri: config.DISCORD_REDIRECT_URI,
      logger: log,
    }),
    grants: { admins: new Set(config.PANTHEON_ADMIN_PLAYER_IDS), auditors: new Set(config.PANTHEON_AUDITOR_PLAYER_IDS) },
    logger,
  });

  const rooms: RoomAccess = {
    async admit(token, where) {
      const principal = await tokens.verify(token);
      // No address where the transport cannot tell it (infra/server.ts): the player's own limit still holds.
      const decision = await limiter.takeAll([...(where.ip ? [['join.ip', where.ip] as const] : []), ['join.player', principal.playerId]]);
      if (!decision.allowed) throw new AccessDenied(accessCodes.rateLimited, 'too many room joins', decision.retryAfterMs);
      return principal;
    },
    commandRate: limits['command.player'],
    ...(watch ? { watch } : {}),
    commandBudget: redis
      ? redisCommandBudget(redis, limits['command.all'], { prefix, logger: log, now })
      : memoryCommandBudget(limits['command.all'], now),
    maxMessagesPerSecond: Math.max(60, Math.ceil((limits['command.player'].limit * 1000) / limits['command.player'].windowMs) * 3),
  };

  return {
    tokens,
    limiter,
    refreshTokens,
    accounts,
    sessions,
    rooms,
    http: { verify: (token) => tokens.verify(token) },
    routes: authRoutes(sessions, accounts),
    async close() {
      stopWatch();
      if (!redis) return;
      await redis.quit().catch(() => redis?.disconnect());
    },
  };
}
