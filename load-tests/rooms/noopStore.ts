// The benchmark's baseline: an EventStore that keeps nothing. Appends answer at once
// with made-up positions, so a room run on it costs everything but durability.
import type { AppendResult, ExpectedVersion, NewEvent } from '../../events/envelope.ts';
import type { EventStore, Subscription } from '../../events/store.ts';

export function noopStore(): EventStore & { appended(): number } {
  let position = 0;
  const versions = new Map<string, number>();
  return {
    appended: () => position,
    async append(streamId: string, _expected: ExpectedVersion, events: readonly NewEvent[]): Promise<AppendResult> {
      const first = (versions.get(streamId) ?? -1) + 1;
      versions.set(streamId, first + events.length - 1);
      const positions = events.map(() => ++position);
      return { streamId, nextExpectedVersion: first + events.length - 1, positions, events: [] };
    },
    readStream: async () => [],
    readAll: async () => [],
    subscribeAll(): Subscription {
      return { position: 0, close() {}, async *pages() {}, async *[Symbol.asyncIterator]() {} };
    },
    streamVersion: async (streamId) => versions.get(streamId) ?? -1,
    headPosition: async () => position,
    close: async () => {},
  };
}
