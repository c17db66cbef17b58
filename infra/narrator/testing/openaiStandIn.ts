// Test support: a local HTTP server speaking the OpenAI REST shape the narrator uses, for the
// real SDK pointed at it by baseURL. POST /v1/chat/completions answers whole or streamed
// (server-sent events: `data: {chunk}` lines, a usage chunk when asked, then `data: [DONE]`);
// POST /v1/moderations flags text holding one of `flagWords`. It records every request and
// can fail the next requests with a status (429 with retry-after-ms), hang (never answer),
// or hold answers until the test releases them.
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ChatRequestBody = {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_completion_tokens?: number;
};

export type RecordedRequest = { path: string; body: unknown };

export type StandInOptions = {
  apiKey?: string;
  /** The assistant's text for a chat request; default a fixed two-sentence line. */
  reply?: (body: ChatRequestBody) => string;
  usage?: { prompt: number; completion: number };
  /** Moderation flags any input containing one of these (case-insensitive). */
  flagWords?: readonly string[];
};

export type OpenAiStandIn = {
  /** The base URL for the SDK, ending in /v1. */
  baseURL: string;
  apiKey: string;
  requests: RecordedRequest[];
  chatRequests(): ChatRequestBody[];
  moderationInputs(): string[];
  /** The next `count` chat requests fail with `status` (and `headers`). */
  failNextChats(count: number, status: number, headers?: Record<string, string>): void;
  /** The next `count` moderation requests fail with `status`. */
  failNextModerations(count: number, status: number): void;
  /** `hang`: chat requests get no answer until the server closes; `hold`: until `release()`; `answer`: normal. */
  setMode(mode: 'answer' | 'hang' | 'hold'): void;
  /** Chat requests waiting in hold or hang. */
  waiting(): ChatRequestBody[];
  /** Answers every held request and returns to `answer`. */
  release(): void;
  /** Resolves when a chat request matching `predicate` has arrived (already or later). */
  chatArrived(predicate: (body: ChatRequestBody) => boolean, ms?: number): Promise<ChatRequestBody>;
  setReply(reply: (body: ChatRequestBody) => string): void;
  close(): Promise<void>;
};

const defaultReply = () => 'The arena holds its breath. The stars have written this moment in fire!';

export async function startOpenAiStandIn(options: StandInOptions = {}): Promise<OpenAiStandIn> {
  const apiKey = options.apiKey ?? 'sk-test-stand-in';
  const usage = options.usage ?? { prompt: 40, completion: 20 };
  const flagWords = (options.flagWords ?? []).map((word) => word.toLowerCase());
  let reply = options.reply ?? defaultReply;
  let mode: 'answer' | 'hang' | 'hold' = 'answer';
  const failures: { status: number; headers: Record<string, string> }[] = [];
  const moderationFailures: number[] = [];
  const waiting: { body: ChatRequestBody; answer: () => void }[] = [];
  const requests: RecordedRequest[] = [];
  const arrivals = new EventEmitter();
  let sequence = 0;

  const server = createServer(async (req, res) => {
    const body = await readJson(req);
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    requests.push({ path, body });
    if (req.headers.authorization !== `Bearer ${apiKey}`) return error(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    if (req.method === 'POST' && path === '/v1/moderations') {
      const status = moderationFailures.shift();
      if (status) return error(res, status, 'The server had an error while processing your request.', 'server_error', 'server_error');
      return moderate(res, body as { input: string | string[]; model?: string });
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') return error(res, 404, `Unknown request URL: ${req.method} ${path}.`, 'invalid_request_error', 'unknown_url');
    const chat = body as ChatRequestBody;
    arrivals.emit('chat', chat);
    const failure = failures.shift();
    if (failure) {
      res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
      res.end(JSON.stringify({ error: { message: failure.status === 429 ? 'Rate limit reached for requests' : 'The server had an error', type: failure.status === 429 ? 'requests' : 'server_error', param: null, code: failure.status === 429 ? 'rate_limit_exceeded' : null } }));
      return;
    }
    const answer = () => (chat.stream ? streamChat(res, chat) : completeChat(res, chat));
    if (mode === 'answer') return answer();
    // A client that gave up (timeout) closes its socket; forget its request then.
    const entry = { body: chat, answer: mode === 'hold' ? answer : () => {} };
    waiting.push(entry);
    res.on('close', () => {
      const index = waiting.indexOf(entry);
      if (index >= 0) waiting.splice(index, 1);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  function completeChat(res: ServerResponse, chat: ChatRequestBody) {
    const text = reply(chat);
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_${++sequence}` });
    res.end(JSON.stringify({
      id: `chatcmpl-${sequence}`,
      object: 'chat.completion',
      created: 1_760_000_000,
      model: chat.model,
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion },
      system_fingerprint: 'fp_stand_in',
    }));
  }

  function streamChat(res: ServerResponse, chat: ChatRequestBody) {
    const text = reply(chat);
    const id = `chatcmpl-${++sequence}`;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': `req_${sequence}` });
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_760_000_000, model: chat.model, system_fingerprint: 'fp_stand_in', choices, ...extra })}\n\n`);
    const includeUsage = chat.stream_options?.include_usage === true;
    const withUsage = includeUsage ? { usage: null } : {};
    chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], withUsage);
    // A few words per chunk, as the API sends them.
    for (const piece of text.match(/\S+\s*/g) ?? []) chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }], withUsage);
    chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], withUsage);
    if (includeUsage) chunk([], { usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion } });
    res.end('data: [DONE]\n\n');
  }

  function moderate(res: ServerResponse, body: { input: string | string[]; model?: string }) {
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const results = inputs.map((input) => {
      const flagged = flagWords.some((word) => input.toLowerCase().includes(word));
      return {
        flagged,
        categories: { harassment: false, 'harassment/threatening': false, hate: false, 'hate/threatening': false, illicit: false, 'illicit/violent': false, 'self-harm': false, 'self-harm/intent': false, 'self-harm/instructions': false, sexual: false, 'sexual/minors': false, violence: flagged, 'violence/graphic': false },
        category_scores: { violence: flagged ? 0.93 : 0.01 },
        category_applied_input_types: { violence: ['text'] },
      };
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: `modr-${++sequence}`, model: body.model ?? 'omni-moderation-latest', results }));
  }

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    chatRequests: () => requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as ChatRequestBody),
    moderationInputs: () => requests.filter((r) => r.path === '/v1/moderations').map((r) => String((r.body as { input: unknown }).input)),
    failNextChats(count, status, headers = {}) {
      for (let i = 0; i < count; i++) failures.push({ status, headers });
    },
    failNextModerations(count, status) {
      for (let i = 0; i < count; i++) moderationFailures.push(status);
    },
    setMode(next) {
      mode = next;
    },
    waiting: () => waiting.map((entry) => entry.body),
    release() {
      mode = 'answer';
      for (const entry of waiting.splice(0)) entry.answer();
    },
    chatArrived(predicate, ms = 30_000) {
      const seen = requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as ChatRequestBody).find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          arrivals.off('chat', listener);
          reject(new Error('no matching chat request arrived'));
        }, ms);
        function listener(body: ChatRequestBody) {
          if (!predicate(body)) return;
          clearTimeout(timer);
          arrivals.off('chat', listener);
          resolve(body);
        }
        arrivals.on('chat', listener);
      });
    },
    setReply(next) {
      reply = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? null : JSON.parse(text);
}

function error(res: ServerResponse, status: number, message: string, type: string, code: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type, param: null, code } }));
}
