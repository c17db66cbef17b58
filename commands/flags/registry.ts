// This process's copy of the live-ops configuration: the fold of `liveops-flags` up to the
// version it has read. Evaluations read it in memory (no store or network per evaluation);
// the service (after its own changes) and the follower (after anyone's) move it forward.
import { fold } from '../../events/decider.ts';
import type { LiveOpsEvent } from './events.ts';
import { liveOpsDecider, type LiveOpsState } from './rules.ts';

export type RecordedLiveOpsEvent = LiveOpsEvent & { readonly version: number };

export class LiveOpsRegistry {
  #state: LiveOpsState = liveOpsDecider.initialState();
  #version = -1;
  readonly #listeners = new Set<(state: LiveOpsState) => void>();

  get state(): LiveOpsState {
    return this.#state;
  }

  /** Version of the last event of `liveops-flags` folded in (-1: none). */
  get version(): number {
    return this.#version;
  }

  /** Folds events of the stream that come after what is here; answers whether anything changed. */
  apply(events: readonly RecordedLiveOpsEvent[]): boolean {
    const fresh = events.filter((event) => event.version > this.#version);
    if (fresh.length === 0) return false;
    for (let i = 0; i < fresh.length; i++) {
      const expected = this.#version + 1 + i;
      if (fresh[i]!.version !== expected) throw new Error(`liveops-flags: expected version ${expected}, got ${fresh[i]!.version}`);
    }
    this.#state = fold(liveOpsDecider, this.#state, fresh);
    this.#version = fresh.at(-1)!.version;
    for (const listener of this.#listeners) listener(this.#state);
    return true;
  }

  /** Adopts a fold the service made while handling a command, when it is newer than this one. */
  adopt(state: LiveOpsState, version: number): boolean {
    if (version <= this.#version) return false;
    this.#state = state;
    this.#version = version;
    for (const listener of this.#listeners) listener(this.#state);
    return true;
  }

  /** Called after every change; returns the function that stops it. */
  onChange(listener: (state: LiveOpsState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
