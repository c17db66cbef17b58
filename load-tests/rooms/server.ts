// The game server under test in `npm run bench:rooms`, as its own process: STORE=postgres
// (the real store, in BENCH_SCHEMA) or STORE=noop. It reports tick durations and
// appended events to its parent over IPC when asked.
import { pino } from 'pino';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { loadConfig } from '../../infra/config.ts';
import { startGameServer } from '../../infra/server.ts';
import { noopStore } from './noopStore.ts';

const kind = process.env.STORE === 'noop' ? 'noop' : 'postgres';
let store: EventStore;
let close = async () => {};
if (kind === 'noop') {
  store = noopStore();
} else {
  const db = await openPgExecutor({ connectionString: process.env.DATABASE_URL!, max: 4 });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: process.env.BENCH_SCHEMA! });
  close = async () => {
    await store.close();
    await db.close();
  };
}

let ticks: number[] = [];
let appended = 0;
// Every bot joins from 127.0.0.1: the per-address join limit would be the benchmark.
const config = loadConfig({
  PORT: process.env.PORT ?? '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  PANTHEON_JWT_SECRET: process.env.PANTHEON_JWT_SECRET ?? '',
  PANTHEON_RATE_LIMITS: 'join.ip=1000000/60,join.player=1000/60',
});
const game = await startGameServer(config, { store, kind: 'postgres' }, pino({ level: 'warn' }), {
  onTick: (tick) => {
    ticks.push(tick.durationMs);
    appended += tick.appended;
  },
});
game.markReady();
process.send?.({ ready: true, port: game.port });
process.on('message', (message: { cmd: string }) => {
  if (message.cmd === 'reset') {
    ticks = [];
    appended = 0;
  } else if (message.cmd === 'report') {
    process.send?.({ ticks, appended });
  } else if (message.cmd === 'stop') {
    void game.stop().then(close).then(() => process.exit(0));
  }
});
