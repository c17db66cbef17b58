// Test support: a local stand-in for Discord's REST API (v10 shapes) over node:http. It
// keeps application commands, channel messages and interaction responses, records every
// call (with the time on the test's clock), answers every route with rate-limit headers
// (X-RateLimit-Bucket / Remaining / Reset-After), and can be told to refuse the next
// matching requests with a 429 or to report an exhausted bucket.
//
//   GET|PUT   /applications/{app}/commands            (and /guilds/{guild}/commands)
//   POST      /channels/{channel}/messages             PATCH /channels/{channel}/messages/{message}
//   PATCH     /webhooks/{app}/{token}/messages/@original   POST /webhooks/{app}/{token}
//
// (The sign-in stand-in for Discord's OAuth2 lives in infra/testing/platforms.ts; this one
// is the bot's side of the API and shares nothing with it but node:http.)
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../rest.ts';

export type RecordedCall = { method: string; path: string; body: unknown; at: number; authorization: string | null };

export type StoredMessage = { id: string; channel_id: string; content: string; embeds: unknown[]; edits: number };

type Script =
  | { kind: '429'; method: string; path: RegExp; retryAfter: number; global: boolean }
  | { kind: 'exhausted'; method: string; path: RegExp; resetAfter: number };

export type DiscordRestStandIn = {
  baseUrl: string;
  calls: RecordedCall[];
  /** Commands as registered, per scope (`global` or a guild id). */
  commands: Map<string, Array<Record<string, unknown>>>;
  messages: Map<string, StoredMessage>;
  /** Interaction responses edited through @original, by interaction token. */
  originals: Map<string, { content: string; embeds: unknown[] }>;
  /** The next request matching method and path gets a 429 with this retry_after (seconds). */
  rateLimitNext(method: string, path: RegExp, retryAfter: number, options?: { global?: boolean }): void;
  /** The next request matching succeeds, but reports its bucket empty for `resetAfter` seconds. */
  exhaustNext(method: string, path: RegExp, resetAfter: number): void;
  /** Resolves once `predicate` holds for the calls so far (checked on every call). */
  until(predicate: (calls: readonly RecordedCall[]) => boolean, what: string, ms?: number): Promise<void>;
  close(): Promise<void>;
};

export async function startDiscordRestStandIn(options: { applicationId: string; botToken: string; clock?: Clock }): Promise<DiscordRestStandIn> {
  const clock = options.clock ?? systemClock;
  const calls: RecordedCall[] = [];
  const commands = new Map<string, Array<Record<string, unknown>>>();
  const messages = new Map<string, StoredMessage>();
  const originals = new Map<string, { content: string; embeds: unknown[] }>();
  const scripts: Script[] = [];
  const arrivals = new EventEmitter();
  let sequence = 0n;
  const snowflake = () => String(1_300_000_000_000_000_000n + ++sequence);

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = new URL(req.url ?? '/', 'http://standin').pathname.replace(/^\/api\/v10/, '');
      const raw = Buffer.concat(chunks).toString();
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      calls.push({ method, path, body, at: clock.now(), authorization: req.headers.authorization ?? null });
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(payload === null ? '' : JSON.stringify(payload));
        arrivals.emit('call');
      };
      const bucketHeaders = (remaining: number, resetAfter: number) => ({
        'x-ratelimit-bucket': `bucket-${method}-${path.split('/')[1] ?? ''}-${path.split('/').length}`,
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-reset-after': String(resetAfter),
      });
      const scripted = scripts.findIndex((s) => s.method === method && s.path.test(path));
      let headers = bucketHeaders(4, 1);
      if (scripted >= 0) {
        const script = scripts.splice(scripted, 1)[0]!;
        if (script.kind === '429') {
          const scope: Record<string, string> = script.global ? { 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' } : { 'x-ratelimit-scope': 'user', ...bucketHeaders(0, script.retryAfter) };
          return send(429, { message: 'You are being rate limited.', retry_after: script.retryAfter, global: script.global }, { 'retry-after': String(Math.ceil(script.retryAfter)), ...scope });
        }
        headers = bucketHeaders(0, script.resetAfter);
      }
      const bot = req.headers.authorization === `Bot ${options.botToken}`;
      const unauthorized = () => send(401, { message: '401: Unauthorized', code: 0 });
      const app = options.applicationId;
      let m: RegExpMatchArray | null;
      if ((m = path.match(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/)) && m[1] === app) {
        if (!bot) return unauthorized();
        const scope = m[2] ?? 'global';
        if (method === 'GET') return send(200, commands.get(scope) ?? [], headers);
        if (method === 'PUT' && Array.isArray(body)) {
          const stored = (body as Array<Record<string, unknown>>).map((command) => ({
            id: (commands.get(scope) ?? []).find((c) => c.name === command.name)?.id ?? snowflake(),
            application_id: app, version: snowflake(), default_member_permissions: null, type: 1, nsfw: false, ...command,
          }));
          commands.set(scope, stored);
          return send(200, stored, headers);
        }
      }
      if ((m = path.match(/^\/channels\/(\d+)\/messages(?:\/(\d+))?$/))) {
        if (!bot) return unauthorized();
        const payload = (body ?? {}) as { content?: string; embeds?: unknown[] };
        if (method === 'POST' && !m[2]) {
          const message: StoredMessage = { id: snowflake(), channel_id: m[1]!, content: payload.content ?? '', embeds: payload.embeds ?? [], edits: 0 };
          messages.set(message.id, message);
          return send(200, { ...message, type: 0 }, headers);
        }
        const message = m[2] ? messages.get(m[2]) : undefined;
        if (method === 'PATCH' && message && message.channel_id === m[1]) {
          Object.assign(message, { content: payload.content ?? message.content, embeds: payload.embeds ?? message.embeds, edits: message.edits + 1 });
          return send(200, { ...message, type: 0 }, headers);
        }
        if (method === 'PATCH') return send(404, { message: 'Unknown Message', code: 10008 }, headers);
      }
      if ((m = path.match(/^\/webhooks\/(\d+)\/([^/]+)(\/messages\/@original)?$/)) && m[1] === app) {
        const payload = (body ?? {}) as { content?: string; embeds?: unknown[] };
        if (method === 'PATCH' && m[3]) {
          originals.set(m[2]!, { content: payload.content ?? '', embeds: payload.embeds ?? [] });
          return send(200, { id: snowflake(), content: payload.content ?? '', embeds: payload.embeds ?? [] }, headers);
        }
        if (method === 'POST' && !m[3]) return send(200, { id: snowflake(), content: payload.content ?? '', embeds: payload.embeds ?? [] }, headers);
      }
      send(404, { message: '404: Not Found', code: 0 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}/api/v10`,
    calls,
    commands,
    messages,
    originals,
    rateLimitNext(method, path, retryAfter, opts = {}) {
      scripts.push({ kind: '429', method, path, retryAfter, global: opts.global ?? false });
    },
    exhaustNext(method, path, resetAfter) {
      scripts.push({ kind: 'exhausted', method, path, resetAfter });
    },
    until(predicate, what, ms = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(calls)) return;
          clearTimeout(timer);
          arrivals.off('call', check);
          resolve();
        };
        const timer = setTimeout(() => {
          arrivals.off('call', check);
          reject(new Error(`timed out waiting for ${what}; calls: ${calls.map((c) => `${c.method} ${c.path}`).join(', ')}`));
        }, ms);
        arrivals.on('call', check);
        check();
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
