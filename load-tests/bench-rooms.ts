// npm run bench:rooms — battle rooms under bot load, twice in one invocation: with the
// PostgreSQL store and with a no-op store, so the cost of durability shows as ratios.
// Server and bots each run in their own process; CPU comes from /proc.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createTestSchema, testDatabaseUrl } from '../events/sql/testing/schema.ts';
import { cpuSeconds, cpuSecondsOf, rssKb } from './proc.ts';
import { percentile, report, round } from './stats.ts';

const ROOMS = Number(process.env.BENCH_ROOMS ?? 500);
const PER_ROOM = Number(process.env.BENCH_PER_ROOM ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const RATE_MS = Number(process.env.BENCH_RATE_MS ?? 500);

type Run = { ccu: number; tickP99: number; latencyP50: number; latencyP99: number; eventsPerS: number; serverCores: number; dbCores: number; rssPerClientKb: number; commandsPerS: number };

/** The next IPC message carrying `key` (libraries in the child may send their own messages too). */
function messageWith<T>(child: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (message !== null && typeof message === 'object' && key in message) {
        child.off('message', onMessage);
        resolve(message as T);
      }
    };
    child.on('message', onMessage);
  });
}

function ask<T>(child: ChildProcess, cmd: string, key: string): Promise<T> {
  const reply = messageWith<T>(child, key);
  child.send({ cmd });
  return reply;
}

// The server signs session tokens with this key, and the bots mint theirs with it.
const jwtSecret = randomBytes(32).toString('base64url');

async function run(store: 'postgres' | 'noop'): Promise<Run> {
  const schema = await createTestSchema(`bench_rooms_${store}`);
  const here = new URL('.', import.meta.url).pathname;
  const server = fork(`${here}rooms/server.ts`, [], { execArgv: process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}/${store}`] : [], env: { ...process.env, STORE: store, DATABASE_URL: testDatabaseUrl, BENCH_SCHEMA: schema.name, PORT: '0', PANTHEON_JWT_SECRET: jwtSecret } });
  try {
    const { port } = await messageWith<{ port: number }>(server, 'port');
    const bots = fork(`${here}rooms/bots.ts`, [], {
      env: { ...process.env, URL: `ws://127.0.0.1:${port}`, ROOMS: String(ROOMS), PER_ROOM: String(PER_ROOM), RATE_MS: String(RATE_MS), PANTHEON_JWT_SECRET: jwtSecret },
    });
    try {
      const { joined } = await messageWith<{ joined: number }>(bots, 'joined');
      console.log(`[${store}] ${joined} bots in ${ROOMS} rooms; warming up ${WARMUP_SECONDS}s`);
      await new Promise((resolve) => setTimeout(resolve, WARMUP_SECONDS * 1000));
      server.send({ cmd: 'reset' });
      bots.send({ cmd: 'reset' });
      const cpu0 = { server: cpuSeconds(server.pid!), db: cpuSecondsOf('postgres') };
      const t0 = performance.now();
      await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
      const elapsed = (performance.now() - t0) / 1000;
      const cpu1 = { server: cpuSeconds(server.pid!), db: cpuSecondsOf('postgres') };
      const serverRss = rssKb(server.pid!);
      const [ticks, measured] = await Promise.all([
        ask<{ ticks: number[]; appended: number }>(server, 'report', 'ticks'),
        ask<{ latencies: number[]; accepted: number; refused: number; connected: number }>(bots, 'report', 'latencies'),
      ]);
      const latencies = measured.latencies.sort((a, b) => a - b);
      const sortedTicks = ticks.ticks.sort((a, b) => a - b);
      const result: Run = {
        ccu: measured.connected,
        tickP99: percentile(sortedTicks, 99),
        latencyP50: percentile(latencies, 50),
        latencyP99: percentile(latencies, 99),
        eventsPerS: ticks.appended / elapsed,
        serverCores: (cpu1.server - cpu0.server) / elapsed,
        dbCores: (cpu1.db - cpu0.db) / elapsed,
        rssPerClientKb: serverRss / Math.max(1, measured.connected),
        commandsPerS: (measured.accepted + measured.refused) / elapsed,
      };
      console.log(`[${store}] ${JSON.stringify(Object.fromEntries(Object.entries(result).map(([k, v]) => [k, round(v)])))}`);
      bots.send({ cmd: 'stop' });
      return result;
    } finally {
      bots.kill('SIGKILL');
    }
  } finally {
    server.send({ cmd: 'stop' });
    await Promise.race([once(server, 'exit'), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    server.kill('SIGKILL');
    await schema.drop();
  }
}

const durable = await run('postgres');
const baseline = await run('noop');
report({
  bench: 'rooms',
  ccu: durable.ccu,
  rooms: ROOMS,
  tick_p99_ms: round(durable.tickP99),
  action_latency_p50_ms: round(durable.latencyP50),
  action_latency_p99_ms: round(durable.latencyP99),
  latency_p99_ratio: round(durable.latencyP99 / baseline.latencyP99),
  events_per_s: round(durable.eventsPerS, 0),
  commands_per_s: round(durable.commandsPerS, 0),
  cpu_overhead_ratio: round((durable.serverCores - baseline.serverCores) / baseline.serverCores),
  server_cpu_cores: round(durable.serverCores),
  noop_server_cpu_cores: round(baseline.serverCores),
  db_cpu_cores: round(durable.dbCores),
  rss_per_client_kb: round(durable.rssPerClientKb),
  noop_action_latency_p99_ms: round(baseline.latencyP99),
});
process.exit(0);
