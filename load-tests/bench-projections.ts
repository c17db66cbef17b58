// npm run bench:projections — the read side on PostgreSQL:
//  (a) rebuild: BENCH_EVENTS (default 1,000,000) events of real matches played by the
//      rules (mostly battles, some raids and rituals) plus the wallet movements their
//      outcomes cause, then every read model rebuilt from position 0 in one pass;
//  (b) live lag: the projector running live while rooms append as they play (BENCH_ROOMS
//      rooms at 20 Hz replaying simulated matches tick by tick, for BENCH_SECONDS): per
//      event, the time from its append being recorded to its read-model batch committing.
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { openPgExecutor } from '../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl } from '../events/sql/testing/schema.ts';
import { createCatalog } from '../infra/catalog.ts';
import { processManagers } from '../infra/processors.ts';
import { openProjectionRunner, readModels } from '../projections/index.ts';
import { fillStore } from './simulate/mix.ts';
import { percentile, report, round } from './stats.ts';
import { roomRules } from '../rooms/rulesRegistry.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const ROOMS = Number(process.env.BENCH_ROOMS ?? 120);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

const logger = pino({ level: 'warn' });
const schema = await createTestSchema('bench_projections');
const db = await openPgExecutor({ connectionString: testDatabaseUrl, max: 12 });
const store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name });
const names = readModels(roomRules).map((projection) => projection.name);

try {
  // (a) Fill, let the process managers turn outcomes into wallet movements, rebuild.
  let t0 = performance.now();
  let lastShown = 0;
  const filled = await fillStore(store, {
    seed: 'bench-projections', players: 5000, events: EVENTS, concurrency: 32,
    onProgress: (written) => {
      if (written - lastShown >= 100_000) console.log(`  … ${(lastShown = written).toLocaleString()} events written`);
    },
  });
  console.log(`filled ${filled.events.toLocaleString()} events of ${filled.rooms.toLocaleString()} matches in ${round((performance.now() - t0) / 1000, 1)} s`);

  const managers = await openProjectionRunner({ db, store, schema: schema.name, processors: processManagers(store), logger, batchSize: 2000 });
  await managers.start();
  await managers.waitFor(await store.headPosition());
  await managers.stop();
  const head = await store.headPosition();
  console.log(`process managers done: the log holds ${head.toLocaleString()} events`);

  const rebuilder = await openProjectionRunner({ db, store, schema: schema.name, processors: readModels(roomRules), logger });
  t0 = performance.now();
  const rebuilt = await rebuilder.rebuild(names);
  const rebuildSeconds = (performance.now() - t0) / 1000;
  const rebuildRate = rebuilt.events / rebuildSeconds;
  console.log(`(a) rebuilt ${names.join(', ')} over ${rebuilt.events.toLocaleString()} events in ${round(rebuildSeconds, 1)} s: ${Math.round(rebuildRate).toLocaleString()} events/s`);

  // (b) Live: read models and process managers running while rooms play.
  const lags: number[] = [];
  const lagsOf = new Map<string, number[]>();
  let measuring = false;
  const live = await openProjectionRunner({
    db, store, schema: schema.name, processors: [...readModels(roomRules), ...processManagers(store)], logger,
    onBatch: ({ name, events, appliedAt }) => {
      if (!measuring) return;
      const mine = lagsOf.get(name) ?? lagsOf.set(name, []).get(name)!;
      for (const event of events) {
        const lag = appliedAt - Date.parse(event.metadata.recordedAt);
        lags.push(lag);
        mine.push(lag);
      }
    },
  });
  await live.start();
  await live.waitFor(await store.headPosition());
  // The rooms append from a process of their own, as game servers would.
  const load = fork(new URL('./projections/roomLoad.ts', import.meta.url).pathname, {
    env: { ...process.env, DATABASE_URL: testDatabaseUrl, BENCH_SCHEMA: schema.name, BENCH_ROOMS: String(ROOMS), BENCH_SECONDS: String(SECONDS) },
  });
  const message = (key: string) => new Promise<number>((resolve, reject) => {
    load.on('message', (m: Record<string, number>) => key in m && resolve(m[key]!));
    load.once('exit', (code) => reject(new Error(`room load exited with ${code}`)));
  });
  await message('ready');
  measuring = true;
  const finished = message('appended');
  load.send({ go: true });
  const appended = await finished;
  await live.waitFor(await store.headPosition());
  measuring = false;
  await live.stop();
  lags.sort((a, b) => a - b);
  for (const [name, own] of lagsOf) {
    own.sort((a, b) => a - b);
    console.log(`    ${name.padEnd(16)} lag p50 ${percentile(own, 50)} ms, p99 ${percentile(own, 99)} ms`);
  }
  const liveRate = appended / SECONDS;
  console.log(`(b) ${ROOMS} rooms appending ${Math.round(liveRate).toLocaleString()} events/s for ${SECONDS} s: lag p50 ${percentile(lags, 50)} ms, p99 ${percentile(lags, 99)} ms over ${lags.length.toLocaleString()} event deliveries`);

  report({
    bench: 'projections',
    rebuild_events_per_s: Math.round(rebuildRate),
    live_lag_p50_ms: round(percentile(lags, 50)),
    live_lag_p99_ms: round(percentile(lags, 99)),
    events: rebuilt.events,
    read_models: names.length,
    live_events_per_s: Math.round(liveRate),
  });
} finally {
  await store.close();
  await db.close();
  await schema.drop();
}
