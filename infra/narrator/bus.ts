// Live narration from the narrator to the spectator rooms watching its match, wherever each
// runs. The narrator publishes every feed piece (feed.ts) about a room; a spectator room
// subscribes to the pieces of its match. Pieces about no room (codex lore) go nowhere.
//
// With REDIS_URL the narrator and the game servers may be separate processes: a piece is
// published as JSON on the Redis channel `<prefix>narration:<room stream id>`, and each
// process holds one subscriber connection, subscribed to the channels of the matches its
// spectator rooms watch, fanning each message out to them. What arrives is checked with the
// feed's zod schema; a malformed message is dropped with a warning. Without REDIS_URL (one
// process) pieces are handed over in process.
//
// Pub/sub is fire and forget: a piece published while no room listens, or while Redis is
// away, is lost. That is fine: pieces are the preview, and the durable narration reaches
// every spectator in the room's `summary` once the log holds it.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { FeedMessage, type FeedListener } from '../../projections/narration/feed.ts';

export type NarrationBus = {
  /** Hands `message` to the subscribers of its room, in any process. Never throws, never waits. */
  publish(message: FeedMessage): void;
  /** Calls `listener` with every piece about `roomStreamId` from now on; returns the function that stops it. */
  subscribe(roomStreamId: string, listener: FeedListener): () => void;
  /** Closes the connections the bus opened. */
  close(): Promise<void>;
};

type BusLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/** The bus the configuration asks for: Redis pub/sub with REDIS_URL, in process without. */
export function createNarrationBus(config: Pick<Config, 'REDIS_URL' | 'PANTHEON_REDIS_PREFIX'>, logger: Logger, options: { prefix?: string } = {}): NarrationBus {
  const log = logger.child({ component: 'narration-bus' });
  if (!config.REDIS_URL) {
    log.info('REDIS_URL unset: live narration reaches the spectator rooms of this process only');
    return localNarrationBus(log);
  }
  return redisNarrationBus({ url: config.REDIS_URL, prefix: options.prefix ?? config.PANTHEON_REDIS_PREFIX, logger: log });
}

/** One process: pieces go straight from the narrator's feed to this process's rooms. */
export function localNarrationBus(logger: BusLogger): NarrationBus {
  const rooms = new Listeners(logger);
  return {
    publish(message) {
      if (message.roomStreamId !== null) rooms.deliver(message.roomStreamId, message);
    },
    subscribe: (roomStreamId, listener) => rooms.add(roomStreamId, listener).stop,
    async close() {
      rooms.clear();
    },
  };
}

export type RedisNarrationBusOptions = {
  url: string;
  /** Prefix of the channel names (PANTHEON_REDIS_PREFIX, `pantheon:` by default). */
  prefix: string;
  logger: BusLogger;
};

/** The Redis channel a room's pieces travel on. */
export function narrationChannelOf(prefix: string, roomStreamId: string): string {
  return `${prefix}narration:${roomStreamId}`;
}

export function redisNarrationBus(options: RedisNarrationBusOptions): NarrationBus {
  const { logger } = options;
  const channelPrefix = narrationChannelOf(options.prefix, '');
  // Each opens on first use: a narrator-only process never subscribes, a game server that
  // runs no narrator never publishes.
  const publisher = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const subscriber = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  publisher.on('error', (error: unknown) => logger.warn({ err: error }, 'narration bus: Redis publisher connection error'));
  subscriber.on('error', (error: unknown) => logger.warn({ err: error }, 'narration bus: Redis subscriber connection error'));
  const rooms = new Listeners(logger);
  /** The last publish in flight per room: the next waits for it (see publish). */
  const inFlight = new Map<string, Promise<void>>();
  /** Subscription changes, one at a time, for the same reason as publishes (an unsubscribe must not overtake its subscribe). */
  let subscriptions: Promise<void> = Promise.resolve();
  const changeSubscription = (change: 'subscribe' | 'unsubscribe', channel: string) => {
    subscriptions = subscriptions
      .then(() => subscriber[change](channel))
      .then(
        () => {},
        (error: unknown) => logger.warn({ err: error, channel }, `narration bus: could not ${change}`),
      );
  };

  subscriber.on('message', (channel: string, raw: string) => {
    if (!channel.startsWith(channelPrefix)) return;
    const roomStreamId = channel.slice(channelPrefix.length);
    const message = decode(raw);
    if (!message.ok) {
      logger.warn({ channel, problem: message.problem, bytes: raw.length }, 'narration bus: malformed message dropped');
      return;
    }
    if (message.value.roomStreamId !== roomStreamId) {
      logger.warn({ channel, roomStreamId: message.value.roomStreamId }, 'narration bus: message about another room dropped');
      return;
    }
    rooms.deliver(roomStreamId, message.value);
  });

  return {
    publish(message) {
      const roomStreamId = message.roomStreamId;
      if (roomStreamId === null) return;
      const channel = narrationChannelOf(options.prefix, roomStreamId);
      const payload = JSON.stringify(message);
      // One piece of a room at a time: while its connection is being (re)established, ioredis
      // writes a PUBLISH straight to the socket ahead of the commands it queued offline, so
      // two pieces in flight together may arrive swapped (a sentence before the one it follows).
      const previous = inFlight.get(roomStreamId) ?? Promise.resolve();
      const sent = previous
        .then(() => publisher.publish(channel, payload))
        .then(
          () => {},
          (error: unknown) => logger.warn({ err: error, narration: message.narrationId, stream: roomStreamId, type: message.type }, 'narration bus: piece not published'),
        );
      inFlight.set(roomStreamId, sent);
      void sent.then(() => {
        if (inFlight.get(roomStreamId) === sent) inFlight.delete(roomStreamId);
      });
    },
    subscribe(roomStreamId, listener) {
      const channel = narrationChannelOf(options.prefix, roomStreamId);
      const { first, stop } = rooms.add(roomStreamId, listener);
      if (first) changeSubscription('subscribe', channel);
      return () => {
        if (stop()) changeSubscription('unsubscribe', channel);
      };
    },
    async close() {
      rooms.clear();
      // Pieces already handed over still go out (each settles, sent or logged, within the retry bound).
      await Promise.all([...inFlight.values(), subscriptions]);
      await Promise.all([publisher, subscriber].map(async (redis) => {
        // A lazy connection never used has nothing to say goodbye to.
        if (redis.status === 'wait') redis.disconnect();
        else await redis.quit().catch(() => redis.disconnect());
      }));
    },
  };
}

function decode(raw: string): { ok: true; value: FeedMessage } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const parsed = FeedMessage.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: z.prettifyError(parsed.error) };
}

/** The listeners of each room; one failing listener (a bug) is logged and keeps the others served. */
class Listeners {
  readonly #byRoom = new Map<string, Set<FeedListener>>();
  readonly #logger: BusLogger;

  constructor(logger: BusLogger) {
    this.#logger = logger;
  }

  /** `first`: the room had no listener before; `stop()` answers whether it has none left. */
  add(roomStreamId: string, listener: FeedListener): { first: boolean; stop: () => boolean } {
    // Wrapped, so the same function subscribed twice is two subscriptions.
    const entry: FeedListener = (message) => listener(message);
    let listeners = this.#byRoom.get(roomStreamId);
    const first = listeners === undefined;
    if (!listeners) this.#byRoom.set(roomStreamId, (listeners = new Set()));
    listeners.add(entry);
    let stopped = false;
    return {
      first,
      stop: () => {
        if (stopped) return false;
        stopped = true;
        const current = this.#byRoom.get(roomStreamId);
        if (!current?.delete(entry) || current.size > 0) return false;
        this.#byRoom.delete(roomStreamId);
        return true;
      },
    };
  }

  deliver(roomStreamId: string, message: FeedMessage): void {
    for (const listener of this.#byRoom.get(roomStreamId) ?? []) {
      try {
        listener(message);
      } catch (error) {
        this.#logger.error({ err: error, stream: roomStreamId, narration: message.narrationId }, 'narration listener failed');
      }
    }
  }

  clear(): void {
    this.#byRoom.clear();
  }
}
