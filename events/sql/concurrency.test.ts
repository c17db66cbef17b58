// The late-commit proof on a real PostgreSQL: eight writers, each its own store and
// pool as separate processes would be, commit with random delays while two subscribers
// (one from the start, one started midway) must each see every event exactly once, in
// one order consistent with every stream's versions.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { defineEvent, EventCatalog } from '../catalog.ts';
import type { RecordedEvent } from '../envelope.ts';
import type { EventStore, Subscription } from '../store.ts';
import type { SqlExecutor } from './executor.ts';
import { openPgExecutor } from './pgExecutor.ts';
import { openSqlEventStore } from './sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl } from './testing/schema.ts';
import type { TestSchema } from './testing/schema.ts';

const WRITERS = 8;
const STREAMS = 200;
const EVENTS = 20_000;
const IN_FLIGHT_PER_WRITER = 12;

const Tick = defineEvent('TickRecorded', z.object({ writer: z.number().int(), n: z.number().int() }));
const catalog = new EventCatalog([Tick]);

/** A small seeded generator, so a failing run can be repeated with the seed it printed. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

/**
 * Wraps an executor so its appends commit late: each append statement runs inside an
 * explicit transaction, and some sleep before it and some after it, before COMMIT (while
 * holding what the statement locked), as a slow or preempted writer would.
 */
let lateCommits = 0;

function withCommitDelays(db: SqlExecutor, random: () => number): SqlExecutor {
  return {
    ...db,
    query: (text, params) => {
      if (!text.includes('abort_append')) return db.query(text, params);
      return db.transaction(async (tx) => {
        if (random() < 0.3) await tx.query('SELECT pg_sleep($1)', [random() * 0.02]);
        const rows = await tx.query(text, params);
        if (random() < 0.2) {
          await tx.query('SELECT pg_sleep($1)', [random() * 0.005]);
          lateCommits++;
        }
        return rows;
      }) as never;
    },
  };
}

async function drain(subscription: Subscription, count: number): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of subscription) {
    out.push(event);
    if (out.length === count) break;
  }
  return out;
}

function assertExactlyOnceInOrder(events: RecordedEvent[], appendedIds: Set<string>): void {
  assert.equal(events.length, appendedIds.size);
  assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'an event was delivered twice');
  for (const event of events) assert.ok(appendedIds.has(event.id), `delivered ${event.id}, which no writer appended`);
  events.forEach((event, i) => assert.equal(event.position, i + 1, `position ${i + 1} was skipped or reordered`));
  const nextVersion = new Map<string, number>();
  for (const event of events) {
    assert.equal(event.version, nextVersion.get(event.streamId) ?? 0, `${event.streamId} delivered out of version order`);
    nextVersion.set(event.streamId, event.version + 1);
  }
}

let schema: TestSchema;
const executors: SqlExecutor[] = [];
const stores: EventStore[] = [];

before(async () => {
  schema = await createTestSchema('concurrency');
});
after(async () => {
  for (const store of stores) await store.close();
  for (const db of executors) await db.close();
  await schema.drop();
});

async function openStore(db: SqlExecutor): Promise<EventStore> {
  const store = await openSqlEventStore({ db, catalog, schema: schema.name, pollIntervalMs: 200 });
  stores.push(store);
  return store;
}

test(`${WRITERS} writers, ${EVENTS} events over ${STREAMS} streams, late commits: every subscriber sees each event once, in order`, async () => {
  const seed = Number(process.env.CONCURRENCY_SEED ?? Date.now() % 1_000_000);
  const random = lcg(seed);
  const readerDb = await openPgExecutor({ connectionString: testDatabaseUrl });
  executors.push(readerDb);
  const reader = await openStore(readerDb);
  const early = reader.subscribeAll({ after: 0, batchSize: 500 });
  const earlyDone = drain(early, EVENTS);

  const writers: EventStore[] = [];
  for (let w = 0; w < WRITERS; w++) {
    const db = await openPgExecutor({ connectionString: testDatabaseUrl, max: 4 });
    executors.push(db);
    writers.push(await openStore(withCommitDelays(db, random)));
  }

  const appendedIds = new Set<string>();
  let remaining = EVENTS;
  let late: Promise<RecordedEvent[]> | undefined;
  let lateSubscription: Subscription | undefined;
  const takeBatch = () => {
    const size = Math.min(remaining, 1 + Math.floor(random() * 10));
    remaining -= size;
    return size;
  };
  const lane = async (writer: number) => {
    for (let size = takeBatch(); size > 0; size = takeBatch()) {
      const stream = `battle-s${Math.floor(random() * STREAMS)}`;
      const events = Array.from({ length: size }, (_, n) => ({ type: 'TickRecorded', data: { writer, n } }));
      const result = await writers[writer]!.append(stream, 'any', events);
      for (const event of result.events) appendedIds.add(event.id);
      if (!late && remaining < EVENTS / 2) {
        lateSubscription = reader.subscribeAll({ after: 0, batchSize: 300 });
        late = drain(lateSubscription, EVENTS);
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS * IN_FLIGHT_PER_WRITER }, (_, i) => lane(i % WRITERS)));

  const [fromStart, fromMidway] = await Promise.all([earlyDone, late!]);
  early.close();
  lateSubscription!.close();
  assert.equal(appendedIds.size, EVENTS, `seed ${seed}`);
  assert.ok(lateCommits > 10, `only ${lateCommits} appends committed late: the test did not exercise late commits`);
  assertExactlyOnceInOrder(fromStart, appendedIds);
  assertExactlyOnceInOrder(fromMidway, appendedIds);
  assert.deepEqual(fromMidway.map((e) => e.id), fromStart.map((e) => e.id));
});
