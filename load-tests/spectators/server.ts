// A game server process of `npm run bench:spectators`, on PostgreSQL (BENCH_SCHEMA): the one
// hosting the battle reports its ticks (duration, and when each tick's batch was durable, on
// the wall clock all processes share), the one hosting spectator rooms only serves them.
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { loadConfig } from '../../infra/config.ts';
import { startGameServer } from '../../infra/server.ts';

const db = await openPgExecutor({ connectionString: process.env.DATABASE_URL!, max: 4 });
const store = await openSqlEventStore({ db, catalog: createCatalog(), schema: process.env.BENCH_SCHEMA! });
let ticks: number[] = [];
/** Battle tick -> when its batch was durable (ms since the epoch, sub-millisecond). */
let durableAt: Record<number, number> = {};
// Every watcher comes from 127.0.0.1: the per-address limits would be the benchmark.
const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  PANTHEON_JWT_SECRET: process.env.PANTHEON_JWT_SECRET ?? '',
  PANTHEON_RATE_LIMITS: 'join.ip=1000000/60,join.player=1000000/60',
  PANTHEON_WATCH_LIMITS: 'address=1000000',
  PANTHEON_CONNECTIONS_PER_ADDRESS: '1000000',
});
const game = await startGameServer(config, { store, kind: 'postgres' }, pino({ level: 'warn' }), {
  onTick: (tick) => {
    if (tick.kind !== 'battle') return;
    ticks.push(tick.durationMs);
    if (tick.tick !== undefined) durableAt[tick.tick] = performance.timeOrigin + performance.now();
  },
});
game.markReady();
process.send?.({ port: game.port });
process.on('message', (message: { cmd: string }) => {
  if (message.cmd === 'reset') {
    ticks = [];
    durableAt = {};
  } else if (message.cmd === 'report') {
    process.send?.({ ticks, durableAt });
  } else if (message.cmd === 'stop') {
    void game.stop().then(() => store.close()).then(() => db.close()).then(() => process.exit(0));
  }
});
