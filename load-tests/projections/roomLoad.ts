// The room load of `npm run bench:projections`, in a process of its own as game servers
// would be: BENCH_ROOMS rooms appending simulated matches tick by tick at 20 Hz for
// BENCH_SECONDS. Play is worked out before the parent says go, so only appends are timed.
import { performance } from 'node:perf_hooks';
import type { NewEvent } from '../../events/envelope.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { matches } from '../simulate/mix.ts';
import { batchesOf } from '../simulate/room.ts';

const ROOMS = Number(process.env.BENCH_ROOMS);
const SECONDS = Number(process.env.BENCH_SECONDS);
const TICK_MS = 50;

const db = await openPgExecutor({ connectionString: process.env.DATABASE_URL!, max: 4 });
const store = await openSqlEventStore({ db, catalog: createCatalog(), schema: process.env.BENCH_SCHEMA! });

type Append = { streamId: string; first: boolean; batch: NewEvent[] };
const source = matches({ seed: 'bench-projections-live', players: 2000, prefix: 'live' });
const ticks = (SECONDS * 1000) / TICK_MS;
const lanes = Array.from({ length: ROOMS }, () => {
  const appends: Append[] = [];
  while (appends.length < ticks) {
    const room = source.next().value;
    batchesOf(room).forEach((batch, index) => appends.push({ streamId: room.streamId, first: index === 0, batch }));
  }
  return appends.slice(0, ticks);
});

process.send!({ ready: true });
await new Promise((resolve) => process.once('message', resolve));

const deadline = performance.now() + SECONDS * 1000;
let appended = 0;
await Promise.all(
  lanes.map(async (appends, lane) => {
    let next = performance.now() + (TICK_MS * lane) / ROOMS;
    const versions = new Map<string, number>();
    for (const { streamId, first, batch } of appends) {
      if (performance.now() >= deadline) break;
      const wait = next - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      next += TICK_MS;
      const result = await store.append(streamId, first ? 'no_stream' : versions.get(streamId)!, batch);
      versions.set(streamId, result.nextExpectedVersion);
      appended += batch.length;
    }
  }),
);
process.send!({ appended });
await store.close();
await db.close();
process.disconnect();
