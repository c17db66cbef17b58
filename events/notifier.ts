// Wakes live subscribers when the store's head moves, whether the append happened in
// this process or (via LISTEN/NOTIFY) in another one. A timed poll backs it up.

export class AppendNotifier {
  #head = 0;
  #waiters = new Set<() => void>();

  /** Records that events up to `position` are committed. */
  advance(position: number): void {
    if (position <= this.#head) return;
    this.#head = position;
    const waiters = this.#waiters;
    this.#waiters = new Set();
    for (const wake of waiters) wake();
  }

  /** Resolves once the head passes `after`, after `timeoutMs`, or when `signal` aborts. */
  wait(after: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#head > after || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.#waiters.add(done);
    });
  }
}
