// Keeps one Discord message per watched match up to date from the spectator feed: posts it
// (POST /channels/{id}/messages) when the watch starts, then edits it (PATCH …/{message})
// whenever the match's summary has a newer revision, until it ends.
//
// - Never blocks rooms, nor the projector: the reactor only notes that something happened
//   and schedules a flush; Discord calls happen in the flush, off the event path.
// - Coalesces: a flush runs at most once per `coalesceMs` and shows each match's latest
//   summary, however many events came in between. A slow or rate-limited channel holds up
//   only its own watches (channels are flushed side by side; the REST client waits out
//   429s and empty buckets).
// - Restart-safe: what was posted and which revision it shows live in the watch table, and
//   a flush publishes whatever is behind, so nothing depends on the reactor's checkpoint.
//   A poll every `pollMs` catches watches added by another process and feed rows the
//   projection wrote after the reactor saw their events.
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import { defineReactor, type Reactor } from '../../events/processor.ts';
import { feedEventTypes, type MatchSummary } from '../../projections/spectator/index.ts';
import { spectatorMessage } from './render.ts';
import type { DiscordRest } from './rest.ts';
import type { Watch, WatchTable } from './watches.ts';

export const PUBLISHER = 'discord_spectator';

export type PublisherOptions = {
  rest: DiscordRest;
  watches: WatchTable;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Shortest time between two flushes (and so between two edits of one message). */
  coalesceMs?: number;
  /** Flush at least this often while started. */
  pollMs?: number;
};

const PostedMessage = z.object({ id: z.string().regex(/^\d{15,21}$/) });

export class SpectatorPublisher {
  readonly #rest: DiscordRest;
  readonly #watches: WatchTable;
  readonly #logger: PublisherOptions['logger'];
  readonly #coalesceMs: number;
  readonly #pollMs: number;
  #timer: NodeJS.Timeout | null = null;
  #poll: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  #again = false;
  #lastFlush = 0;

  constructor(options: PublisherOptions) {
    this.#rest = options.rest;
    this.#watches = options.watches;
    this.#logger = options.logger;
    this.#coalesceMs = options.coalesceMs ?? 1000;
    this.#pollMs = options.pollMs ?? 5000;
  }

  /** The projector's side: wakes the publisher when a feed event is recorded. */
  reactor(): Reactor {
    return defineReactor({
      name: PUBLISHER,
      eventTypes: feedEventTypes,
      react: async () => this.schedule(),
    });
  }

  start(): void {
    this.#poll ??= setInterval(() => this.schedule(), this.#pollMs);
    this.#poll.unref();
    this.schedule();
  }

  async stop(): Promise<void> {
    if (this.#poll) clearInterval(this.#poll);
    if (this.#timer) clearTimeout(this.#timer);
    this.#poll = null;
    this.#timer = null;
    await this.#flushing;
  }

  /** Starts a live message for a match in a channel (once per match and channel). */
  async watch(matchStreamId: string, channelId: string, requestedBy: string): Promise<boolean> {
    const added = await this.#watches.add(matchStreamId, channelId, requestedBy);
    this.schedule();
    return added;
  }

  /** A flush soon, but not sooner than `coalesceMs` after the last one. */
  schedule(): void {
    if (this.#timer) return;
    const wait = Math.max(0, this.#lastFlush + this.#coalesceMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush().catch((error: unknown) => this.#logger.error({ component: 'discord', err: error }, 'spectator flush failed; the next one retries'));
    }, wait);
    this.#timer.unref();
  }

  /** Publishes every watch that is behind its match's summary; resolves when done. One flush at a time. */
  async flush(): Promise<void> {
    if (this.#flushing) {
      this.#again = true;
      return this.#flushing;
    }
    this.#flushing = (async () => {
      try {
        do {
          this.#again = false;
          this.#lastFlush = Date.now();
          const due = await this.#watches.due();
          const byChannel = new Map<string, typeof due>();
          for (const watch of due) byChannel.set(watch.channelId, [...(byChannel.get(watch.channelId) ?? []), watch]);
          await Promise.all([...byChannel.values()].map(async (watches) => {
            for (const watch of watches) await this.#publish(watch, watch.summary);
          }));
        } while (this.#again);
      } finally {
        this.#flushing = null;
      }
    })();
    return this.#flushing;
  }

  async #publish(watch: Watch, summary: MatchSummary): Promise<void> {
    const log = { component: 'discord', stream: watch.matchStreamId, channel: watch.channelId, revision: summary.revision };
    const body = spectatorMessage(summary);
    try {
      const answer = watch.messageId === null
        ? await this.#rest.request('POST', `/channels/${watch.channelId}/messages`, { body })
        : await this.#rest.request('PATCH', `/channels/${watch.channelId}/messages/${watch.messageId}`, { body });
      if (answer.status === 200) {
        const posted = PostedMessage.safeParse(answer.body);
        const messageId = watch.messageId ?? (posted.success ? posted.data.id : null);
        if (messageId === null) {
          this.#logger.warn(log, 'Discord answered a posted message without its id; posting again on the next flush');
          return;
        }
        await this.#watches.published(watch, messageId, summary.revision);
        return;
      }
      // The message was deleted, the channel is gone or the bot may no longer post there.
      if (answer.status === 403 || answer.status === 404) {
        await this.#watches.abandon(watch, `HTTP ${answer.status}`);
        this.#logger.warn({ ...log, status: answer.status }, 'Discord refused the spectator message; no longer updating it');
        return;
      }
      this.#logger.warn({ ...log, status: answer.status }, 'Discord did not take the spectator message; retrying on the next flush');
    } catch (error) {
      this.#logger.warn({ ...log, err: error }, 'spectator message not published; retrying on the next flush');
    }
  }
}
