// The model, through the official `openai` SDK: chat completions (whole, or streamed as
// server-sent events) and the moderation endpoint. Timeouts and retries are the SDK's own:
// `timeoutMs` per attempt, `maxRetries` with exponential backoff on connection errors,
// 408, 409, 429 (honouring retry-after) and 5xx. The caller's signal bounds the whole call,
// retries and stream included.
import OpenAI, { APIConnectionTimeoutError, APIUserAbortError } from 'openai';
import type { Prompt } from './prompts.ts';

import type { Usage } from '../../projections/narration/narrator.ts';

export type { Usage };

export type StreamPart = { delta: string } | { usage: Usage };

export type Moderation = { flagged: boolean; categories: string[] };

export type ModelClient = {
  readonly model: string;
  complete(prompt: Prompt, signal: AbortSignal): Promise<{ text: string; usage: Usage | null }>;
  stream(prompt: Prompt, signal: AbortSignal): AsyncIterable<StreamPart>;
  moderate(text: string, signal: AbortSignal): Promise<Moderation>;
};

export type OpenAiClientOptions = {
  apiKey: string;
  /** Default: the SDK's (https://api.openai.com/v1). */
  baseURL?: string;
  model: string;
  moderationModel?: string;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  /** Default 2. */
  maxRetries?: number;
};

type ApiUsage = { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null | undefined;

const usageOf = (usage: ApiUsage): Usage | null =>
  usage ? { prompt: usage.prompt_tokens, completion: usage.completion_tokens, total: usage.total_tokens } : null;

export function openAiModelClient(options: OpenAiClientOptions): ModelClient {
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    timeout: options.timeoutMs ?? 10_000,
    maxRetries: options.maxRetries ?? 2,
  });
  const moderationModel = options.moderationModel ?? 'omni-moderation-latest';
  const request = (prompt: Prompt) => ({ model: prompt.model, messages: prompt.messages, max_completion_tokens: prompt.maxTokens, n: 1 });
  return {
    model: options.model,
    async complete(prompt, signal) {
      const completion = await client.chat.completions.create({ ...request(prompt), stream: false }, { signal });
      return { text: completion.choices[0]?.message.content ?? '', usage: usageOf(completion.usage) };
    },
    async *stream(prompt, signal) {
      const stream = await client.chat.completions.create({ ...request(prompt), stream: true, stream_options: { include_usage: true } }, { signal });
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta.content;
        if (delta) yield { delta };
        const usage = usageOf(chunk.usage);
        if (usage) yield { usage };
      }
    },
    async moderate(text, signal) {
      const moderation = await client.moderations.create({ model: moderationModel, input: text }, { signal });
      const flaggedIn = moderation.results.filter((result) => result.flagged);
      const categories = flaggedIn.flatMap((result) => Object.entries(result.categories).filter(([, on]) => on === true).map(([name]) => name));
      return { flagged: flaggedIn.length > 0, categories: [...new Set(categories)] };
    },
  };
}

/** Did the call run out of time (the SDK's per-attempt timeout, or the caller's deadline)? */
export function isTimeout(error: unknown): boolean {
  return error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError || (error instanceof Error && error.name === 'TimeoutError');
}
