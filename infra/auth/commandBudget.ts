// Commands per player across every room and process: each room counts what its players
// sent in a tick and reports it here, once per tick, off the command path; a player over
// the budget is refused in all their rooms until the window ends. The room's own
// synchronous limit (rooms/shared/gcra.ts, per room) still stops a flood at once; this one
// stops a player spreading it over several rooms or processes. Kept in Redis (a counter per
// player and window, one pipelined round trip per report), or in this process without Redis.
import type { Redis } from 'ioredis';
import type { CommandBudget } from '../../rooms/shared/access.ts';
import type { RateRule } from '../../rooms/shared/gcra.ts';
import type { Logger } from '../logger.ts';

const windowOf = (rule: RateRule, now: number) => Math.floor(now / rule.windowMs);
const retryAfter = (rule: RateRule, now: number) => (windowOf(rule, now) + 1) * rule.windowMs - now;

export function redisCommandBudget(redis: Redis, rule: RateRule, options: { prefix: string; logger: Pick<Logger, 'warn'>; now?: () => number }): CommandBudget {
  const now = options.now ?? Date.now;
  const fallback = memoryCommandBudget(rule, now);
  let warned = false;
  return {
    async spend(counts) {
      if (redis.status !== 'ready') return fallback.spend(counts);
      const at = now();
      const window = windowOf(rule, at);
      const players = [...counts.keys()];
      const pipeline = redis.pipeline();
      for (const player of players) {
        const key = `${options.prefix}commands:${player}:${window}`;
        pipeline.incrby(key, counts.get(player)!);
        pipeline.pexpire(key, rule.windowMs * 2);
      }
      try {
        const results = (await pipeline.exec()) ?? [];
        warned = false;
        const over = new Map<string, number>();
        players.forEach((player, index) => {
          const total = Number(results[index * 2]?.[1] ?? 0);
          if (total > rule.limit) over.set(player, retryAfter(rule, at));
        });
        return over;
      } catch (error) {
        if (!warned) options.logger.warn({ err: error }, 'Redis does not answer: command budgets are kept per process meanwhile');
        warned = true;
        return fallback.spend(counts);
      }
    },
  };
}

export function memoryCommandBudget(rule: RateRule, now: () => number = Date.now): CommandBudget {
  let window = -1;
  let spent = new Map<string, number>();
  return {
    async spend(counts) {
      const at = now();
      if (windowOf(rule, at) !== window) {
        window = windowOf(rule, at);
        spent = new Map();
      }
      const over = new Map<string, number>();
      for (const [player, count] of counts) {
        const total = (spent.get(player) ?? 0) + count;
        spent.set(player, total);
        if (total > rule.limit) over.set(player, retryAfter(rule, at));
      }
      return over;
    },
  };
}
