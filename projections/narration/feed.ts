// Narration as it happens, for spectators: the spectator feed, a Colyseus broadcast or an
// SSE endpoint subscribes here. A live narration streams in moderated pieces (a sentence
// is passed on only after the moderation endpoint cleared the text so far); if a later
// piece is flagged, the pieces already sent are `retracted` and the offline text follows.
// `recorded` is the narration as the log holds it, sent once it is durable: it is the one
// to keep. In-process only: bus.ts carries it to the spectator rooms of other processes.
import { z } from 'zod';
import { NarrationUse } from './events.ts';

/** Far above any narration (prompts.ts caps them at a few hundred characters): a bound for what crosses processes. */
const MAX_PIECE_CHARS = 8000;

const About = z.object({
  /** The NarrationGenerated event id the pieces will end up in. */
  narrationId: z.string().min(1).max(128),
  /** The narration stream (`narration-…`). */
  streamId: z.string().min(1).max(256),
  roomStreamId: z.string().min(1).max(256).nullable(),
  use: NarrationUse,
});

/** One piece of the feed; also its wire form between processes (infra/narrator/bus.ts). */
export const FeedMessage = z.discriminatedUnion('type', [
  About.extend({ type: z.literal('delta'), text: z.string().max(MAX_PIECE_CHARS) }),
  About.extend({ type: z.literal('retracted') }),
  About.extend({ type: z.literal('recorded'), text: z.string().max(MAX_PIECE_CHARS), offline: z.boolean() }),
]);
export type FeedMessage = z.infer<typeof FeedMessage>;

export type FeedListener = (message: FeedMessage) => void;

/** Messages a slow subscriber may fall behind by before the oldest are dropped. */
const MAX_QUEUED = 1000;

export class NarrationFeed {
  readonly #listeners = new Set<FeedListener>();

  get subscribers(): number {
    return this.#listeners.size;
  }

  publish(message: FeedMessage): void {
    for (const listener of this.#listeners) listener(message);
  }

  /** Calls `listener` for every message from now on; returns the function that stops it. */
  listen(listener: FeedListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The messages from now on (for one room when given), until `signal` aborts or the iterator is returned. */
  subscribe(options: { roomStreamId?: string; signal?: AbortSignal } = {}): AsyncIterableIterator<FeedMessage> {
    const queue: FeedMessage[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const stop = this.listen((message) => {
      if (options.roomStreamId !== undefined && message.roomStreamId !== options.roomStreamId) return;
      queue.push(message);
      if (queue.length > MAX_QUEUED) queue.shift();
      wake?.();
    });
    const finish = () => {
      done = true;
      stop();
      wake?.();
    };
    if (options.signal?.aborted) finish();
    else options.signal?.addEventListener('abort', finish, { once: true });
    async function* messages(): AsyncGenerator<FeedMessage> {
      try {
        for (;;) {
          while (queue.length > 0) yield queue.shift()!;
          if (done) return;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
      } finally {
        finish();
      }
    }
    return messages();
  }
}
