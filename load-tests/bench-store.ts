// npm run bench:store — event store throughput on PostgreSQL, with the raw ceiling
// measured side by side in the same database:
//  (a) single-event appends to one stream, one at a time;
//  (b) 500 streams, each its own writer appending a batch of 10 every 50 ms, as rooms
//      ticking at 20 Hz would (100,000 events/s offered); a writer that falls behind
//      appends again at once, so the achieved rate is what the store sustains;
//  (c) the ceiling: the same events as plain multi-row INSERTs, one row each, into a
//      bare table (no index, no constraint), from the same 500 concurrent writers.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { z } from 'zod';
import { defineEvent, EventCatalog } from '../events/catalog.ts';
import { openPgExecutor } from '../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl } from '../events/sql/testing/schema.ts';
import { cpuSecondsOf } from './proc.ts';
import { percentile, report, round } from './stats.ts';

const STREAMS = 500;
const BATCH = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TICK_MS = 50;
const CEILING_POOL = 10;

const AbilityCast = defineEvent('AbilityCast', z.object({ caster: z.string(), ability: z.string(), target: z.string(), tick: z.number().int() }));
const catalog = new EventCatalog([AbilityCast]);
const eventData = (writer: number, n: number) => ({ caster: `oracle-${writer}`, ability: 'ember-lance', target: `oracle-${writer + 1}`, tick: n });

/** Runs `lanes` writers for `seconds`; with `everyMs`, each starts a step at most that often. */
async function forSeconds(seconds: number, lanes: number, step: (lane: number, n: number) => Promise<void>, everyMs = 0): Promise<{ latencies: number[]; elapsed: number }> {
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      // Spread the writers' ticks over the interval, as independent rooms would be.
      let next = start + (everyMs * lane) / lanes;
      for (let n = 0; performance.now() < deadline; n++) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const t0 = performance.now();
        await step(lane, n);
        latencies.push(performance.now() - t0);
        next += everyMs;
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), elapsed: (performance.now() - start) / 1000 };
}

const schema = await createTestSchema('bench_store');
const db = await openPgExecutor({ connectionString: testDatabaseUrl, max: 4 });
const store = await openSqlEventStore({ db, catalog, schema: schema.name, ...(process.env.BENCH_CONCURRENCY ? { maxConcurrency: Number(process.env.BENCH_CONCURRENCY) } : {}) });
const quoted = pg.escapeIdentifier(schema.name);
try {
  const single = await forSeconds(Math.max(2, SECONDS / 3), 1, async (_, n) => {
    await store.append('battle-single', 'any', [{ type: 'AbilityCast', data: eventData(0, n) }]);
  });
  const singlePerS = single.latencies.length / single.elapsed;
  console.log(`(a) single-event appends to one stream: ${round(singlePerS, 0)} events/s, p50 ${round(percentile(single.latencies, 50))} ms`);

  const cpu0 = { node: process.cpuUsage(), db: cpuSecondsOf('postgres') };
  const batched = await forSeconds(SECONDS, STREAMS, async (lane, n) => {
    const events = Array.from({ length: BATCH }, (_, i) => ({ type: 'AbilityCast', data: eventData(lane, n * BATCH + i) }));
    await store.append(`battle-b${lane}`, 'any', events);
  }, TICK_MS);
  const eventsPerS = (batched.latencies.length * BATCH) / batched.elapsed;
  const nodeCpu = process.cpuUsage(cpu0.node);
  const writerCores = (nodeCpu.user + nodeCpu.system) / 1e6 / batched.elapsed;
  const dbCores = (cpuSecondsOf('postgres') - cpu0.db) / batched.elapsed;
  console.log(`(b) ${STREAMS} streams x batches of ${BATCH} every ${TICK_MS} ms: ${round(eventsPerS, 0)} events/s, append p50 ${round(percentile(batched.latencies, 50))} ms, p99 ${round(percentile(batched.latencies, 99))} ms; CPU: writer ${round(writerCores)} cores, PostgreSQL ${round(dbCores)} cores`);

  await db.query(`CREATE TABLE ${quoted}.bare_events (id uuid, stream_id text, version bigint, type text, data json, metadata json)`);
  const pool = new pg.Pool({ connectionString: testDatabaseUrl, max: CEILING_POOL });
  const values = Array.from({ length: BATCH }, (_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`).join(', ');
  const insert = `INSERT INTO ${quoted}.bare_events (id, stream_id, version, type, data, metadata) VALUES ${values}`;
  const ceiling = await forSeconds(SECONDS, STREAMS, async (lane, n) => {
    const params = Array.from({ length: BATCH }, (_, i) => [
      crypto.randomUUID(), `battle-b${lane}`, n * BATCH + i, 'AbilityCast',
      JSON.stringify(eventData(lane, n * BATCH + i)), JSON.stringify({ recordedAt: new Date().toISOString() }),
    ]).flat();
    await pool.query(insert, params);
  });
  await pool.end();
  const ceilingPerS = (ceiling.latencies.length * BATCH) / ceiling.elapsed;
  console.log(`(c) raw ceiling, plain INSERT into a bare table (pool ${CEILING_POOL}): ${round(ceilingPerS, 0)} events/s, p99 ${round(percentile(ceiling.latencies, 99))} ms`);

  report({
    bench: 'store',
    events_per_s: round(eventsPerS, 0),
    p50_ms: round(percentile(batched.latencies, 50)),
    p99_ms: round(percentile(batched.latencies, 99)),
    single_events_per_s: round(singlePerS, 0),
    ceiling_events_per_s: round(ceilingPerS, 0),
    ceiling_ratio: round(eventsPerS / ceilingPerS),
    writer_cpu_cores: round(writerCores),
    db_cpu_cores: round(dbCores),
  });
} finally {
  await store.close();
  await db.close();
  await schema.drop();
}
