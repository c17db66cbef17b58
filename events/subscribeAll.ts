// Catch-up then live subscription over any store's readAll. The subscriber owns its
// checkpoint: it passes the last position it processed and gets everything after it,
// in global order, exactly once. Correctness rests on readAll never returning position
// p while a position below p can still commit (see the global_position migration).
import type { RecordedEvent } from './envelope.ts';
import type { AppendNotifier } from './notifier.ts';
import type { ReadAllOptions, SubscribeAllOptions, Subscription } from './store.ts';

export type SubscriptionSource = {
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  notifier: AppendNotifier;
  /** How long to wait for a notification before polling anyway. */
  pollIntervalMs: number;
};

export function subscribeAll(source: SubscriptionSource, options: SubscribeAllOptions = {}): Subscription {
  const batchSize = options.batchSize ?? 1000;
  const closed = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, closed.signal]) : closed.signal;
  let position = options.after ?? 0;

  async function* events(): AsyncGenerator<RecordedEvent> {
    while (!signal.aborted) {
      const page = await source.readAll({ fromPosition: position + 1, limit: batchSize, raw: options.raw });
      for (const event of page) {
        if (signal.aborted) return;
        position = event.position;
        yield event;
      }
      if (page.length < batchSize) await source.notifier.wait(position, source.pollIntervalMs, signal);
    }
  }

  async function* pages(): AsyncGenerator<readonly RecordedEvent[]> {
    while (!signal.aborted) {
      const page = await source.readAll({ fromPosition: position + 1, limit: batchSize, raw: options.raw });
      if (signal.aborted) return;
      if (page.length > 0) {
        position = page.at(-1)!.position;
        yield page;
      }
      if (page.length < batchSize) await source.notifier.wait(position, source.pollIntervalMs, signal);
    }
  }

  return {
    get position() {
      return position;
    },
    pages,
    close() {
      closed.abort();
    },
    [Symbol.asyncIterator]: events,
  };
}
