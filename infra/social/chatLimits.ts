// Chat's ports as the infrastructure fills them: the per-player rate (the `chat.player`
// limit of the shared rate limiter: Redis with REDIS_URL, this process without) and the
// moderation word list (PANTHEON_CHAT_WORDS adds to the default list).
import type { ChatRateLimit } from '../../commands/chat/service.ts';
import { defaultBlockedWords, wordListModeration, type ModerationPort } from '../../commands/chat/moderation.ts';
import type { RateLimiter } from '../auth/rateLimit.ts';

export function chatRateLimit(limiter: Pick<RateLimiter, 'take'>): ChatRateLimit {
  return {
    async take(playerId) {
      const decision = await limiter.take('chat.player', playerId);
      return decision.allowed ? { ok: true } : { ok: false, retryAfterMs: decision.retryAfterMs };
    },
  };
}

export function chatModeration(extraWords: readonly string[] = []): ModerationPort {
  return wordListModeration([...defaultBlockedWords, ...extraWords]);
}
