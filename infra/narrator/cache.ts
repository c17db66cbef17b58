// The prompt/result cache: a moderated model text by prompt hash, so an identical prompt
// (the same lore, the same moment told the same way) is not paid for twice. In Redis when
// configured (shared by every narrator process, with a TTL), else a small in-process LRU.
// A cache that fails is a miss, never an error.
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';

export const CachedText = z.strictObject({ text: z.string().min(1), model: z.string().min(1) });
export type CachedText = z.infer<typeof CachedText>;

export type ResultCache = {
  get(promptHash: string): Promise<CachedText | null>;
  set(promptHash: string, value: CachedText): Promise<void>;
};

export function memoryCache(maxEntries = 1000): ResultCache {
  const entries = new LRUCache<string, CachedText>({ max: maxEntries });
  return {
    get: async (hash) => entries.get(hash) ?? null,
    set: async (hash, value) => void entries.set(hash, value),
  };
}

export function redisCache(redis: Redis, options: { prefix: string; ttlSeconds?: number; onError?: (error: unknown) => void }): ResultCache {
  const ttl = options.ttlSeconds ?? 7 * 86_400;
  const onError = options.onError ?? (() => {});
  const keyOf = (hash: string) => `${options.prefix}:cache:${hash}`;
  return {
    async get(hash) {
      try {
        const raw = await redis.get(keyOf(hash));
        if (raw === null) return null;
        const parsed = CachedText.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : null;
      } catch (error) {
        onError(error);
        return null;
      }
    },
    async set(hash, value) {
      try {
        await redis.set(keyOf(hash), JSON.stringify(value), 'EX', ttl);
      } catch (error) {
        onError(error);
      }
    },
  };
}
