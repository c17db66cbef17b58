// The wallets read model over real PostgreSQL, fed by the real wallet service: what a
// player sees of their balances and ledger, and books that always balance.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { WalletService } from '../../commands/wallet/service.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { openProjectionRunner, type ProjectionRunner } from '../runner/runner.ts';
import { readModelTable } from '../runner/tables.ts';
import { ledgerOf, ledgerTotals, walletOf } from './queries.ts';
import { walletsProjection } from './projection.ts';

describe('wallets read model (PostgreSQL)', () => {
  let schema: TestSchema;
  let db: SqlExecutor;
  let store: EventStore;
  let wallets: WalletService;
  let runner: ProjectionRunner;

  before(async () => {
    schema = await createTestSchema('wallets_rm');
    db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
    store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 50 });
    wallets = new WalletService({ store });
    runner = await openProjectionRunner({ db, store, schema: schema.name, processors: [walletsProjection], logger: pino({ level: 'silent' }) });
    await runner.start();
  });
  after(async () => {
    await runner.stop();
    await store.close();
    await db.close();
    await schema.drop();
  });

  const credit = (playerId: string, amount: number, key: string, currency = 'coins') =>
    wallets.execute({ type: 'Credit', playerId, idempotencyKey: key, currency, amount, counterAccount: 'system:rewards', reason: 'battle.victory' });

  async function settled(): Promise<void> {
    await runner.waitFor(await store.headPosition());
  }

  test('balances show what is available and what is held in escrow, per currency', async () => {
    assert.equal((await credit('ayla', 500, 'c1')).ok, true);
    assert.equal((await credit('ayla', 20, 'c2', 'embers')).ok, true);
    assert.equal((await wallets.execute({ type: 'EscrowWager', playerId: 'ayla', idempotencyKey: 'e1', wagerId: 'battle-w1', currency: 'coins', amount: 100 })).ok, true);
    assert.equal((await wallets.execute({ type: 'Debit', playerId: 'ayla', idempotencyKey: 'd1', currency: 'coins', amount: 50, counterAccount: 'shop:items', reason: 'shop.potion' })).ok, true);
    // Refused: more than is available; nothing moves.
    assert.equal((await wallets.execute({ type: 'Debit', playerId: 'ayla', idempotencyKey: 'd2', currency: 'coins', amount: 10_000, counterAccount: 'shop:items', reason: 'shop.crown' })).ok, false);
    await settled();
    assert.deepEqual(await walletOf(db, schema.name, 'ayla'), {
      playerId: 'ayla',
      balances: [{ currency: 'coins', available: 350, escrowed: 100 }, { currency: 'embers', available: 20, escrowed: 0 }],
    });
    const live = await wallets.wallet('ayla');
    assert.deepEqual(live.balances, { coins: 350, embers: 20 });
  });

  test('a settled wager moves the stake through the pot and pays the winner', async () => {
    await credit('bram', 300, 'c1');
    await wallets.execute({ type: 'EscrowWager', playerId: 'bram', idempotencyKey: 'e1', wagerId: 'battle-w1', currency: 'coins', amount: 100 });
    await wallets.execute({ type: 'SettleWager', playerId: 'ayla', idempotencyKey: 's1', wagerId: 'battle-w1', payout: 200 });
    await wallets.execute({ type: 'SettleWager', playerId: 'bram', idempotencyKey: 's1', wagerId: 'battle-w1', payout: 0 });
    await settled();
    const ayla = await walletOf(db, schema.name, 'ayla');
    assert.deepEqual(ayla.balances[0], { currency: 'coins', available: 550, escrowed: 0 });
    const bram = await walletOf(db, schema.name, 'bram');
    assert.deepEqual(bram.balances[0], { currency: 'coins', available: 200, escrowed: 0 });
    // Every movement is a debit and a credit: the books balance in every currency.
    assert.deepEqual(await ledgerTotals(db, schema.name), [{ currency: 'coins', total: 0 }, { currency: 'embers', total: 0 }]);
    const pot = await db.query<{ total: string }>(`SELECT sum(delta) AS total FROM ${readModelTable(schema.name, 'wallets', 'ledger')} WHERE account = 'pot:battle-w1'`);
    assert.equal(Number(pot[0]!.total), 0);
  });

  test("a player's ledger reads newest first, a page at a time, and the pages add up to the balance", async () => {
    for (let i = 0; i < 12; i++) await credit('cato', 10 + i, `bulk-${i}`);
    await settled();
    const seen: number[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const page = await ledgerOf(db, schema.name, 'cato', { limit: 5, ...(before ? { before } : {}) });
      seen.push(...page.lines.map((line) => line.delta));
      before = page.next ?? undefined;
      pages++;
    } while (before);
    assert.equal(pages, 3);
    assert.deepEqual(seen, Array.from({ length: 12 }, (_, i) => 21 - i));
    const first = await ledgerOf(db, schema.name, 'cato', { limit: 1 });
    assert.equal(first.lines[0]!.reason, 'battle.victory');
    assert.equal(first.lines[0]!.counterAccount, 'system:rewards');
    assert.equal(seen.reduce((a, b) => a + b, 0), (await walletOf(db, schema.name, 'cato')).balances[0]!.available);
  });

  test('a rebuild gives back exactly the live tables', async () => {
    const dump = async () => ({
      balances: await db.query(`SELECT * FROM ${readModelTable(schema.name, 'wallets', 'balances')} ORDER BY player_id, currency`),
      ledger: await db.query(`SELECT * FROM ${readModelTable(schema.name, 'wallets', 'ledger')} ORDER BY position, line`),
    });
    const live = await dump();
    assert.ok(live.ledger.length > 20);
    await runner.rebuild(['wallets']);
    assert.deepEqual(await dump(), live);
  });
});
