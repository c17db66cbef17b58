// Route access, header validation and the HTTP edge, over a real node:http server carrying
// only the router: who each `access` lets in, what a route that forgot to say allows, and
// the refusals that come before any route runs.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createRouter, toNodeHandler } from '@colyseus/core';
import { z } from 'zod';
import type { Role } from '../../rooms/shared/access.ts';
import { AccessTokens } from '../auth/tokens.ts';
import { installEdge } from './edge.ts';
import { openApiDocument } from './openapi.ts';
import { defineRoute, MAX_BODY_BYTES, toEndpoint, type Access, type Route } from './route.ts';

const tokens = new AccessTokens({ secret: randomBytes(32) });
const echo = (name: string, access: Access | undefined, path = `/${name}`, extra: Partial<Route> = {}): Route =>
  defineRoute({
    name,
    method: 'GET',
    path,
    summary: name,
    tags: ['test'],
    access: access as Access,
    response: z.object({ who: z.string().nullable() }),
    handle: async ({ principal }) => ({ who: principal?.playerId ?? null }),
    ...extra,
  } as Route);

const routes: Route[] = [
  echo('open', 'public'),
  echo('anyone', 'authenticated'),
  echo('auditors', { roles: ['auditor'] }),
  echo('admins', 'admin'),
  echo('forgot', undefined),
  echo('own', 'player', '/players/:playerId/own', { params: z.strictObject({ playerId: z.string() }) }),
  echo('keyed', 'authenticated', '/keyed', { headers: z.object({ 'idempotency-key': z.string().regex(/^[A-Za-z0-9-]{8,64}$/) }) }),
];

let base = '';
let port = 0;
const server = createServer(toNodeHandler(createRouter(Object.fromEntries(routes.map((r) => [r.name, toEndpoint(r, { auth: { verify: (t) => tokens.verify(t) }, onBug: () => {} })]))).handler));
before(async () => {
  installEdge(server, { maxBodyBytes: MAX_BODY_BYTES, trustProxy: false });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const as = async (playerId: string, roles: Role[]) => (await tokens.issue({ playerId, roles })).token;
async function get(path: string, token?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  const body = (await response.json()) as { who?: string | null; error?: { code: string } };
  return `${response.status} ${body.error?.code ?? body.who}`;
}

test('each kind of access lets in whom it says, and a route that forgot to say is for admins', async () => {
  const ana = await as('ana', ['player']);
  const eve = await as('eve', ['player', 'auditor']);
  const root = await as('root', ['player', 'admin']);
  const watcher = await as('spectator:1', ['spectator']);
  assert.deepEqual(
    [await get('/open'), await get('/anyone'), await get('/anyone', watcher), await get('/auditors', ana), await get('/auditors', eve), await get('/auditors', root)],
    ['200 null', '401 auth/missing_token', '200 spectator:1', '403 auth/forbidden', '200 eve', '200 root'],
  );
  assert.deepEqual(
    [await get('/admins', eve), await get('/admins', root), await get('/forgot', ana), await get('/forgot', root)],
    ['403 auth/forbidden', '200 root', '403 auth/forbidden', '200 root'],
  );
  assert.deepEqual(
    [await get('/players/ana/own', ana), await get('/players/bob/own', ana), await get('/players/bob/own', root), await get('/players/spectator:1/own', watcher)],
    ['200 ana', '403 auth/forbidden', '200 root', '403 auth/forbidden'],
  );
});

test('declared headers are validated; a player route needs a :playerId to compare', async () => {
  const ana = await as('ana', ['player']);
  assert.equal(await get('/keyed', ana), '400 http/invalid_headers');
  assert.equal(await get('/keyed', ana, { 'idempotency-key': "x'; DROP" }), '400 http/invalid_headers');
  assert.equal(await get('/keyed', ana, { 'idempotency-key': 'order-12345' }), '200 ana');
  assert.throws(() => toEndpoint(echo('broken', 'player', '/broken'), { auth: { verify: (t) => tokens.verify(t) }, onBug: () => {} }), /needs a :playerId parameter/);
});

test('the edge refuses a body without a length, and one over the limit, before any route reads it', async () => {
  const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/open', method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.write('{"a":');
    req.end('1}');
  });
  assert.equal(chunked.status, 411);
  assert.equal((JSON.parse(chunked.body) as { error: { code: string } }).error.code, 'http/length_required');
  const big = await fetch(`${base}/open`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES) }) });
  assert.equal(big.status, 413);
  assert.equal(((await big.json()) as { error: { code: string } }).error.code, 'http/body_too_large');
});

test('the OpenAPI document shows who may call each route', () => {
  const doc = openApiDocument(routes, { title: 't', version: '1' }) as { paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown>; 'x-pantheon-access': unknown }>> };
  assert.deepEqual(doc.paths['/open']!.get!.security, []);
  assert.equal(doc.paths['/open']!.get!.responses['401'], undefined);
  assert.deepEqual(doc.paths['/auditors']!.get!['x-pantheon-access'], { roles: ['auditor'] });
  assert.ok(doc.paths['/forgot']!.get!.responses['403']);
  assert.equal(doc.paths['/forgot']!.get!['x-pantheon-access'], 'admin');
  assert.ok(doc.paths['/anyone']!.get!.responses['401'] && !doc.paths['/anyone']!.get!.responses['403']);
  assert.deepEqual((doc.paths['/keyed']!.get as unknown as { parameters: Array<{ in: string; name: string }> }).parameters.map((p) => `${p.in}:${p.name}`), ['header:idempotency-key']);
});
