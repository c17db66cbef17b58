// What an operator scraping /metrics and probing /readyz sees: a real game server whose
// rooms tick against the real PostgreSQL store, two players in a battle, and the series
// the HPA and the dashboards read (pantheon_ccu, pantheon_rooms, tick and append latency).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createRouter } from '@colyseus/core';
import type { Room } from '@colyseus/sdk';
import { pino } from 'pino';
import { ExpectedVersionConflict } from '../events/errors.ts';
import { openPgExecutor } from '../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../events/sql/testing/schema.ts';
import type { EventStore } from '../events/store.ts';
import type { SqlExecutor } from '../events/sql/executor.ts';
import { duelSetup } from '../rooms/battle/testing/fixtures.e2e.ts';
import type { BattleView } from '../rooms/battle/state.ts';
import { playBattle } from '../load-tests/bots/battleBot.ts';
import { createCatalog } from './catalog.ts';
import { loadConfig } from './config.ts';
import { auditMetrics, createMetrics, createReadiness, metricsRoutes, type Metrics } from './metrics.ts';
import { anticheatReadModel } from '../projections/anticheat/index.ts';
import { openProjectionRunner } from '../projections/index.ts';
import { auditEventId, auditStreamOf } from '../projections/anticheat/events.ts';
import { startOpsServer, type OpsServer } from './opsServer.ts';
import { startGameServer, type GameServer } from './server.ts';
import { dropRedisKeys, testRedisUrl } from './testing/gameServer.ts';
import { quiet, until } from './testing/roomClient.ts';
import { SignedInClient, testJwtSecret } from './testing/signedIn.ts';
import { roomRules } from '../rooms/rulesRegistry.ts';

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
let metrics: Metrics;
let game: GameServer;
let ops: OpsServer;
const rooms: Room[] = [];

before(async () => {
  schema = await createTestSchema('metrics');
  db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 100 });
  metrics = createMetrics({ defaultLabels: { role: 'game' } });
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PANTHEON_JWT_SECRET: testJwtSecret });
  game = await startGameServer(config, { store: metrics.instrumentStore(store), kind: 'postgres' }, pino({ level: 'silent' }), {
    onTick: metrics.onTick,
    auth: { redisUrl: testRedisUrl, redisPrefix: `test:${schema.name}:` },
  });
  ops = await startOpsServer({ port: 0, host: '127.0.0.1', registry: metrics.registry, readiness: metrics.readiness });
});

after(async () => {
  for (const room of rooms) await room.leave().catch(() => {});
  await ops.close();
  await game.stop();
  await store.close();
  await db.close();
  await schema.drop();
  await dropRedisKeys(testRedisUrl, `test:${schema.name}:`);
});

/** One series' value from the text format, by name and exact label set (in any order). */
function valueOf(text: string, series: string): number | undefined {
  const key = (name: string, labels: string) => `${name}{${labels.split(',').filter(Boolean).sort().join(',')}}`;
  const [, wantName = '', wantLabels = ''] = /^([^{]+)(?:\{(.*)\})?$/.exec(series) ?? [];
  for (const line of text.split('\n')) {
    const match = /^([^{\s]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match && key(match[1]!, match[2] ?? '') === key(wantName, wantLabels)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${ops.port}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return response.text();
}

test('a battle with two players shows up as CCU, one battle room, ticks and appends', async () => {
  const url = `ws://127.0.0.1:${game.port}`;
  const before = await scrape();
  assert.equal(valueOf(before, 'pantheon_ccu{role="game"}'), 0);
  assert.equal(valueOf(before, 'pantheon_rooms{kind="battle",role="game"}'), undefined);

  const ana = quiet(await new SignedInClient(url).create<BattleView>('battle', { ...duelSetup('ana', 'bo'), playerId: 'ana' }));
  rooms.push(ana);
  const bo = quiet(await new SignedInClient(url).joinById<BattleView>(ana.roomId, { playerId: 'bo' }));
  rooms.push(bo);
  await until(bo, (s) => s.oracles.size === 2 && s.tick > 5, 'a few ticks');
  // A command makes a tick append: its acceptance (or refusal) and its events.
  const stop = playBattle(ana, { playerId: 'ana', everyMs: 50 });
  await until(ana, (s) => [...s.oracles.values()].some((o) => o.hp < o.maxHp), 'a hit');
  stop();

  const during = await scrape();
  assert.equal(valueOf(during, 'pantheon_ccu{role="game"}'), 2);
  assert.equal(valueOf(during, 'pantheon_rooms{kind="battle",role="game"}'), 1);
  assert.ok((valueOf(during, 'pantheon_tick_seconds_count{kind="battle",role="game"}') ?? 0) >= 5, 'ticks are timed');
  // The creation event and the ticks' batches went through the instrumented store.
  assert.ok((valueOf(during, 'pantheon_append_seconds_count{result="ok",role="game"}') ?? 0) >= 1);
  assert.ok((valueOf(during, 'pantheon_appended_events_total{role="game"}') ?? 0) >= 1);
  assert.ok((valueOf(during, 'pantheon_tick_events_total{kind="battle",role="game"}') ?? 0) >= 1, 'state hashes and commands are counted');
  assert.match(during, /^process_resident_memory_bytes\{role="game"\} \d+/m, 'process metrics are there');

  await ana.leave();
  await bo.leave();
  rooms.length = 0;
  const deadline = Date.now() + 5000;
  while (valueOf(await scrape(), 'pantheon_ccu{role="game"}') !== 0) {
    assert.ok(Date.now() < deadline, 'CCU drops back to 0 once the players leave');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

test('append latency is counted by result: a refused expected version is a conflict, not an error', async () => {
  // A registry of its own: the battle above still ticks through the server's.
  const own = createMetrics({ processMetrics: false });
  const instrumented = own.instrumentStore(store);
  const series = (result: string) => `pantheon_append_seconds_count{result="${result}"}`;
  const before = await own.registry.metrics();
  const hashed = { type: 'StateHashed', data: { tick: 1, hash: 'a'.repeat(64) } };
  await instrumented.append('battle-metrics1', 'no_stream', [hashed]);
  await assert.rejects(instrumented.append('battle-metrics1', 41, [hashed]), ExpectedVersionConflict);
  await assert.rejects(instrumented.append('battle-metrics1', 'any', [{ type: 'NoSuchEvent', data: {} }]), /unknown event type/);
  const afterwards = await own.registry.metrics();
  for (const [result, added] of [['ok', 1], ['conflict', 1], ['error', 1]] as const) {
    assert.equal(valueOf(afterwards, series(result)), (valueOf(before, series(result)) ?? 0) + added, result);
  }
  // Reads go straight through the decorator.
  assert.equal(await instrumented.streamVersion('battle-nothing-here'), -1);
});

test('/readyz answers 503 until ready, 200 when ready, 503 again while draining; /healthz stays 200', async () => {
  const readiness = createReadiness();
  const probeOps = await startOpsServer({ port: 0, host: '127.0.0.1', registry: metrics.registry, readiness, health: { role: 'projector' } });
  try {
    const get = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${probeOps.port}${path}`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    assert.deepEqual(await get('/readyz'), { status: 503, body: { ready: false, state: 'starting', checks: {} } });
    readiness.markReady();
    assert.equal((await get('/readyz')).status, 200);
    readiness.addCheck('store', () => Promise.reject(new Error('connection refused')));
    assert.deepEqual(await get('/readyz'), { status: 503, body: { ready: false, state: 'ready', checks: { store: 'connection refused' } } });
    readiness.addCheck('store', () => store.headPosition());
    assert.equal((await get('/readyz')).status, 200);
    readiness.markDraining();
    assert.deepEqual(await get('/readyz'), { status: 503, body: { ready: false, state: 'draining', checks: { store: 'ok' } } });
    assert.deepEqual(await get('/healthz'), { status: 200, body: { status: 'ok', role: 'projector' } });
    assert.equal((await get('/nowhere')).status, 404);
  } finally {
    await probeOps.close();
  }
});

test('the same endpoints mount on the game server router (Colyseus createEndpoint), /metrics only with the operator token', async () => {
  const open = createRouter(metricsRoutes(metrics));
  assert.equal((await open.handler(new Request('http://pantheon.test/metrics'))).status, 404, 'no token configured: not served on the public port');
  const router = createRouter(metricsRoutes(metrics, { token: 'operator-token-0123456789' }));
  assert.equal((await router.handler(new Request('http://pantheon.test/metrics'))).status, 401);
  assert.equal((await router.handler(new Request('http://pantheon.test/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789' } }))).status, 401);
  const response = await router.handler(new Request('http://pantheon.test/metrics', { headers: { authorization: 'Bearer operator-token-0123456789' } }));
  assert.equal(response.status, 200);
  assert.match(await response.text(), /^# HELP pantheon_ccu /m);
  metrics.readiness.markReady();
  const ready = await router.handler(new Request('http://pantheon.test/readyz'));
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { ready: true, state: 'ready', checks: {} });
});

test('audits by verdict and findings by kind come from the anti-cheat read model', async () => {
  const registry = createMetrics({ processMetrics: false }).registry;
  auditMetrics(registry, db, schema.name);
  // Before the read model exists: no series, and the scrape still answers.
  assert.equal(valueOf(await registry.metrics(), 'pantheon_audits{verdict="clean"}'), undefined);

  const runner = await openProjectionRunner({ db, store, schema: schema.name, processors: [anticheatReadModel(roomRules)], logger: pino({ level: 'silent' }) });
  await runner.start();
  try {
    const report = (stream: string, verdict: 'clean' | 'tampered') => ({
      stream, lastVersion: 3, verdict, kind: 'battle', rulesVersion: null, contentVersion: null, events: 4, ticks: 2,
      tampered: verdict === 'tampered' ? { version: 2, reason: 'stored hash does not match its content and predecessor' } : null,
      divergence: null, problem: null,
    });
    for (const [stream, verdict] of [['battle-m1', 'clean'], ['battle-m2', 'clean'], ['battle-m3', 'tampered']] as const) {
      await store.append(auditStreamOf(stream), 'any', [{ id: auditEventId(stream, 3), type: 'AuditCompleted', data: report(stream, verdict) }]);
    }
    await runner.waitFor(await store.headPosition());
    const text = await registry.metrics();
    assert.equal(valueOf(text, 'pantheon_audits{verdict="clean"}'), 2);
    assert.equal(valueOf(text, 'pantheon_audits{verdict="tampered"}'), 1);
    assert.equal(valueOf(text, 'pantheon_audit_findings{kind="tampered"}'), 1);
  } finally {
    await runner.stop();
  }
});
