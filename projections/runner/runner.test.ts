// The projection runner against real PostgreSQL: live updates with exactly-once effect,
// rebuilds that equal the live run, failures that stop only their own projection.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { defineEvent, EventCatalog } from '../../events/catalog.ts';
import type { SqlExecutor, SqlQueryable } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { defineProjection, defineReactor, type Projection } from '../../events/processor.ts';
import { openProjectionRunner, type ProjectionRunner } from './runner.ts';
import { readModelTable } from './tables.ts';

const Scored = defineEvent('Scored', z.strictObject({ player: z.string(), points: z.int() }));
const Poisoned = defineEvent('Poisoned', z.strictObject({ note: z.string() }));
const catalog = new EventCatalog([Scored, Poisoned]);
const logger = pino({ level: 'silent' });

/** Totals per player; `version` lets a test change the handler. */
function scores(version = 1, multiplier = 1): Projection<'totals'> {
  return defineProjection({
    name: 'scores',
    version,
    tables: { totals: { columns: 'player text PRIMARY KEY, points bigint NOT NULL, events integer NOT NULL' } },
    eventTypes: new Set(['Scored']),
    async apply(tx, events, tables) {
      for (const event of events) {
        const { player, points } = event.data as { player: string; points: number };
        await tx.query(
          `INSERT INTO ${tables.totals} (player, points, events) VALUES ($1, $2, 1)
           ON CONFLICT (player) DO UPDATE SET points = ${tables.totals}.points + EXCLUDED.points, events = ${tables.totals}.events + 1`,
          [player, points * multiplier],
        );
      }
    },
  });
}

/** Throws on the first Poisoned event it sees. */
const fragile = defineProjection({
  name: 'fragile',
  version: 1,
  tables: { seen: { columns: 'position bigint PRIMARY KEY' } },
  async apply(tx, events, tables) {
    for (const event of events) {
      if (event.type === 'Poisoned') throw new Error(`cannot handle ${(event.data as { note: string }).note}`);
      await tx.query(`INSERT INTO ${tables.seen} (position) VALUES ($1)`, [event.position]);
    }
  },
});

describe('projection runner (PostgreSQL)', () => {
  let schema: TestSchema;
  let db: SqlExecutor;
  let store: EventStore;
  const runners: ProjectionRunner[] = [];

  before(async () => {
    schema = await createTestSchema('runner');
    db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
    store = await openSqlEventStore({ db, catalog, schema: schema.name, pollIntervalMs: 50 });
  });
  after(async () => {
    for (const runner of runners) await runner.stop();
    await store.close();
    await db.close();
    await schema.drop();
  });

  async function runner(processors: Parameters<typeof openProjectionRunner>[0]['processors'], metrics?: Registry) {
    const opened = await openProjectionRunner({ db, store, schema: schema.name, processors, logger, batchSize: 7, rebuildBatchSize: 11, metrics });
    runners.push(opened);
    return opened;
  }

  async function score(count: number, from = 0): Promise<number> {
    let head = 0;
    for (let i = from; i < from + count; i++) {
      const result = await store.append(`game-${i % 5}`, 'any', [{ type: 'Scored', data: { player: `p${i % 3}`, points: i } }]);
      head = result.positions.at(-1)!;
    }
    return head;
  }

  const rows = (q: SqlQueryable, table: string) => q.query(`SELECT player, points::int AS points, events FROM ${table} ORDER BY player`);
  const expectedTotals = (count: number) =>
    ['p0', 'p1', 'p2'].map((player, p) => {
      const mine = Array.from({ length: count }, (_, i) => i).filter((i) => i % 3 === p);
      return { player, points: mine.reduce((a, b) => a + b, 0), events: mine.length };
    });

  test('applies every event once, live, and reports no lag when caught up', async () => {
    const metrics = new Registry();
    const live = await runner([scores()], metrics);
    await score(20);
    await live.start();
    const head = await score(25, 20);
    await live.waitFor(head);
    assert.deepEqual(await rows(db, readModelTable(schema.name, 'scores', 'totals')), expectedTotals(45));
    const [status] = await live.status();
    assert.equal(status!.state, 'running');
    assert.equal(status!.position, head);
    assert.equal(status!.lagEvents, 0);
    assert.match(await metrics.metrics(), /pantheon_projection_position\{name="scores"\} \d+/);
    await live.stop();
  });

  test('a rebuild produces exactly the live rows, swaps them in, and live updates continue on the new tables', async () => {
    const live = await runner([scores()]);
    await live.start();
    const table = readModelTable(schema.name, 'scores', 'totals');
    let head = await score(10, 45);
    await live.waitFor(head);
    const before = await rows(db, table);
    const generationBefore = (await live.status())[0]!.generation!;

    // Writers keep going during the rebuild.
    const writing = score(30, 55);
    const report = await live.rebuild(['scores']);
    head = await writing;
    await live.waitFor(head);
    assert.ok(report.events >= 55);
    assert.equal((await live.status())[0]!.generation, generationBefore + 1);
    const liveRows = await rows(db, table);
    assert.deepEqual(liveRows, expectedTotals(85));
    assert.notDeepEqual(liveRows, before);

    // A rebuild from the log, in a second runner with nothing running, gives identical rows.
    const offline = await openProjectionRunner({ db, store, schema: schema.name, processors: [scores()], logger });
    await offline.rebuild(['scores']);
    assert.deepEqual(await rows(db, table), liveRows);
    await live.stop();
  });

  test('a failing handler stops only its projection, and says why', async () => {
    const seenByReactor: number[] = [];
    const counter = defineReactor({ name: 'counter', async react(events) { seenByReactor.push(...events.map((e) => e.position)); } });
    const live = await runner([scores(), fragile, counter]);
    await live.start();
    await store.append('game-x', 'any', [{ type: 'Poisoned', data: { note: 'bad omen' } }]);
    const head = await score(5, 85);
    await live.waitFor(head, ['scores', 'counter']);
    await assert.rejects(live.waitFor(head, ['fragile']), /fragile is failed: cannot handle bad omen/);
    const statuses = Object.fromEntries((await live.status()).map((s) => [s.name, s]));
    assert.equal(statuses.fragile!.state, 'failed');
    assert.match(statuses.fragile!.error!, /bad omen/);
    assert.ok(statuses.fragile!.lagEvents >= 6);
    assert.equal(statuses.scores!.state, 'running');
    assert.equal(statuses.counter!.state, 'running');
    assert.equal(seenByReactor.at(-1), head);
    // The failed projection wrote nothing of the batch that failed.
    const poisonAt = head - 5;
    const seen = await db.query(`SELECT count(*)::int AS n FROM ${readModelTable(schema.name, 'fragile', 'seen')} WHERE position >= $1`, [poisonAt]);
    assert.equal(seen[0]!.n, 0);
    await live.stop();
  });

  test('a changed handler version rebuilds its projection on start', async () => {
    const head = await store.headPosition();
    const doubled = await runner([scores(2, 2)]);
    await doubled.start();
    await doubled.waitFor(head);
    const totals = await rows(db, readModelTable(schema.name, 'scores', 'totals'));
    assert.deepEqual(totals, expectedTotals(90).map((row) => ({ ...row, points: row.points * 2 })));
    assert.equal((await doubled.status())[0]!.version, 2);
    await doubled.stop();
  });

  test('two replicas of one projection never apply an event twice', async () => {
    const a = await runner([scores(2, 2)]);
    const b = await runner([scores(2, 2)]);
    await Promise.all([a.start(), b.start()]);
    const head = await score(40, 90);
    await Promise.all([a.waitFor(head), b.waitFor(head)]);
    const totals = await rows(db, readModelTable(schema.name, 'scores', 'totals'));
    assert.deepEqual(totals, expectedTotals(130).map((row) => ({ ...row, points: row.points * 2 })));
    await Promise.all([a.stop(), b.stop()]);
  });

  test('unknown and reactor names are refused by rebuild with codes', async () => {
    const live = await runner([scores(2, 2), defineReactor({ name: 'mailer', async react() {} })]);
    await assert.rejects(live.rebuild(['nope']), { code: 'projections/unknown' });
    await assert.rejects(live.rebuild(['mailer']), { code: 'projections/not_rebuildable' });
  });
});
