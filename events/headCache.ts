// Remembers each stream's last version and hash after a commit, so a room appending to
// its own stream tick after tick does not re-read its head each time. Only committed
// heads enter it; a stale entry can only make an append fail its unique-index check,
// after which the entry is dropped and the head re-read.
import type { Head } from './sql/queries.ts';

export class HeadCache {
  readonly #entries = new Map<string, Head>();
  readonly #capacity: number;

  constructor(capacity = 100_000) {
    this.#capacity = capacity;
  }

  get(streamId: string): Head | undefined {
    const head = this.#entries.get(streamId);
    if (head) {
      // Map iteration order is insertion order: re-inserting marks it recently used.
      this.#entries.delete(streamId);
      this.#entries.set(streamId, head);
    }
    return head;
  }

  set(streamId: string, head: Head): void {
    this.#entries.delete(streamId);
    this.#entries.set(streamId, head);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  delete(streamId: string): void {
    this.#entries.delete(streamId);
  }
}
