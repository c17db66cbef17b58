// Narration as it happens, for spectators: the spectator feed, a Colyseus broadcast or an
// SSE endpoint subscribes here. A live narration streams in moderated pieces (a sentence
// is passed on only after the moderation endpoint cleared the text so far); if a later
// piece is flagged, the pieces already sent are `retracted` and the offline text follows.
// `recorded` is the narration as the log holds it, sent once it is durable: it is the one
// to keep. In-process only: other processes read NarrationGenerated from the log.
import type { NarrationUse } from './events.ts';

type About = {
  /** The NarrationGenerated event id the pieces will end up in. */
  narrationId: string;
  /** The narration stream (`narration-…`). */
  streamId: string;
  roomStreamId: string | null;
  use: NarrationUse;
};

export type FeedMessage =
  | (About & { type: 'delta'; text: string })
  | (About & { type: 'retracted' })
  | (About & { type: 'recorded'; text: string; offline: boolean });

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
