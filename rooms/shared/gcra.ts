// The generic cell rate algorithm (GCRA): a token bucket kept as one number per key, the
// "theoretical arrival time" (TAT) of the next request. `limit` requests per `windowMs`,
// all of them at once if they come in a burst. The same arithmetic runs in the rooms'
// per-player command limiter and, as a Lua script, in Redis (infra/auth/rateLimit.ts).

/** `limit` requests per `windowMs`; a burst of up to `limit` is allowed. */
export type RateRule = { readonly limit: number; readonly windowMs: number };

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

/**
 * One step of GCRA. `tat` is the stored TAT (undefined for an unseen key); returns the decision
 * and the TAT to store (unchanged when refused). Times are milliseconds.
 */
export function gcra(rule: RateRule, tat: number | undefined, now: number): { decision: RateDecision; tat: number } {
  const interval = rule.windowMs / rule.limit;
  const tolerance = rule.windowMs - interval;
  const start = tat === undefined || tat < now ? now : tat;
  if (start - now > tolerance) {
    return { decision: { allowed: false, retryAfterMs: Math.max(1, Math.ceil(start - now - tolerance)) }, tat: start };
  }
  return { decision: { allowed: true }, tat: start + interval };
}

/**
 * GCRA over an in-memory map, synchronous: for limits one process can decide alone (a room's
 * commands all arrive at the process hosting it). Keys whose bucket is full again are swept.
 */
export class LocalRateLimiter {
  readonly #tats = new Map<string, number>();
  readonly #now: () => number;
  readonly #maxKeys: number;

  constructor(options: { now?: () => number; maxKeys?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  take(rule: RateRule, key: string): RateDecision {
    const now = this.#now();
    const { decision, tat } = gcra(rule, this.#tats.get(key), now);
    if (decision.allowed) {
      this.#tats.delete(key);
      this.#tats.set(key, tat);
      if (this.#tats.size > this.#maxKeys) this.sweep(now);
    }
    return decision;
  }

  /** One request against several rules, all or none: refused by any, it counts against none. */
  takeAll(checks: ReadonlyArray<readonly [RateRule, string]>): RateDecision {
    const now = this.#now();
    const steps = checks.map(([rule, key]) => ({ key, ...gcra(rule, this.#tats.get(key), now) }));
    const waits = steps.flatMap((step) => (step.decision.allowed ? [] : [step.decision.retryAfterMs]));
    if (waits.length > 0) return { allowed: false, retryAfterMs: Math.max(...waits) };
    for (const step of steps) {
      this.#tats.delete(step.key);
      this.#tats.set(step.key, step.tat);
    }
    if (this.#tats.size > this.#maxKeys) this.sweep(now);
    return { allowed: true };
  }

  /** Forgets keys whose bucket has refilled (their TAT is past), and the oldest beyond the cap. */
  sweep(now: number = this.#now()): void {
    for (const [key, tat] of this.#tats) if (tat <= now) this.#tats.delete(key);
    while (this.#tats.size > this.#maxKeys) this.#tats.delete(this.#tats.keys().next().value!);
  }

  forget(key: string): void {
    this.#tats.delete(key);
  }

  get size(): number {
    return this.#tats.size;
  }
}
