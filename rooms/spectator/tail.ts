// One reader per watched match per process: the spectator rooms (shards) of a match in this
// process share it, so watchers multiply sockets, not reads of the log. It reads the match's
// stream and its narration stream every `pollMs`, from where it stopped, up to one head
// position, so the two streams interleave in global order as the feed's projection folds
// them; and it keeps what it read, so a shard opened later folds from the start.
import type { RecordedEvent } from '../../events/envelope.ts';
import type { EventStore } from '../../events/store.ts';

export type TailListener = (events: readonly RecordedEvent[]) => void;

type Tail = { events: RecordedEvent[]; next: { room: number; narration: number }; listeners: Set<TailListener>; timer: NodeJS.Timeout; reading: boolean };

export type MatchTails = {
  /** Calls `listener` with everything read so far, then with each new batch; returns the function that stops it. */
  follow(streamId: string, narrationStreamId: string, listener: TailListener): () => void;
};

export function matchTails(store: EventStore, options: { pollMs: number; onError(streamId: string, error: unknown): void }): MatchTails {
  const tails = new Map<string, Tail>();

  async function read(streamId: string, narrationStreamId: string, tail: Tail) {
    if (tail.reading) return;
    tail.reading = true;
    try {
      const head = await store.headPosition();
      const upToHead = (events: RecordedEvent[]) => events.filter((e) => e.position <= head);
      const [room, narration] = await Promise.all([
        store.readStream(streamId, { fromVersion: tail.next.room }).then(upToHead),
        store.readStream(narrationStreamId, { fromVersion: tail.next.narration }).then(upToHead),
      ]);
      if (room.length + narration.length === 0) return;
      tail.next.room += room.length;
      tail.next.narration += narration.length;
      const batch = [...room, ...narration].sort((a, b) => a.position - b.position);
      tail.events.push(...batch);
      for (const listener of tail.listeners) listener(batch);
    } catch (error) {
      options.onError(streamId, error);
    } finally {
      tail.reading = false;
    }
  }

  return {
    follow(streamId, narrationStreamId, listener) {
      let tail = tails.get(streamId);
      if (!tail) {
        const created: Tail = { events: [], next: { room: 0, narration: 0 }, listeners: new Set(), reading: false, timer: setInterval(() => void read(streamId, narrationStreamId, created), options.pollMs) };
        tail = created;
        tails.set(streamId, created);
        void read(streamId, narrationStreamId, created);
      }
      const followed = tail;
      if (followed.events.length > 0) listener(followed.events);
      followed.listeners.add(listener);
      return () => {
        followed.listeners.delete(listener);
        if (followed.listeners.size === 0 && tails.get(streamId) === followed) {
          clearInterval(followed.timer);
          tails.delete(streamId);
        }
      };
    },
  };
}
