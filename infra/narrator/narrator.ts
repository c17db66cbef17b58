// The narrator service: turns a moment into text, the model's when every guardrail lets it
// through, the offline narrator's otherwise. It never throws for the model's sake: whatever
// happens to the model, a moment gets a text and the result says who wrote it and why.
//
// In order: no key → offline; a cached text for this exact prompt → reuse it (costs
// nothing); daily budget spent, circuit open, or a rate limit reached → offline; then the
// model (streamed to spectators for live moments), whose text is used only once the
// moderation endpoint cleared it. A timeout or an error after the SDK's retries counts
// against the circuit breaker and falls back offline.
import type { Logger } from 'pino';
import type { FallbackReason } from '../../projections/narration/events.ts';
import type { NarrationFeed } from '../../projections/narration/feed.ts';
import type { RateLimiter, TokenBudget } from './limits.ts';
import type { ResultCache } from './cache.ts';
import type { CircuitBreaker } from './circuitBreaker.ts';
import type { NarratorMetrics } from './metrics.ts';
import { isTimeout, type ModelClient } from './modelClient.ts';
import { NarratorClosed, type NarrationResult, type Narrator as NarratorPort, type Usage } from '../../projections/narration/narrator.ts';
import type { Moment } from '../../projections/narration/moments.ts';
import { offlineText } from './offline.ts';
import { buildPrompt, cleanText, type Prompt } from './prompts.ts';

export type NarratorDeps = {
  /** null: no key configured, the offline narrator speaks. */
  model: ModelClient | null;
  /** The configured model name (prompts are hashed with it even when offline). */
  modelName: string;
  limiter: RateLimiter;
  budget: TokenBudget;
  cache: ResultCache;
  breaker: CircuitBreaker;
  feed: NarrationFeed;
  metrics: NarratorMetrics | null;
  logger: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  /** Bound on one narration's model calls, retries and stream included (default 30 s). */
  deadlineMs?: number;
  /** Closes what the deps opened (Redis). */
  close?: () => Promise<void>;
};

const noTokens: Usage = { prompt: 0, completion: 0, total: 0 };

/** A sentence ends at . ! ? or … (with any closing quotes or brackets), then whitespace. */
const sentenceEnd = /[.!?…]["'”’)\]]*\s+/g;

type ModelOutcome =
  | { ok: true; text: string; usage: Usage }
  | { ok: false; reason: FallbackReason; usage: Usage };

export { NarratorClosed, type NarrationResult };

export class Narrator implements NarratorPort {
  readonly #deps: NarratorDeps;
  readonly #closing = new AbortController();

  constructor(deps: NarratorDeps) {
    this.#deps = deps;
    deps.metrics?.dailyBudget.set(deps.budget.dailyTokens);
  }

  get feed(): NarrationFeed {
    return this.#deps.feed;
  }

  get online(): boolean {
    return this.#deps.model !== null;
  }

  async narrate(moment: Moment): Promise<NarrationResult> {
    if (this.#closing.signal.aborted) throw new NarratorClosed();
    const { model, metrics } = this.#deps;
    const prompt = buildPrompt(moment.use, moment.facts, model?.model ?? this.#deps.modelName);
    const offline = (reason: FallbackReason, tokens: Usage = noTokens, asked: string | null = null): NarrationResult => {
      metrics?.narrations.inc({ use: moment.use, source: 'offline', reason });
      return { text: offlineText(moment.facts, moment.sourceEventId ?? moment.id), model: asked, promptHash: prompt.hash, tokens, offline: true, fallbackReason: reason, cached: false };
    };
    if (!model) return offline('no_key');

    const cached = await this.#deps.cache.get(prompt.hash);
    if (cached) {
      metrics?.narrations.inc({ use: moment.use, source: 'cache', reason: '' });
      return { text: cached.text, model: cached.model, promptHash: prompt.hash, tokens: noTokens, offline: false, fallbackReason: null, cached: true };
    }

    const blocked = await this.#gate(moment);
    if (blocked) return offline(blocked);

    const outcome = await this.#ask(model, prompt, moment);
    if (outcome.usage.total > 0) await this.#charge(outcome.usage);
    if (this.#closing.signal.aborted) throw new NarratorClosed();
    if (!outcome.ok) return offline(outcome.reason, outcome.usage, model.model);
    await this.#deps.cache.set(prompt.hash, { text: outcome.text, model: model.model });
    metrics?.narrations.inc({ use: moment.use, source: 'model', reason: '' });
    return { text: outcome.text, model: model.model, promptHash: prompt.hash, tokens: outcome.usage, offline: false, fallbackReason: null, cached: false };
  }

  /** Aborts calls in flight (their moments throw NarratorClosed and are narrated on the next run) and closes Redis. */
  async close(): Promise<void> {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort(new NarratorClosed());
    await this.#deps.close?.();
  }

  /** The guardrails before a request: budget, circuit, rate limits. Null lets the request out. */
  async #gate(moment: Moment): Promise<FallbackReason | null> {
    const { budget, breaker, limiter, metrics, logger } = this.#deps;
    try {
      const spent = await budget.spentToday();
      metrics?.tokensToday.set(spent);
      metrics?.budgetExhausted.set(spent >= budget.dailyTokens ? 1 : 0);
      if (spent >= budget.dailyTokens) return 'budget_exhausted';
    } catch (error) {
      logger.warn({ err: error }, 'narrator budget unavailable: narrating offline');
      return 'guard_unavailable';
    }
    // The circuit is asked last: a half-open trial must not be spent on a moment the rate limit refuses.
    let allowed: boolean;
    try {
      allowed = await limiter.take(moment.players);
    } catch (error) {
      logger.warn({ err: error }, 'narrator rate limiter unavailable: narrating offline');
      return 'guard_unavailable';
    }
    if (!allowed) return 'rate_limited';
    return breaker.allow() ? null : 'circuit_open';
  }

  async #charge(usage: Usage): Promise<void> {
    const { budget, metrics, logger } = this.#deps;
    metrics?.tokens.inc({ kind: 'prompt' }, usage.prompt);
    metrics?.tokens.inc({ kind: 'completion' }, usage.completion);
    try {
      const spent = await budget.spend(usage.total);
      metrics?.tokensToday.set(spent);
      metrics?.budgetExhausted.set(spent >= budget.dailyTokens ? 1 : 0);
    } catch (error) {
      logger.warn({ err: error, tokens: usage.total }, 'narrator budget unavailable: spend not recorded');
    }
  }

  /** One model narration: the completion (streamed or whole), then moderation. Never throws. */
  async #ask(model: ModelClient, prompt: Prompt, moment: Moment): Promise<ModelOutcome> {
    const { breaker, metrics, logger } = this.#deps;
    const signal = AbortSignal.any([this.#closing.signal, AbortSignal.timeout(this.#deps.deadlineMs ?? 30_000)]);
    const about = { narrationId: moment.id, streamId: moment.streamId, roomStreamId: moment.roomStreamId, use: moment.use };
    let usage: Usage | null = null;
    let raw = '';
    let stage: 'completion' | 'moderation' = 'completion';
    let streamed = false;
    try {
      if (prompt.stream) {
        // Pieces go to spectators a sentence at a time, each after moderation cleared the text so far.
        let released = 0;
        const release = async (upTo: number): Promise<boolean> => {
          stage = 'moderation';
          const verdict = await model.moderate(raw.slice(0, upTo), signal);
          metrics?.requests.inc({ endpoint: 'moderation', outcome: 'ok' });
          stage = 'completion';
          if (verdict.flagged) return false;
          this.#deps.feed.publish({ ...about, type: 'delta', text: raw.slice(released, upTo) });
          released = upTo;
          streamed = true;
          return true;
        };
        let flagged = false;
        const stream = model.stream(prompt, signal);
        for await (const part of stream) {
          if ('usage' in part) {
            usage = part.usage;
            continue;
          }
          raw += part.delta;
          let end = released;
          for (const match of raw.slice(released).matchAll(sentenceEnd)) end = released + match.index + match[0].length;
          if (end > released && !(await release(end))) {
            flagged = true;
            break;
          }
        }
        metrics?.requests.inc({ endpoint: 'chat', outcome: 'ok' });
        usage ??= estimate(prompt, raw);
        if (!flagged && raw.length > released) flagged = !(await release(raw.length));
        breaker.success();
        if (flagged) {
          if (streamed) this.#deps.feed.publish({ ...about, type: 'retracted' });
          return this.#flagged(moment, usage);
        }
      } else {
        const completion = await model.complete(prompt, signal);
        metrics?.requests.inc({ endpoint: 'chat', outcome: 'ok' });
        raw = completion.text;
        usage = completion.usage ?? estimate(prompt, raw);
        if (cleanText(raw, prompt.maxChars) !== '') {
          stage = 'moderation';
          const verdict = await model.moderate(raw, signal);
          metrics?.requests.inc({ endpoint: 'moderation', outcome: 'ok' });
          breaker.success();
          if (verdict.flagged) return this.#flagged(moment, usage);
        } else {
          breaker.success();
        }
      }
    } catch (error) {
      metrics?.requests.inc({ endpoint: stage === 'moderation' ? 'moderation' : 'chat', outcome: isTimeout(error) ? 'timeout' : 'error' });
      breaker.failure();
      if (streamed) this.#deps.feed.publish({ ...about, type: 'retracted' });
      const reason: FallbackReason = stage === 'moderation' ? 'moderation_failed' : isTimeout(error) ? 'timeout' : 'model_error';
      if (!this.#closing.signal.aborted) logger.warn({ err: error, narration: moment.id, use: moment.use, reason, circuit: breaker.state }, 'model narration failed: narrating offline');
      // A stream cut short never reports usage; what it already produced was still paid for.
      return { ok: false, reason, usage: usage ?? (raw === '' ? noTokens : estimate(prompt, raw)) };
    }
    const text = cleanText(raw, prompt.maxChars);
    if (text === '') return { ok: false, reason: 'empty', usage };
    return { ok: true, text, usage };
  }

  #flagged(moment: Moment, usage: Usage): ModelOutcome {
    this.#deps.metrics?.flagged.inc({ use: moment.use });
    this.#deps.logger.warn({ narration: moment.id, use: moment.use }, 'moderation flagged the model text: narrating offline');
    return { ok: false, reason: 'flagged', usage };
  }
}

/** When the API reports no usage (a stream cut short), about four characters a token. */
function estimate(prompt: Prompt, completion: string): Usage {
  const promptTokens = Math.ceil(prompt.messages.reduce((n, m) => n + m.content.length, 0) / 4);
  const completionTokens = Math.ceil(completion.length / 4);
  return { prompt: promptTokens, completion: completionTokens, total: promptTokens + completionTokens };
}
