// The web pages' serving and the routes they read, over HTTP against a real game server: who
// may replay what, the 404 pages of unknown matches and streams, the Content-Security-Policy,
// the monitor's admin cookie, and the operations routes. (web.test.ts drives the pages in Chromium.)
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { battlePlayers, battleSetup, recordRoom, simulateRoom } from '../../load-tests/simulate/room.ts';
import { battleKind } from '../../rooms/battle/room.ts';
import { createMetrics } from '../metrics.ts';
import { operationsRoutes } from '../http/operationsRoutes.ts';
import { replayRoutes } from '../http/replayRoutes.ts';
import { startTestGameServer, type TestGameServer } from '../testing/gameServer.ts';
import { contentSecurityPolicy, webEndpoints } from './serve.ts';

let server: TestGameServer;
let dist: string;
let ended: string;
let live: string;

before(async () => {
  dist = await mkdtemp(path.join(tmpdir(), 'pantheon-web-'));
  await mkdir(path.join(dist, 'assets'));
  for (const page of ['watch', 'play', 'replay', 'console']) await writeFile(path.join(dist, `${page}.html`), `<!doctype html><title>${page}</title>`);
  await writeFile(path.join(dist, 'assets', 'play-abc123.js'), 'console.log(1)');
  const metrics = createMetrics({ processMetrics: false });
  server = await startTestGameServer('web_serve', {
    routesOver: ({ store, db, schema }) => [...replayRoutes(store), ...operationsRoutes({ store, db, schema, registry: metrics.registry })],
    endpoints: async ({ store, verify }) => webEndpoints({ store, verify, logger: pino({ level: 'silent' }), distDir: dist }),
  });
  const finished = simulateRoom(battleKind, { roomId: 'serve-ended', setup: battleSetup(['ana', 'bo'], { tickLimit: 200 }), seed: 'serve-test-seed-ended-00000000000' }, battlePlayers({ everyTicks: 10 }));
  await recordRoom(server.store, finished);
  ended = finished.streamId;
  const running = simulateRoom(battleKind, { roomId: 'serve-live', setup: battleSetup(['cy', 'di'], { tickLimit: 2000 }), seed: 'serve-test-seed-live-000000000000' }, battlePlayers({ everyTicks: 10 }), { maxTicks: 100 });
  await recordRoom(server.store, running);
  live = running.streamId;
});

after(async () => {
  await server.stop();
  await rm(dist, { recursive: true, force: true });
});

const get = (route: string, headers: Record<string, string> = {}) => fetch(`${server.httpUrl}${route}`, { headers });
const bearer = async (playerId: string, roles: Parameters<TestGameServer['tokenFor']>[1]) => ({ authorization: `Bearer ${await server.tokenFor(playerId, roles)}` });

describe('pages', () => {
  test('are served with a policy that keeps them to this origin', async () => {
    const response = await get('/play');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(response.headers.get('content-security-policy'), contentSecurityPolicy);
    assert.match(contentSecurityPolicy, /default-src 'self'/);
    assert.match(contentSecurityPolicy, /connect-src 'self'/);
    assert.equal((await get('/console')).status, 200);
  });

  test('a known match or stream is 200, an unknown one 404 with the same page', async () => {
    assert.equal((await get('/watch/serve-ended')).status, 200);
    assert.equal((await get(`/watch/${ended}`)).status, 200);
    assert.equal((await get(`/replay/${ended}`)).status, 200);
    const unknown = await get('/watch/no-such-match');
    assert.equal(unknown.status, 404);
    assert.equal(await unknown.text(), '<!doctype html><title>watch</title>');
    assert.equal((await get('/replay/battle-no-such-stream')).status, 404);
    // Only rooms replay: a wallet stream is no match.
    assert.equal((await get('/replay/wallet-someone')).status, 404);
  });

  test('assets are immutable, and nothing outside the build is served', async () => {
    const asset = await get('/web/assets/play-abc123.js');
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    assert.equal((await get('/web/assets/missing.js')).status, 404);
    assert.equal((await get('/web/..%2Fplay.html')).status, 404);
  });
});

describe('replays', () => {
  test('an ended match: timeline, checkpoints, a clean audit and the folded state, for any token', async () => {
    const response = await get(`/replays/${ended}`, await bearer('watcher:1', ['spectator']));
    assert.equal(response.status, 200);
    const body = (await response.json()) as { status: string; audit: { verdict: string; firstBad: unknown }; events: unknown[]; checkpoints: { status: string }[]; state: { status: string } };
    assert.equal(body.status, 'ended');
    assert.equal(body.audit.verdict, 'clean');
    assert.equal(body.audit.firstBad, null);
    assert.ok(body.events.length > 2);
    assert.ok(body.checkpoints.length > 0 && body.checkpoints.every((c) => c.status === 'verified'));
    assert.equal(body.state.status, 'ended');
    const early = (await (await get(`/replays/${ended}/state?tick=0`, await bearer('watcher:1', ['spectator']))).json()) as { tick: number; state: { status: string } };
    assert.deepEqual([early.tick, early.state.status], [0, 'active']);
    const past = await get(`/replays/${ended}/state?tick=999999`, await bearer('watcher:1', ['spectator']));
    assert.equal(past.status, 400);
    assert.equal(((await past.json()) as { error: { code: string } }).error.code, 'replay/bad_range');
  });

  test('a match still being played: auditors and admins only', async () => {
    const refused = await get(`/replays/${live}`, await bearer('watcher:2', ['spectator']));
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'replay/live_match');
    assert.equal((await get(`/replays/${live}`, await bearer('auditor-1', ['auditor']))).status, 200);
    assert.equal((await get(`/replays/${live}`)).status, 401);
    assert.equal((await get('/replays/battle-nope', await bearer('auditor-1', ['auditor']))).status, 404);
  });
});

describe('the monitor', () => {
  test('is closed without an admin cookie, and the console hands admins one', async () => {
    assert.equal((await get('/monitor')).status, 401);
    const playerCookie = `pantheon_monitor=${await server.tokenFor('ana')}`;
    assert.equal((await get('/monitor/api', { cookie: playerCookie })).status, 403);
    assert.equal((await fetch(`${server.httpUrl}/operations/monitor-session`, { method: 'POST', headers: await bearer('ana', ['player']) })).status, 403);
    const opened = await fetch(`${server.httpUrl}/operations/monitor-session`, { method: 'POST', headers: await bearer('ops', ['admin']) });
    assert.equal(opened.status, 200);
    const cookie = opened.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^pantheon_monitor=[^;]+; Path=\/monitor; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const page = await get('/monitor', { cookie: cookie.split(';')[0]! });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<base href="\/monitor\/">/);
    assert.doesNotMatch(html, /googleapis/);
    const api = (await (await get('/monitor/api', { cookie: cookie.split(';')[0]! })).json()) as { rooms: unknown[] };
    assert.ok(Array.isArray(api.rooms));
  });
});

describe('operations', () => {
  test('rooms per process, a metrics snapshot, the relay, audits: for auditors and admins', async () => {
    const auditor = await bearer('auditor-1', ['auditor']);
    const rooms = (await (await get('/operations/rooms', auditor)).json()) as { processes: { processId: string; ccu: number }[]; rooms: unknown[] };
    assert.equal(rooms.processes.length, 1);
    assert.ok(Array.isArray(rooms.rooms));
    const metrics = (await (await get('/operations/metrics', auditor)).json()) as { ccu: number; appendedEvents: number; commands: { accepted: number } };
    assert.equal(typeof metrics.ccu, 'number');
    assert.equal(typeof metrics.commands.accepted, 'number');
    assert.deepEqual(await (await get('/operations/relay', auditor)).json(), { relay: null });
    assert.deepEqual(await (await get('/anticheat/audits', auditor)).json(), { audits: [] });
    assert.equal((await get('/operations/rooms', await bearer('ana', ['player']))).status, 403);
  });
});

describe('the playground', () => {
  test('is served only when asked (NODE_ENV=development)', async () => {
    const base = { store: server.store, verify: () => Promise.reject(new Error('unused')), logger: pino({ level: 'silent' }), distDir: dist };
    const paths = (endpoints: Record<string, { path: string }>) => Object.values(endpoints).map((endpoint) => endpoint.path);
    assert.ok(!paths(await webEndpoints(base)).some((p) => p.startsWith('/playground')));
    assert.ok(paths(await webEndpoints({ ...base, playground: true })).some((p) => p.startsWith('/playground')));
    assert.equal((await get('/playground')).status, 404);
  });
});
