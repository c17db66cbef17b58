// Every read model together, over a log of real matches played by the rules: a projector
// killed mid-batch (SIGKILL of its process) resumes and ends with exactly the rows a
// rebuild from position 0 produces.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { SqlExecutor } from '../events/sql/executor.ts';
import { openPgExecutor } from '../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../events/sql/testing/schema.ts';
import type { EventStore } from '../events/store.ts';
import { createCatalog } from '../infra/catalog.ts';
import { processManagers } from '../infra/processors.ts';
import { auditWorker } from './anticheat/index.ts';
import { roomRules } from '../rooms/rulesRegistry.ts';
import { startServerProcess } from '../infra/testing/process.ts';
import { fillStore } from '../load-tests/simulate/mix.ts';
import { readModels, readModelTable } from './index.ts';
import { readCheckpoints } from './runner/checkpoints.ts';
import { openProjectionRunner } from './runner/runner.ts';

const projectorProcess = new URL('../infra/testing/projectorProcess.ts', import.meta.url).pathname;

describe('read models over a log of real matches', () => {
  let schema: TestSchema;
  let db: SqlExecutor;
  let store: EventStore;

  before(async () => {
    schema = await createTestSchema('read_models');
    db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
    store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 50 });
  });
  after(async () => {
    await store.close();
    await db.close();
    await schema.drop();
  });

  /** Every row of every read model, in a stable order. */
  async function snapshot(): Promise<Record<string, unknown[]>> {
    const tables: Record<string, unknown[]> = {};
    for (const projection of readModels(roomRules)) {
      for (const key of Object.keys(projection.tables)) {
        const view = readModelTable(schema.name, projection.name, key);
        const rows = await db.query<{ row: unknown }>(`SELECT to_jsonb(t) AS row FROM ${view} t ORDER BY to_jsonb(t)::text`);
        tables[`${projection.name}.${key}`] = rows.map((r) => r.row);
      }
    }
    return tables;
  }

  async function positions(): Promise<Map<string, number>> {
    return new Map((await readCheckpoints(db, schema.name)).map((c) => [c.name, c.position]));
  }

  test('a projector killed mid-batch resumes and ends identical to a rebuild', async () => {
    const names = readModels(roomRules).map((p) => p.name);
    assert.ok(names.length >= 4, `read models registered: ${names.join(', ')}`);
    await fillStore(store, { seed: 'read-models', players: 40, events: 30_000, concurrency: 8 });
    // What the reactors add to the log: payouts (wallet events) and audits (AuditCompleted).
    const logger = pino({ level: 'silent' });
    const reactors = await openProjectionRunner({
      db, store, schema: schema.name, logger,
      processors: [...processManagers(store), auditWorker({ store, rules: roomRules, catalog: createCatalog(), logger })],
    });
    await reactors.start();
    await reactors.waitFor(await store.headPosition());
    await reactors.stop();
    const head = await store.headPosition();

    const env = { DATABASE_URL: testDatabaseUrl, PANTHEON_DB_SCHEMA: schema.name, BATCH_SIZE: '200' };
    const slow = startServerProcess({ ...env, BATCH_DELAY_MS: '40' }, projectorProcess);
    await slow.waitFor('projector started');
    // Wait for real progress, then for a batch transaction to be open, and kill it there.
    await until(async () => [...(await positions()).values()].some((p) => p > 0));
    await until(async () => {
      const open = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep%' AND pid <> pg_backend_pid()`,
      );
      return open[0]!.n > 0;
    });
    slow.kill('SIGKILL');
    await slow.exit;
    const atKill = await positions();
    assert.ok([...atKill.values()].some((p) => p < head), 'the kill landed before the projector caught up');

    const resumed = startServerProcess(env, projectorProcess);
    await resumed.waitFor('projector started');
    await until(async () => {
      const now = await positions();
      return names.every((name) => now.get(name) === head);
    }, 120_000);
    resumed.kill('SIGTERM');
    await resumed.exit;
    const live = await snapshot();
    for (const table of ['wallets.balances', 'wallets.ledger', 'progression.players', 'codex.unlocks', 'leaderboards.standings', 'anticheat.audits', 'spectator.matches']) {
      assert.ok(live[table]?.length, `${table} holds rows (tables: ${Object.keys(live).join(', ')})`);
    }

    const runner = await openProjectionRunner({ db, store, schema: schema.name, processors: readModels(roomRules), logger });
    await runner.rebuild(names);
    assert.deepEqual(await snapshot(), live);
  });
});

async function until(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
