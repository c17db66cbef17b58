// Remembers each stream's last version and hash after a commit, so a room appending to
// its own stream tick after tick does not re-read its head each time. Only committed
// heads enter it; a stale entry can only make an append fail its unique-index check,
// after which the entry is dropped and the head re-read.
import { LRUCache } from 'lru-cache';
import type { Head } from './sql/queries.ts';

export class HeadCache {
  readonly #entries: LRUCache<string, Head>;

  constructor(capacity = 100_000) {
    this.#entries = new LRUCache({ max: capacity });
  }

  get(streamId: string): Head | undefined {
    return this.#entries.get(streamId);
  }

  set(streamId: string, head: Head): void {
    this.#entries.set(streamId, head);
  }

  delete(streamId: string): void {
    this.#entries.delete(streamId);
  }
}
