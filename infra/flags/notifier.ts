// How a live-ops change made in one process reaches the others: the revision is published
// on the Redis channel `<prefix>liveops` (REDIS_URL), and every game server, hearing a
// revision newer than its own, reads `liveops-flags` from where it is (commands/flags/
// follower.ts). The message only says "look"; the log says what changed, so a malformed,
// lost or duplicated message costs at most a read (and the follower's poll backs it up).
// Without REDIS_URL there is one process and the notifier is a no-op.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ChangeNotifier } from '../../commands/flags/follower.ts';

const Message = z.strictObject({ revision: z.int().min(0) });

export function localNotifier(): ChangeNotifier {
  const listeners = new Set<(revision: number) => void>();
  return {
    async publish(revision) {
      for (const listener of listeners) listener(revision);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}

export async function redisNotifier(options: { url: string; prefix: string; logger: Logger }): Promise<ChangeNotifier> {
  const channel = `${options.prefix}liveops`;
  const log = options.logger.child({ component: 'flags-notifier', channel });
  const publisher = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const subscriber = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  for (const connection of [publisher, subscriber]) connection.on('error', (error: unknown) => log.warn({ err: error }, 'redis unavailable; flags follow the log by polling meanwhile'));
  await Promise.all([publisher.connect(), subscriber.connect()]);
  const listeners = new Set<(revision: number) => void>();
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    let parsed: z.ZodSafeParseResult<z.output<typeof Message>>;
    try {
      parsed = Message.safeParse(JSON.parse(text));
    } catch {
      parsed = Message.safeParse(undefined);
    }
    if (!parsed.success) {
      log.warn({ message: text.slice(0, 200) }, 'malformed live-ops notification dropped');
      return;
    }
    for (const listener of listeners) listener(parsed.data.revision);
  });
  await subscriber.subscribe(channel);
  return {
    async publish(revision) {
      await publisher.publish(channel, JSON.stringify({ revision }));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
