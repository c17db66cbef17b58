// The tail of the log, decoded, shared by every reader in the process. Live subscribers
// (read models, process managers, the relay, the narrator) all read the same few events
// near the head; with this, the first to ask reads and decodes them once and the rest get
// them from memory. Concurrent reads of the same range share one query. Readers share the
// event objects too: treat them as immutable.
import type { RecordedEvent } from '../envelope.ts';

export class RecentEvents {
  readonly #capacity: number;
  /** Events by global position; kept to positions no older than the newest minus capacity. */
  readonly #byPosition = new Map<number, RecordedEvent>();
  readonly #inFlight = new Map<string, Promise<RecordedEvent[]>>();
  #newest = 0;

  constructor(capacity = 50_000) {
    this.#capacity = capacity;
  }

  /**
   * Events from `from` on, at most `limit`: as many as are cached contiguously, then the
   * rest from `load(from', limit')` (shared with any identical read in flight).
   */
  async read(from: number, limit: number, load: (from: number, limit: number) => Promise<RecordedEvent[]>): Promise<RecordedEvent[]> {
    const hit: RecordedEvent[] = [];
    for (let position = from; hit.length < limit; position++) {
      const event = this.#byPosition.get(position);
      if (!event) break;
      hit.push(event);
    }
    if (hit.length === limit) return hit;
    const rest = await this.#load(from + hit.length, limit - hit.length, load);
    return hit.length === 0 ? rest : hit.concat(rest);
  }

  #load(from: number, limit: number, load: (from: number, limit: number) => Promise<RecordedEvent[]>): Promise<RecordedEvent[]> {
    const key = `${from}:${limit}`;
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const loading = load(from, limit)
      .then((events) => {
        // A short page reached the head, where live readers gather. A full one is a reader
        // catching up: a live one that fell behind (remembered, so the others behind it read
        // it from here rather than each from the database, which would only put them further
        // behind), or a rebuild far from the head, whose pages nobody else will ask for.
        const last = events.at(-1)?.position ?? 0;
        if (events.length < limit || (this.#newest > 0 && last > this.#newest - this.#capacity)) this.#remember(events);
        return events;
      })
      .finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, loading);
    return loading;
  }

  #remember(events: readonly RecordedEvent[]): void {
    for (const event of events) {
      if (event.position <= this.#newest - this.#capacity) continue;
      this.#byPosition.set(event.position, event);
      if (event.position > this.#newest) this.#newest = event.position;
    }
    if (this.#byPosition.size > this.#capacity * 1.25) {
      const oldest = this.#newest - this.#capacity;
      for (const position of this.#byPosition.keys()) if (position <= oldest) this.#byPosition.delete(position);
    }
  }
}
