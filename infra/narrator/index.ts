// The oracle narrator: GPT narration of battle highlights, raid calls, ritual omens and codex
// lore, recorded in the log as NarrationGenerated. Composition from the config:
//
//   const narration = createNarrationBus(config, logger);   // shared with the game server's spectator rooms
//   const narrator = createNarrator(config, { logger, metrics, bus: narration });
//   const reactors = [narratorReactor({ narrator, store: opened.store, logger })];
//   … on shutdown: await narrator.close() before stopping the projector, then narration.close().
//
// With no OPENAI_API_KEY every narration comes from the offline templates; with REDIS_URL
// the rate limits, the daily budget and the prompt cache are shared by every process.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config.ts';
import type { NarrationBus } from './bus.ts';
import { memoryCache, redisCache } from './cache.ts';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuitBreaker.ts';
import { NarrationFeed } from '../../projections/narration/feed.ts';
import { defaultRateLimits, memoryRateLimiter, memoryTokenBudget, redisRateLimiter, redisTokenBudget, type RateLimits } from './limits.ts';
import { createNarratorMetrics } from './metrics.ts';
import { openAiModelClient } from './modelClient.ts';
import { Narrator } from './narrator.ts';

export type NarratorConfig = Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL' | 'NARRATOR_DAILY_TOKENS' | 'REDIS_URL'>;

export type CreateNarratorOptions = {
  logger: Logger;
  /** Where the narrator's metrics are registered (the lead serves it at /metrics). */
  metrics?: Registry;
  /** A Redis client to use (left open on close); default: one opened from REDIS_URL, if set. */
  redis?: Redis;
  /** Prefix of the narrator's Redis keys (default `pantheon:narrator`). */
  redisPrefix?: string;
  rateLimits?: Partial<RateLimits>;
  /** Per model request attempt (default 10 s). */
  timeoutMs?: number;
  /** SDK retries with backoff (default 2). */
  maxRetries?: number;
  /** Bound on one narration's model calls, retries and stream included (default 30 s). */
  deadlineMs?: number;
  circuit?: Pick<CircuitBreakerOptions, 'failureThreshold' | 'cooldownMs'>;
  feed?: NarrationFeed;
  /** Where every piece of the feed is also published, for spectator rooms in any process (bus.ts); left open on close. */
  bus?: Pick<NarrationBus, 'publish'>;
  now?: () => number;
};

export function createNarrator(config: NarratorConfig, options: CreateNarratorOptions): Narrator {
  const logger = options.logger.child({ component: 'narrator' });
  const now = options.now ?? Date.now;
  const metrics = options.metrics ? createNarratorMetrics(options.metrics) : null;
  const ownRedis = !options.redis && config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 }) : null;
  ownRedis?.on('error', (error) => logger.warn({ err: error }, 'narrator redis error'));
  const redis = options.redis ?? ownRedis;
  const prefix = options.redisPrefix ?? 'pantheon:narrator';
  const limits = { ...defaultRateLimits, ...options.rateLimits };
  const dailyTokens = config.NARRATOR_DAILY_TOKENS;
  const breaker = new CircuitBreaker({
    ...options.circuit,
    now,
    onChange: (state) => {
      metrics?.circuitOpen.set(state === 'closed' ? 0 : 1);
      logger.warn({ circuit: state }, `narrator circuit ${state.replace('_', ' ')}`);
    },
  });
  metrics?.circuitOpen.set(0);
  const feed = options.feed ?? new NarrationFeed();
  const bus = options.bus;
  const stopForwarding = bus ? feed.listen((message) => bus.publish(message)) : null;
  const model = config.OPENAI_API_KEY
    ? openAiModelClient({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL, model: config.OPENAI_MODEL, timeoutMs: options.timeoutMs, maxRetries: options.maxRetries })
    : null;
  logger.info({ online: model !== null, model: model?.model ?? null, dailyTokens, sharedLimits: redis !== null }, model ? 'narrator speaks through the model' : 'no OPENAI_API_KEY: the offline narrator speaks');
  return new Narrator({
    model,
    modelName: config.OPENAI_MODEL,
    limiter: redis ? redisRateLimiter(redis, { prefix, limits, now }) : memoryRateLimiter({ limits, now }),
    budget: redis ? redisTokenBudget(redis, { prefix, dailyTokens, now }) : memoryTokenBudget({ dailyTokens, now }),
    cache: redis ? redisCache(redis, { prefix, onError: (error) => logger.warn({ err: error }, 'narrator cache unavailable') }) : memoryCache(),
    breaker,
    feed,
    metrics,
    logger,
    deadlineMs: options.deadlineMs,
    close: async () => {
      stopForwarding?.();
      if (ownRedis) await ownRedis.quit().catch(() => ownRedis.disconnect());
    },
  });
}

export { NarrationGenerated, narrationStreamOf, loreStreamOf, narratorEventDefinitions, type NarrationData } from '../../projections/narration/events.ts';
export { createNarrationBus, localNarrationBus, redisNarrationBus, type NarrationBus } from './bus.ts';
export { NarrationFeed, type FeedMessage } from '../../projections/narration/feed.ts';
export { Narrator, NarratorClosed, type NarrationResult } from './narrator.ts';
export { codexLore, narratorReactor, NARRATOR, type CodexLore } from '../../projections/narration/reactor.ts';
export { readLore, readNarrations, type RecordedNarration } from '../../projections/narration/read.ts';
