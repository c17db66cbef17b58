// The start command as an operator meets it: a real process, its logs and its exit code.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { testDatabaseUrl } from '../events/sql/testing.ts';
import { freePort, startServerProcess } from './testing/process.ts';

const dirs: string[] = [];
const schema = `t_main_${process.pid}`;
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

const run = startServerProcess;

test('starts on embedded defaults, answers /healthz, logs its transport, and stops on SIGTERM', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'pantheon-main-'));
  dirs.push(dir);
  const server = run({ PORT: '0', PANTHEON_DATA_DIR: dir });
  const listening = await server.waitFor('server listening');
  assert.deepEqual([listening.transport, listening.store], ['ws', 'pglite']);
  const response = await fetch(`http://127.0.0.1:${String(listening.port)}/healthz`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: 'ok', store: 'pglite' });
  server.kill('SIGTERM');
  assert.equal(await server.exit, 0);
});

test('runs on PostgreSQL when DATABASE_URL is set', async () => {
  const server = run({ PORT: '0', DATABASE_URL: testDatabaseUrl, PANTHEON_DB_SCHEMA: schema });
  const listening = await server.waitFor('server listening');
  assert.equal(listening.store, 'postgres');
  server.kill('SIGTERM');
  assert.equal(await server.exit, 0);
});

test('an unreachable DATABASE_URL exits non-zero with one clear line, not a stack trace', async () => {
  const server = run({ PORT: '0', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/pantheon' });
  assert.equal(await server.exit, 1);
  assert.equal(server.lines.length, 1);
  assert.equal(server.lines[0]!.code, 'store/unreachable');
  assert.match(String(server.lines[0]!.msg), /cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/pantheon/);
  assert.equal(server.lines[0]!.err, undefined);
});

test('a bad environment variable exits non-zero, naming it', async () => {
  const server = run({ PORT: 'twenty' });
  assert.equal(await server.exit, 1);
  assert.equal(server.lines.length, 1);
  assert.match(String(server.lines[0]!.msg), /PORT="twenty" .*example: PORT=2567/);
});

test('asking for uWebSockets.js where it cannot load says so and exits', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'pantheon-uws-'));
  dirs.push(dir);
  const server = run({ PORT: String(await freePort()), PANTHEON_DATA_DIR: dir, PANTHEON_TRANSPORT: 'uwebsockets' });
  const code = await Promise.race([server.exit, server.waitFor('server listening').then(() => 'listening' as const)]);
  if (code === 'listening') {
    // On a glibc >= 2.38 machine the native transport loads: then it must say so.
    assert.equal(server.lines.find((line) => line.msg === 'server listening')!.transport, 'uwebsockets');
    server.kill('SIGTERM');
    assert.equal(await server.exit, 0);
    t.diagnostic('uWebSockets.js loaded on this machine');
  } else {
    assert.equal(code, 1);
    const fatal = server.lines.find((line) => line.level === 60)!;
    assert.equal(fatal.code, 'transport/unavailable');
    assert.match(String(fatal.msg), /glibc >= 2\.38/);
  }
});

test('a projector-role process runs the read models and payouts only, and serves /healthz, /readyz and /metrics', async () => {
  const port = await freePort();
  const server = run({ PORT: String(port), DATABASE_URL: testDatabaseUrl, PANTHEON_DB_SCHEMA: schema, PANTHEON_ROLE: 'projector' });
  const running = await server.waitFor('projector running');
  assert.deepEqual(running.processors, ['wallets', 'progression', 'codex', 'leaderboards', 'anticheat', 'spectator', 'friends', 'legions', 'experiments', 'open_rooms', 'wallet_payouts']);
  await server.waitFor('ready');
  assert.equal(server.lines.some((line) => line.msg === 'server listening'), false, 'no game server in this role');
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  assert.deepEqual(await health.json(), { status: 'ok', role: 'projector', store: 'postgres' });
  assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  assert.match(metrics, /pantheon_projection_lag_events\{[^}]*name="wallets"[^}]*role="projector"/);
  server.kill('SIGTERM');
  assert.equal(await server.exit, 0);
});

test('the relay role without KAFKA_BROKERS refuses to start, naming the variable', async () => {
  const server = run({ PORT: '0', PANTHEON_ROLE: 'relay' });
  assert.equal(await server.exit, 1);
  assert.match(String(server.lines.find((line) => line.level === 60)!.msg), /KAFKA_BROKERS.*must be set with PANTHEON_ROLE=relay/);
});

test('with EVENTSTORE_CONNECTION_STRING the log is EventStoreDB: an unreachable one exits non-zero with one clear line', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'pantheon-esdb-'));
  dirs.push(dir);
  const server = run({ PORT: '0', PANTHEON_DATA_DIR: dir, EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:1?tls=false&defaultDeadline=2000&maxDiscoverAttempts=1&discoveryInterval=100' });
  assert.equal(await server.exit, 1);
  const fatal = server.lines.find((line) => line.level === 60)!;
  assert.equal(fatal.code, 'store/unavailable');
  assert.equal(fatal.err, undefined);
});
