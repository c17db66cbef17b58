// Cost guardrails shared by every narrator process through Redis (REDIS_URL), or kept in
// this process when there is none:
// - rate limits: narrations asked of the model per minute, globally and per player (a
//   moment counts against every player it is about); a moment over a limit is narrated
//   offline rather than waited for;
// - the daily token budget: tokens spent per UTC day; once the cap is reached the offline
//   narrator speaks until the day turns.
// Time comes in as `now`, so tests move the clock instead of waiting.
import type { Redis } from 'ioredis';

export type RateLimits = {
  /** Model narrations per window, all players together. */
  globalPerWindow: number;
  /** Model narrations per window about any one player. */
  playerPerWindow: number;
  windowMs: number;
};

export const defaultRateLimits: RateLimits = { globalPerWindow: 120, playerPerWindow: 12, windowMs: 60_000 };

export type RateLimiter = {
  /** Takes one narration for the global limit and for each player; false (and nothing taken) if any is at its limit. */
  take(players: readonly string[]): Promise<boolean>;
};

export type TokenBudget = {
  readonly dailyTokens: number;
  spentToday(): Promise<number>;
  /** Adds tokens to today's spend; returns the new total. */
  spend(tokens: number): Promise<number>;
};

const dayOf = (now: number) => new Date(now).toISOString().slice(0, 10);

// All limits are checked first, then all taken, atomically: a refused narration costs nothing.
const takeScript = `
for i, key in ipairs(KEYS) do
  local limit = tonumber(i == 1 and ARGV[2] or ARGV[3])
  if tonumber(redis.call('GET', key) or '0') >= limit then return 0 end
end
for _, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return 1`;

function keysOf(prefix: string, players: readonly string[], window: number): string[] {
  return [`${prefix}:rate:global:${window}`, ...[...new Set(players)].map((player) => `${prefix}:rate:player:${encodeURIComponent(player)}:${window}`)];
}

export function redisRateLimiter(redis: Redis, options: { prefix: string; limits: RateLimits; now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  const { limits } = options;
  return {
    async take(players) {
      const window = Math.floor(now() / limits.windowMs);
      const keys = keysOf(options.prefix, players, window);
      const taken = await redis.eval(takeScript, keys.length, ...keys, String(limits.windowMs * 2), String(limits.globalPerWindow), String(limits.playerPerWindow));
      return taken === 1;
    },
  };
}

export function memoryRateLimiter(options: { limits: RateLimits; now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  const { limits } = options;
  let window = -1;
  let counts = new Map<string, number>();
  return {
    async take(players) {
      const current = Math.floor(now() / limits.windowMs);
      if (current !== window) {
        window = current;
        counts = new Map();
      }
      const keys = keysOf('', players, current);
      const over = keys.some((key, index) => (counts.get(key) ?? 0) >= (index === 0 ? limits.globalPerWindow : limits.playerPerWindow));
      if (over) return false;
      for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
      return true;
    },
  };
}

export function redisTokenBudget(redis: Redis, options: { prefix: string; dailyTokens: number; now?: () => number }): TokenBudget {
  const now = options.now ?? Date.now;
  const keyOf = () => `${options.prefix}:tokens:${dayOf(now())}`;
  return {
    dailyTokens: options.dailyTokens,
    async spentToday() {
      return Number((await redis.get(keyOf())) ?? 0);
    },
    async spend(tokens) {
      const key = keyOf();
      const [[, total]] = (await redis.multi().incrby(key, tokens).expire(key, 2 * 86_400).exec()) as [[Error | null, number]];
      return Number(total);
    },
  };
}

export function memoryTokenBudget(options: { dailyTokens: number; now?: () => number }): TokenBudget {
  const now = options.now ?? Date.now;
  let day = '';
  let spent = 0;
  const roll = () => {
    const today = dayOf(now());
    if (today !== day) {
      day = today;
      spent = 0;
    }
  };
  return {
    dailyTokens: options.dailyTokens,
    async spentToday() {
      roll();
      return spent;
    },
    async spend(tokens) {
      roll();
      spent += tokens;
      return spent;
    },
  };
}
