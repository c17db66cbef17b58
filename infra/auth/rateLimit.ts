// Rate limits shared by every server process: GCRA (rooms/shared/gcra.ts) kept in Redis,
// one key per (rule, subject), decided atomically by a Lua script on Redis' own clock so
// processes with skewed clocks agree. Without Redis (the embedded `npm start`), or while
// Redis does not answer, the same limits are decided in this process: limits degrade to
// per-process, sign-in and joins keep working.
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { gcra, LocalRateLimiter, type RateDecision, type RateRule } from '../../rooms/shared/gcra.ts';
import type { Logger } from '../logger.ts';

export type { RateDecision, RateRule };

/** The limits, by name. Each is `limit` per `windowMs` per subject (an address, a player, an identity). */
export type RateLimits = {
  /** Sign-in attempts (guest, Steam, Discord, spectator) per client address. */
  'signin.ip': RateRule;
  /** Sign-ins per platform identity (device, Steam id, Discord id) once the platform vouched for it. */
  'signin.identity': RateRule;
  /** Watch-only tokens (POST /auth/spectator) per client address, on top of `signin.ip`. */
  'spectator.ip': RateRule;
  /** Token refreshes per client address. */
  'refresh.ip': RateRule;
  /** Room joins per player. */
  'join.player': RateRule;
  /** Room joins per client address. */
  'join.ip': RateRule;
  /** Account changes (link, unlink) per player. */
  'account.player': RateRule;
  /** Commands per player per room, decided at once in the room (colyseusRoom.ts). */
  'command.player': RateRule;
  /** Commands per player summed over all their rooms and processes, each tick (commandBudget.ts). */
  'command.all': RateRule;
  /** Chat messages per player, over every channel and process (infra/social). */
  'chat.player': RateRule;
};
export type RateLimitName = keyof RateLimits;

export const defaultRateLimits: RateLimits = {
  'signin.ip': { limit: 30, windowMs: 60_000 },
  'signin.identity': { limit: 10, windowMs: 60_000 },
  'spectator.ip': { limit: 10, windowMs: 600_000 },
  'refresh.ip': { limit: 60, windowMs: 60_000 },
  'join.player': { limit: 60, windowMs: 60_000 },
  'join.ip': { limit: 300, windowMs: 60_000 },
  'account.player': { limit: 20, windowMs: 60_000 },
  'command.player': { limit: 20, windowMs: 1_000 },
  'command.all': { limit: 40, windowMs: 1_000 },
  'chat.player': { limit: 5, windowMs: 5_000 },
};

const limitNames = Object.keys(defaultRateLimits) as RateLimitName[];

/**
 * `PANTHEON_RATE_LIMITS`: overrides as `name=count/seconds`, comma-separated, e.g.
 * `join.ip=1000/60,command.player=30/1`. Unnamed limits keep their defaults.
 */
export const RateLimitOverrides = z
  .string()
  .regex(/^([a-z.]+=\d{1,9}\/\d{1,6}(\.\d{1,3})?)(,[a-z.]+=\d{1,9}\/\d{1,6}(\.\d{1,3})?)*$/, 'must be name=count/seconds[,…], e.g. join.ip=1000/60')
  .transform((spec, ctx) => {
    const overrides: Partial<RateLimits> = {};
    for (const part of spec.split(',')) {
      const [name, rule] = part.split('=') as [string, string];
      const [count, seconds] = rule.split('/').map(Number) as [number, number];
      if (!(limitNames as string[]).includes(name)) {
        ctx.addIssue({ code: 'custom', message: `${name} is not a rate limit; known: ${limitNames.join(', ')}` });
        return z.NEVER;
      }
      if (count < 1 || seconds <= 0) {
        ctx.addIssue({ code: 'custom', message: `${name} needs a count of at least 1 per a positive number of seconds` });
        return z.NEVER;
      }
      overrides[name as RateLimitName] = { limit: count, windowMs: Math.round(seconds * 1000) };
    }
    return overrides;
  });

export type RateCheck = readonly [name: RateLimitName, subject: string];

export type RateLimiter = {
  readonly kind: 'redis' | 'memory';
  /** Counts one request of `subject` against `rule`. */
  take(name: RateLimitName, subject: string): Promise<RateDecision>;
  /**
   * Counts one request against several limits at once, all or none: refused by any, it uses
   * up none of them (one round trip to Redis for all). The wait is the longest one.
   */
  takeAll(checks: readonly RateCheck[]): Promise<RateDecision>;
  readonly limits: RateLimits;
};

/** Same algorithm, this process only. */
export function memoryRateLimiter(limits: RateLimits, now: () => number = Date.now): RateLimiter {
  const local = new LocalRateLimiter({ now });
  return {
    kind: 'memory',
    limits,
    take: async (name, subject) => local.take(limits[name], `${name}:${subject}`),
    takeAll: async (checks) => local.takeAll(checks.map(([name, subject]) => [limits[name], `${name}:${subject}`] as const)),
  };
}

// GCRA in Redis over one or more buckets, all or none. KEYS: the buckets; ARGV: per bucket
// its interval and tolerance in microseconds (integers, so Lua's doubles stay exact).
// Returns 0 when every bucket allowed it (and counts it in each), else the longest wait in
// microseconds (and counts it in none).
const gcraScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tats = {}
local wait = 0
for i = 1, #KEYS do
  local tolerance = tonumber(ARGV[2 * i])
  local tat = tonumber(redis.call('GET', KEYS[i]) or now)
  if tat < now then tat = now end
  tats[i] = tat
  if tat - now > tolerance and tat - now - tolerance > wait then wait = tat - now - tolerance end
end
if wait > 0 then return wait end
for i = 1, #KEYS do
  local next = tats[i] + tonumber(ARGV[2 * i - 1])
  redis.call('SET', KEYS[i], string.format('%d', next), 'PX', math.ceil((next - now) / 1000) + 1)
end
return 0
`;

type GcraRedis = Redis & { pantheonGcra(numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<number> };

/**
 * Limits kept in Redis under `prefix`. A Redis error (down, slow) decides that one request
 * in this process instead, and is logged once until Redis answers again.
 */
export function redisRateLimiter(redis: Redis, limits: RateLimits, options: { prefix: string; logger: Logger }): RateLimiter {
  if (!('pantheonGcra' in redis)) redis.defineCommand('pantheonGcra', { lua: gcraScript });
  const fallback = memoryRateLimiter(limits);
  let degraded = false;
  const takeAll = async (checks: readonly RateCheck[]): Promise<RateDecision> => {
    const keys: string[] = [];
    const args: number[] = [];
    for (const [name, subject] of checks) {
      const rule = limits[name];
      const intervalUs = Math.max(1, Math.floor((rule.windowMs * 1000) / rule.limit));
      keys.push(`${options.prefix}rate:${name}:${subject}`);
      args.push(intervalUs, rule.windowMs * 1000 - intervalUs);
    }
    try {
      const waitUs = await (redis as GcraRedis).pantheonGcra(keys.length, ...keys, ...args);
      if (degraded) {
        degraded = false;
        options.logger.info({ component: 'rate-limit' }, 'Redis answers again; rate limits are shared again');
      }
      return waitUs === 0 ? { allowed: true } : { allowed: false, retryAfterMs: Math.max(1, Math.ceil(waitUs / 1000)) };
    } catch (error) {
      if (!degraded) {
        degraded = true;
        options.logger.warn({ component: 'rate-limit', err: error }, 'Redis does not answer; rate limits are decided in this process until it does');
      }
      return fallback.takeAll(checks);
    }
  };
  return {
    kind: 'redis',
    limits,
    take: (name, subject) => takeAll([[name, subject]]),
    takeAll,
  };
}

/** Resolves the limits from defaults and overrides. */
export function rateLimits(overrides: Partial<RateLimits> = {}): RateLimits {
  return { ...defaultRateLimits, ...overrides };
}

// Exported for the property test that holds the Lua script and the TypeScript to one behaviour.
export { gcra };
