// Hostile HTTP requests against every route the OpenAPI document lists (fast-check): odd
// bodies, content types, headers, tokens, path and query parameters. Every answer is a
// typed one — a status the route documents and, for a refusal, `{ error: { code, message } }`
// with a stable code — never a 500; nothing is written for a refused request; the server
// stays up and nothing goes unhandled.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createRouter, toNodeHandler } from '@colyseus/core';
import fc from 'fast-check';
import { pino } from 'pino';
import { createAuth } from '../auth/index.ts';
import { loadConfig } from '../config.ts';
import { startTestGameServer, type TestGameServer } from '../testing/gameServer.ts';
import { createMetrics } from '../metrics.ts';
import { operationsRoutes } from './operationsRoutes.ts';
import { replayRoutes } from './replayRoutes.ts';
import { installEdge } from './edge.ts';
import { MAX_BODY_BYTES, toEndpoint } from './route.ts';

const PER_ROUTE = Number(process.env.FUZZ_HTTP_REQUESTS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

const crashes: unknown[] = [];
const onCrash = (error: unknown) => crashes.push(error);
let server: TestGameServer;
let playerToken: string;
let adminToken: string;

before(async () => {
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const open = { limit: 1_000_000, windowMs: 60_000 };
  server = await startTestGameServer('http_fuzz', {
    auth: { limits: { 'signin.ip': open, 'signin.identity': open, 'refresh.ip': open, 'account.player': open } },
    readSide: true,
    routesOver: ({ store, db, schema }) => [...replayRoutes(store), ...operationsRoutes({ store, db, schema, registry: createMetrics({ processMetrics: false }).registry })],
  });
  playerToken = await server.tokenFor('fuzzer');
  adminToken = await server.tokenFor('fuzz-admin', ['player', 'admin']);
});
after(async () => {
  await server.stop();
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
});

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom("' OR 1=1 --", "x'; DROP TABLE commits; --", '../../etc/passwd', '%00', '%2e%2e%2f', '{{7*7}}', '${jndi:ldap://x}', '\u202E', '__proto__', 'constructor', ''),
);
const hostileJson = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(fc.constantFrom('deviceId', 'displayName', 'ticket', 'code', 'refreshToken', 'role', 'roles', 'playerId', '__proto__'), fc.oneof(hostileText, fc.jsonValue({ maxDepth: 2 })), { maxKeys: 4 }),
);

type Attempt = {
  body: { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; type: string } | { kind: 'none' };
  auth: 'none' | 'player' | 'admin' | 'garbage' | 'basic';
  param: string | null;
  query: Record<string, string>;
  headers: Record<string, string>;
};

const attempt: fc.Arbitrary<Attempt> = fc.record({
  body: fc.oneof(
    hostileJson.map((value) => ({ kind: 'json' as const, value })),
    fc.record({ text: fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{"a":', '[', 'null', '\u0000', '{"deviceId":"\\ud800"}', 'x'.repeat(70_000))), type: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', '') })
      .map(({ text, type }) => ({ kind: 'raw' as const, text, type })),
    fc.constant({ kind: 'none' as const }),
  ),
  auth: fc.constantFrom('none', 'player', 'player', 'admin', 'garbage', 'basic'),
  param: fc.option(hostileText, { nil: null }),
  query: fc.dictionary(fc.constantFrom('limit', 'before', 'playerId', 'role', 'x'), hostileText, { maxKeys: 3 }),
  headers: fc.dictionary(fc.constantFrom('x-pantheon-peer', 'x-forwarded-for', 'idempotency-key', 'accept', 'x-custom'), fc.string({ unit: fc.constantFrom(...'abcXYZ019 ;=,./:-_'.split('')), maxLength: 60 }), { maxKeys: 3 }),
});

const typedCode = /^[a-z_]+\/[a-z_]+$/;

test(`${PER_ROUTE} hostile requests per route: typed answers only, nothing written for a refusal, the server stays up`, async () => {
  const document = (await (await fetch(`${server.httpUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
  const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), documented: new Set(Object.keys(op.responses).map(Number)) })));
  assert.ok(operations.length >= 10, `${operations.length} routes`);
  const head = await server.store.headPosition();
  let created = 0;
  const seen = new Map<string, number>();

  for (const [index, operation] of operations.entries()) {
    for (const a of fc.sample(attempt, { numRuns: PER_ROUTE, seed: SEED + index })) {
      const path = operation.path.replace(/\{([A-Za-z]+)\}/g, (_, name: string) =>
        encodeURIComponent(a.param ?? (name === 'playerId' ? 'fuzzer' : name === 'name' ? 'wallets' : name === 'provider' ? 'guest' : 'x')));
      const query = new URLSearchParams(a.query).toString();
      const headers: Record<string, string> = { ...a.headers };
      if (a.auth === 'player') headers.authorization = `Bearer ${playerToken}`;
      if (a.auth === 'admin') headers.authorization = `Bearer ${adminToken}`;
      if (a.auth === 'garbage') headers.authorization = 'Bearer a.b.c';
      if (a.auth === 'basic') headers.authorization = 'Basic Zm9vOmJhcg==';
      let body: string | undefined;
      if (operation.method !== 'GET' && a.body.kind === 'json') {
        body = JSON.stringify(a.body.value) ?? 'null';
        headers['content-type'] = 'application/json';
      } else if (operation.method !== 'GET' && a.body.kind === 'raw') {
        body = a.body.text;
        if (a.body.type) headers['content-type'] = a.body.type;
      }
      const response = await fetch(`${server.httpUrl}${path}${query ? `?${query}` : ''}`, { method: operation.method, headers, body });
      const text = await response.text();
      const label = `${operation.method} ${operation.path} ${JSON.stringify(a).slice(0, 300)} -> ${response.status} ${text.slice(0, 200)}`;
      assert.notEqual(response.status, 500, label);
      seen.set(`${operation.method} ${operation.path} ${response.status}`, (seen.get(`${operation.method} ${operation.path} ${response.status}`) ?? 0) + 1);
      // No such route: a hostile path segment matched nothing (or another route's path), answered by the edge.
      if ((response.status === 404 && text.includes('"http/not_found"')) || (response.status === 405 && text.includes('"http/method_not_allowed"'))) continue;
      // 411/413 come from the edge, before any route: for every route alike.
      assert.ok(operation.documented.has(response.status) || [411, 413, 429].includes(response.status), `undocumented status: ${label}`);
      assert.ok(text.length > 0, `empty body: ${label}`);
      const parsed = JSON.parse(text) as { error?: { code: unknown; message: unknown }; created?: boolean };
      if (response.status >= 400) {
        assert.ok(parsed.error && typeof parsed.error.code === 'string' && typedCode.test(parsed.error.code) && typeof parsed.error.message === 'string', label);
      } else if (parsed.created === true) {
        created++;
      }
    }
  }

  // Only requests that succeeded wrote: a new guest is a claim and a registration.
  const appended = await server.store.readAll({ fromPosition: head + 1, limit: 100_000 });
  assert.ok(appended.every((e) => ['IdentityClaimed', 'PlayerRegistered', 'IdentityLinked', 'IdentityUnlinked', 'IdentityReleased'].includes(e.type)), appended.map((e) => e.type).join());
  assert.equal(appended.filter((e) => e.type === 'PlayerRegistered').length, created);
  const health = await fetch(`${server.httpUrl}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(crashes, []);
  // The fuzz reached past the front door: refusals from validation, not only from auth.
  const statuses = new Set([...seen.keys()].map((key) => key.split(' ').at(-1)));
  for (const status of ['400', '401', '403', '413', '415']) assert.ok(statuses.has(status), `no ${status} among ${[...statuses].join(', ')}`);
});

test('a client cannot choose its own address for the rate limits', async () => {
  // The limits of the server above are open, so this runs the same edge and route over a
  // limiter that allows three sign-ins per address: forged peer headers change nothing.
  const auth = await createAuth(loadConfig({ PANTHEON_JWT_SECRET: 'x'.repeat(32) }), server.store, pino({ level: 'silent' }), { limits: { 'signin.ip': { limit: 3, windowMs: 60_000 } } });
  const spectator = auth.routes.find((route) => route.name === 'signInSpectator')!;
  const http = createServer(toNodeHandler(createRouter({ spectator: toEndpoint(spectator, { auth: auth.http, onBug: () => {} }) }).handler));
  installEdge(http, { maxBodyBytes: MAX_BODY_BYTES, trustProxy: false });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = http.address() as AddressInfo;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/auth/spectator`, { method: 'POST', headers: { 'x-pantheon-peer': `203.0.113.${i}`, 'x-forwarded-for': `198.51.100.${i}` } });
      statuses.push(response.status);
      await response.body?.cancel();
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  } finally {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
    await auth.close();
  }
});
