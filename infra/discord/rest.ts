// A small client for Discord's REST API that keeps to its rate limits instead of tripping
// them (docs: topics/rate-limits):
//
// - Per-route buckets. A response names its bucket (X-RateLimit-Bucket) and how many
//   requests it has left (X-RateLimit-Remaining) until it resets (X-RateLimit-Reset-After,
//   seconds). Buckets are per top-level resource: the same route on another channel,
//   guild or webhook has its own count. Requests of one route and resource go one at a
//   time, and none is sent while its bucket is empty.
// - A 429 says how long to wait (`retry_after`, seconds); `global: true` (or
//   X-RateLimit-Scope: global) stops every request for that long, else only the bucket's.
//   The request is retried after the wait, up to `maxRetries` times.
// - The global limit (50 requests a second per bot) is kept proactively.
//
// Time comes in as a Clock, so tests run the waits on a virtual clock.
import { pause } from '../../events/backoff.ts';
import { z } from 'zod';
import type { Logger } from '../logger.ts';

export type Clock = { now(): number; sleep(ms: number): Promise<void> };

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => pause(ms),
};

export type DiscordRestOptions = {
  /** e.g. https://discord.com/api/v10 */
  baseUrl: string;
  /** Sent as `Authorization: Bot …` unless a request says `auth: 'none'` (interaction webhooks). */
  botToken?: string | undefined;
  clock?: Clock;
  logger?: Pick<Logger, 'warn' | 'debug'>;
  maxRetries?: number;
  /** Requests per second across every route (Discord's global limit). */
  globalPerSecond?: number;
  timeoutMs?: number;
};

export type RestAnswer = { status: number; body: unknown };

export type RestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class DiscordRestError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'DiscordRestError';
    this.code = code;
  }
}

const RateLimited = z.object({ message: z.string().optional(), retry_after: z.number().min(0), global: z.boolean().optional() });

type Bucket = { remaining: number | null; resetAt: number };

/** The route (major parameter kept apart, other ids blanked) a path's rate limit is counted on. */
export function routeOf(method: string, path: string): { route: string; major: string } {
  const parts = path.split('?')[0]!.split('/').filter(Boolean);
  let major = '';
  const shape = parts.map((part, i) => {
    if (i === 1 && (parts[0] === 'channels' || parts[0] === 'guilds' || parts[0] === 'webhooks')) {
      major = part;
      return ':major';
    }
    // A webhook's token is part of its major parameter.
    if (i === 2 && parts[0] === 'webhooks') {
      major = `${major}/${part}`;
      return ':token';
    }
    return /^\d{15,21}$/.test(part) ? ':id' : part;
  });
  return { route: `${method} /${shape.join('/')}`, major };
}

export class DiscordRest {
  readonly #base: string;
  readonly #token: string | undefined;
  readonly #clock: Clock;
  readonly #logger: DiscordRestOptions['logger'];
  readonly #maxRetries: number;
  readonly #globalPerSecond: number;
  readonly #timeoutMs: number;
  /** Route → the bucket hash Discord said it shares. */
  readonly #bucketOfRoute = new Map<string, string>();
  /** `<bucket hash or route>|<major>` → what is left in it. */
  readonly #buckets = new Map<string, Bucket>();
  /** `<route>|<major>` → the tail of its queue: one request in flight per route and resource. */
  readonly #queues = new Map<string, Promise<unknown>>();
  #globalUntil = 0;
  #window = { start: 0, count: 0 };

  constructor(options: DiscordRestOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.botToken;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger;
    this.#maxRetries = options.maxRetries ?? 5;
    this.#globalPerSecond = options.globalPerSecond ?? 50;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Sends one request, waiting out rate limits; answers the final status and JSON body (null when empty). */
  request(method: RestMethod, path: string, options: { body?: unknown; auth?: 'bot' | 'none' } = {}): Promise<RestAnswer> {
    const { route, major } = routeOf(method, path);
    const key = `${route}|${major}`;
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const run = previous.catch(() => {}).then(() => this.#send(method, path, route, major, options));
    this.#queues.set(key, run);
    void run.finally(() => {
      if (this.#queues.get(key) === run) this.#queues.delete(key);
    }).catch(() => {});
    return run;
  }

  #bucketKey(route: string, major: string): string {
    return `${this.#bucketOfRoute.get(route) ?? route}|${major}`;
  }

  async #send(method: RestMethod, path: string, route: string, major: string, options: { body?: unknown; auth?: 'bot' | 'none' }): Promise<RestAnswer> {
    for (let attempt = 0; ; attempt++) {
      await this.#waitTurn(route, major);
      const headers: Record<string, string> = { 'user-agent': 'DiscordBot (https://github.com/pantheon, 1)' };
      if (options.auth !== 'none') {
        if (!this.#token) throw new DiscordRestError('discord/not_configured', 'DISCORD_BOT_TOKEN is not set');
        headers.authorization = `Bot ${this.#token}`;
      }
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${this.#base}${path}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      const text = await response.text();
      let body: unknown = null;
      try {
        body = text === '' ? null : (JSON.parse(text) as unknown);
      } catch {
        body = text;
      }
      this.#remember(route, major, response.headers);
      if (response.status !== 429) return { status: response.status, body };
      const limited = RateLimited.safeParse(body);
      const retryAfterMs = Math.ceil((limited.success ? limited.data.retry_after : Number(response.headers.get('retry-after') ?? 1)) * 1000);
      const global = (limited.success && limited.data.global === true) || response.headers.get('x-ratelimit-global') === 'true' || response.headers.get('x-ratelimit-scope') === 'global';
      const until = this.#clock.now() + retryAfterMs;
      if (global) this.#globalUntil = Math.max(this.#globalUntil, until);
      else this.#buckets.set(this.#bucketKey(route, major), { remaining: 0, resetAt: until });
      this.#logger?.warn({ component: 'discord', route, retryAfterMs, global, attempt }, 'Discord rate limited a request; waiting before retrying');
      if (attempt >= this.#maxRetries) throw new DiscordRestError('discord/rate_limited', `${route} still rate limited after ${attempt + 1} attempts`);
    }
  }

  /** Waits until the global limit, a global 429 and the route's bucket all allow one more request, and takes it. */
  async #waitTurn(route: string, major: string): Promise<void> {
    for (;;) {
      const now = this.#clock.now();
      const bucket = this.#buckets.get(this.#bucketKey(route, major));
      if (now - this.#window.start >= 1000) this.#window = { start: now, count: 0 };
      const waits = [
        this.#globalUntil - now,
        bucket && bucket.remaining === 0 ? bucket.resetAt - now : 0,
        this.#window.count >= this.#globalPerSecond ? this.#window.start + 1000 - now : 0,
      ];
      const wait = Math.max(...waits);
      if (wait <= 0) {
        this.#window.count += 1;
        if (bucket && bucket.remaining !== null && bucket.resetAt > now) bucket.remaining = Math.max(0, bucket.remaining - 1);
        return;
      }
      await this.#clock.sleep(wait);
    }
  }

  #remember(route: string, major: string, headers: Headers): void {
    const hash = headers.get('x-ratelimit-bucket');
    if (hash) this.#bucketOfRoute.set(route, hash);
    const remaining = headers.get('x-ratelimit-remaining');
    const resetAfter = headers.get('x-ratelimit-reset-after');
    if (remaining === null || resetAfter === null) return;
    const left = Number(remaining);
    const seconds = Number(resetAfter);
    if (!Number.isFinite(left) || !Number.isFinite(seconds)) return;
    this.#buckets.set(this.#bucketKey(route, major), { remaining: left, resetAt: this.#clock.now() + Math.ceil(seconds * 1000) });
  }
}
