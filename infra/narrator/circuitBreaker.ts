// A circuit breaker in front of the model: after `failureThreshold` failures in a row the
// circuit opens and every narration goes to the offline narrator without a request; after
// `cooldownMs` one trial request is let through (half open): its success closes the
// circuit, its failure opens it for another cooldown. Time comes in as `now`.
//
// Small enough to hold here rather than take a library for (none is installed).
export type CircuitState = 'closed' | 'open' | 'half_open';

export type CircuitBreakerOptions = {
  failureThreshold?: number;
  cooldownMs?: number;
  now?: () => number;
  onChange?: (state: CircuitState) => void;
};

export class CircuitBreaker {
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  readonly #onChange: (state: CircuitState) => void;
  #state: CircuitState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #trialInFlight = false;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? 3;
    this.#cooldownMs = options.cooldownMs ?? 30_000;
    this.#now = options.now ?? Date.now;
    this.#onChange = options.onChange ?? (() => {});
  }

  get state(): CircuitState {
    return this.#state;
  }

  /** May a request go out now? In half open, only one at a time (the trial). */
  allow(): boolean {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#cooldownMs) this.#set('half_open');
    if (this.#state === 'closed') return true;
    if (this.#state === 'half_open' && !this.#trialInFlight) {
      this.#trialInFlight = true;
      return true;
    }
    return false;
  }

  success(): void {
    this.#failures = 0;
    this.#trialInFlight = false;
    if (this.#state !== 'closed') this.#set('closed');
  }

  failure(): void {
    this.#trialInFlight = false;
    this.#failures += 1;
    if (this.#state === 'half_open' || (this.#state === 'closed' && this.#failures >= this.#threshold)) {
      this.#openedAt = this.#now();
      this.#set('open');
    }
  }

  #set(state: CircuitState): void {
    this.#state = state;
    this.#onChange(state);
  }
}
