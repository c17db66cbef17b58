// npm run bench:auth — sign-in and room-join latency under concurrent load, against the
// real server process (`infra/main.ts`, projector included) on PostgreSQL, with its rate
// limits and refresh tokens in Redis. Phases, each with BENCH_CONCURRENCY (default 8)
// requests in flight all the time:
//   1. first sign-ins of new guests: a registration (the identity's claim, then the player's
//      registration, each appended durably) — `signin_new_p95_ms`;
//   2. the same guests signing in again, as a player does every session (the claim and the
//      account read back, limits checked, tokens issued) — `signin_p95_ms`; then refreshes;
//   3. battles: the first player creates the room, the second joins it by id — each join a
//      matchmaking request (token check, one rate-limit call in Redis), a WebSocket and a
//      seat — `join_p95_ms`;
//   4. for scale, GET /healthz at the same concurrency (the floor any HTTP request pays).
// Goals: signin_p95_ms <= 30, join_p95_ms <= 100.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from '@colyseus/sdk';
import { createTestSchema, testDatabaseUrl } from '../events/sql/testing/schema.ts';
import { dropRedisKeys, testRedisUrl } from '../infra/testing/gameServer.ts';
import { freePort, startServerProcess } from '../infra/testing/process.ts';
import { duelSetup } from '../rooms/battle/testing/fixtures.e2e.ts';
import { percentile, report, round } from './stats.ts';

const SIGNINS = Number(process.env.BENCH_SIGNINS ?? 2000);
const ROOMS = Number(process.env.BENCH_ROOMS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

type Session = { playerId: string; accessToken: string; refreshToken: string };

/** Runs `work` over `items` with at most CONCURRENCY at once; returns each one's latency in ms. */
async function timed<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<{ latencies: number[]; results: R[]; seconds: number }> {
  const latencies: number[] = [];
  const results: R[] = new Array(items.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      const t0 = performance.now();
      results[index] = await work(items[index]!);
      latencies.push(performance.now() - t0);
    }
  }));
  return { latencies: latencies.sort((a, b) => a - b), results, seconds: (performance.now() - started) / 1000 };
}

const summary = (name: string, run: { latencies: number[]; seconds: number }) => {
  const figures = { p50: round(percentile(run.latencies, 50)), p95: round(percentile(run.latencies, 95)), p99: round(percentile(run.latencies, 99)), per_s: round(run.latencies.length / run.seconds, 0) };
  console.log(`${name.padEnd(22)} n=${run.latencies.length} p50=${figures.p50}ms p95=${figures.p95}ms p99=${figures.p99}ms ${figures.per_s}/s`);
  return figures;
};

const schema = await createTestSchema('bench_auth');
const redisPrefix = `bench:auth:${randomBytes(4).toString('hex')}:`;
const port = await freePort();
const server = startServerProcess({
  PORT: String(port),
  HOST: '127.0.0.1',
  DATABASE_URL: testDatabaseUrl,
  PANTHEON_DB_SCHEMA: schema.name,
  REDIS_URL: testRedisUrl,
  PANTHEON_REDIS_PREFIX: redisPrefix,
  LOG_LEVEL: 'warn',
  // Every request comes from 127.0.0.1: the per-address limits would be the benchmark.
  PANTHEON_RATE_LIMITS: 'signin.ip=10000000/60,refresh.ip=10000000/60,join.ip=10000000/60',
  ...(process.env.BENCH_PROFILE_DIR ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}` } : {}),
});

try {
  // At LOG_LEVEL=warn the server does not log `ready`: its health check says it.
  const http = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 120_000; !(await fetch(`${http}/healthz`).then((r) => r.status === 200, () => false)); ) {
    if (Date.now() > deadline) throw new Error(`the server did not become ready: ${JSON.stringify(server.lines.slice(-3))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${http}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await response.json()) as T & { error?: { code: string } };
    if (!response.ok) throw new Error(`${path}: ${response.status} ${json.error?.code ?? ''}`);
    return json;
  };

  // Warm-up: connections, prepared paths, JIT.
  await timed(Array.from({ length: 100 }, (_, i) => `bench-warm-${i}-${randomBytes(6).toString('hex')}`), (deviceId) => post<Session>('/auth/guest', { deviceId }));

  const devices = Array.from({ length: SIGNINS }, (_, i) => `bench-device-${i}-${randomBytes(8).toString('hex')}`);
  const fresh = await timed(devices, (deviceId) => post<Session>('/auth/guest', { deviceId }));
  const returning = await timed(devices, (deviceId) => post<Session>('/auth/guest', { deviceId }));
  const refresh = await timed(returning.results, (session) => post<Session>('/auth/refresh', { refreshToken: session.refreshToken }));
  const health = await timed(devices, () => fetch(`${http}/healthz`).then((r) => r.text()));

  // Rooms: each pair of fresh players opens a battle; the second joins by id.
  const sessions = fresh.results;
  const pairs = Array.from({ length: Math.min(ROOMS, Math.floor(sessions.length / 2)) }, (_, i) => [sessions[2 * i]!, sessions[2 * i + 1]!] as const);
  const clientOf = (session: Session) => {
    const client = new Client(`ws://127.0.0.1:${port}`);
    client.auth.token = session.accessToken;
    return client;
  };
  const created = await timed(pairs, ([a, b]) => clientOf(a).create('battle', duelSetup(a.playerId, b.playerId, { countdownTicks: 600 })));
  const joined = await timed(pairs.map(([, b], i) => [b, created.results[i]!.roomId] as const), ([b, roomId]) => clientOf(b).joinById(roomId));
  await Promise.all([...created.results, ...joined.results].map((room) => room.leave().catch(() => undefined)));

  console.log(`concurrency ${CONCURRENCY}; server on PostgreSQL, limits and refresh tokens in Redis`);
  const signinNew = summary('sign-in (new guest)', fresh);
  const signinReturning = summary('sign-in (returning)', returning);
  const refreshed = summary('refresh', refresh);
  const create = summary('create battle', created);
  const join = summary('join battle', joined);
  const floor = summary('GET /healthz', health);
  report({
    bench: 'auth',
    signin_p95_ms: signinReturning.p95,
    join_p95_ms: join.p95,
    signin_p50_ms: signinReturning.p50,
    signin_per_s: signinReturning.per_s,
    signin_new_p95_ms: signinNew.p95,
    signin_new_p50_ms: signinNew.p50,
    signin_new_per_s: signinNew.per_s,
    refresh_p95_ms: refreshed.p95,
    create_p95_ms: create.p95,
    join_p50_ms: join.p50,
    join_per_s: join.per_s,
    healthz_p95_ms: floor.p95,
    signin_to_healthz_p95_ratio: round(signinReturning.p95 / Math.max(0.01, floor.p95)),
    concurrency: CONCURRENCY,
    load_avg_1m: round(loadavg()[0]!),
    goal_met: signinReturning.p95 <= 30 && join.p95 <= 100,
  });
} finally {
  server.kill('SIGTERM');
  await Promise.race([server.exit, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  server.kill('SIGKILL');
  await schema.drop();
  await dropRedisKeys(testRedisUrl, redisPrefix);
}
process.exit(0);
