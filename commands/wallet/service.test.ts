// The wallet service over the real PostgreSQL store: concurrency on one wallet, retries
// within and across processes, and what the stream ends up holding.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { EventCatalog } from '../../events/catalog.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import type { Credit, Debit } from './commands.ts';
import { walletEventDefinitions } from './events.ts';
import { WalletService, type WalletResult } from './service.ts';

let schema: TestSchema;
const executors: SqlExecutor[] = [];
const stores: EventStore[] = [];

/** A store of its own on its own connection pool: what another process would have. */
async function openStore(): Promise<EventStore> {
  const db = await openPgExecutor({ connectionString: testDatabaseUrl });
  executors.push(db);
  const store = await openSqlEventStore({ db, catalog: new EventCatalog(walletEventDefinitions), schema: schema.name, pollIntervalMs: 100 });
  stores.push(store);
  return store;
}

before(async () => {
  schema = await createTestSchema('wallet_service');
});
after(async () => {
  for (const store of stores) await store.close();
  for (const db of executors) await db.close();
  await schema.drop();
});

const credit = (playerId: string, key: string, amount: number, currency = 'coins'): Credit => ({
  type: 'Credit', playerId, idempotencyKey: key, currency, amount, counterAccount: 'system:rewards', reason: 'test.credit',
});
const debit = (playerId: string, key: string, amount: number): Debit => ({
  type: 'Debit', playerId, idempotencyKey: key, currency: 'coins', amount, counterAccount: 'shop:items', reason: 'shop.potion',
});
const codes = (results: readonly WalletResult[]) => {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.ok ? 'ok' : r.code] = (counts[r.ok ? 'ok' : r.code] ?? 0) + 1;
  return counts;
};

test('the application catalog registers the wallet events', () => {
  const catalog = createCatalog();
  for (const definition of walletEventDefinitions) assert.ok(catalog.has(definition.type), definition.type);
});

test('1,000 concurrent debits of 1 on a wallet holding 500: exactly 500 succeed and the balance ends at 0', async () => {
  const store = await openStore();
  const wallets = new WalletService({ store });
  const funded = await wallets.execute(credit('alice', 'fund', 500));
  assert.equal(funded.ok, true);

  const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => wallets.execute(debit('alice', `debit-${i}`, 1))));
  assert.deepEqual(codes(results), { ok: 500, 'wallet/insufficient_funds': 500 });
  assert.deepEqual(await wallets.wallet('alice'), { playerId: 'alice', version: 1000, balances: { coins: 0 }, escrowed: {} });

  // The stream holds exactly the credit, the 500 debits and the 500 recorded refusals, and
  // each result names the event that answered it.
  const stream = await store.readStream('wallet-alice');
  assert.equal(stream.length, 1001);
  assert.deepEqual(stream.map((e) => e.type).sort(), ['Credited', ...Array(500).fill('Debited'), ...Array(500).fill('WalletCommandRefused')].sort());
  const byId = new Map(stream.map((e) => [e.id, e]));
  for (const result of results) {
    const [event] = result.events;
    assert.ok(event && byId.get(event.id)?.type === event.type);
  }
  // Balances in the stream never went below zero and only ever fell by one.
  const debited = stream.flatMap((e) => (e.type === 'Debited' ? [(e.data as { balanceAfter: number }).balanceAfter] : []));
  assert.deepEqual(debited, Array.from({ length: 500 }, (_, i) => 499 - i));
});

test('a retried command gets the original result back, a refusal included, and records nothing', async () => {
  const store = await openStore();
  const wallets = new WalletService({ store });
  const first = await wallets.execute(credit('bob', 'reward-1', 50));
  const again = await wallets.execute(credit('bob', 'reward-1', 50));
  assert.ok(first.ok && again.ok);
  assert.equal(again.duplicate, true);
  assert.deepEqual(again.events, first.events);
  assert.deepEqual(again.balance, { coins: 50 });

  const tooMuch = await wallets.execute(debit('bob', 'buy-1', 80));
  assert.equal(!tooMuch.ok && tooMuch.code, 'wallet/insufficient_funds');
  await wallets.execute(credit('bob', 'reward-2', 100));
  // Funds arrived since, but the retry is the same command: it gets the original refusal.
  const retried = await wallets.execute(debit('bob', 'buy-1', 80));
  assert.deepEqual({ ...retried, duplicate: false }, tooMuch);
  assert.equal(retried.duplicate, true);

  // Ten copies at once still answer once.
  const copies = await Promise.all(Array.from({ length: 10 }, () => wallets.execute(debit('bob', 'buy-2', 30))));
  assert.equal(new Set(copies.map((c) => c.events[0]?.id)).size, 1);
  assert.deepEqual(copies.map((c) => c.ok), Array(10).fill(true));
  assert.deepEqual((await wallets.wallet('bob')).balances, { coins: 120 });
  assert.equal((await store.readStream('wallet-bob')).length, 4);
});

test('the same key with a different command is refused with wallet/idempotency_key_reused and changes nothing', async () => {
  const store = await openStore();
  const wallets = new WalletService({ store });
  await wallets.execute(credit('cyd', 'reward-1', 50));
  const reused = await wallets.execute(credit('cyd', 'reward-1', 5000));
  assert.deepEqual({ ok: reused.ok, code: !reused.ok && reused.code, events: reused.events }, { ok: false, code: 'wallet/idempotency_key_reused', events: [] });
  assert.deepEqual((await wallets.wallet('cyd')).balances, { coins: 50 });
  assert.equal((await store.readStream('wallet-cyd')).length, 1);
});

test('malformed commands are refused with command/invalid and record nothing', async () => {
  const store = await openStore();
  const wallets = new WalletService({ store });
  const results = await Promise.all([
    wallets.execute({ ...credit('dee', 'k1', 10), amount: -5 }),
    wallets.execute({ ...credit('dee', 'k2', 10), amount: 1.5 }),
    wallets.execute({ ...credit('dee', 'k3', 10), counterAccount: 'escrow:battle-1' }),
    wallets.execute({ ...credit('dee', 'k4', 10), currency: 'Coins' }),
    wallets.execute({ ...credit('dee', '', 10) }),
    wallets.execute({ type: 'Mint', playerId: 'dee', idempotencyKey: 'k5' }),
  ]);
  for (const result of results) assert.equal(!result.ok && result.code, 'command/invalid', JSON.stringify(result));
  assert.equal(await store.streamVersion('wallet-dee'), -1);
});

test('across processes: a retry in another process, and debits racing from two processes, still answer once each', async () => {
  const [storeA, storeB] = [await openStore(), await openStore()];
  const a = new WalletService({ store: storeA });
  const b = new WalletService({ store: storeB });
  await a.execute(credit('eve', 'fund', 250));
  // B has a stale view of eve's wallet from here on.
  assert.deepEqual((await b.wallet('eve')).balances, { coins: 250 });

  const [fromA, fromB] = await Promise.all([a.execute(debit('eve', 'same', 10)), b.execute(debit('eve', 'same', 10))]);
  assert.ok(fromA.ok && fromB.ok);
  assert.equal(fromA.events[0]?.id, fromB.events[0]?.id);

  const racing = await Promise.all(Array.from({ length: 600 }, (_, i) => (i % 2 ? a : b).execute(debit('eve', `d-${i}`, 1))));
  assert.deepEqual(codes(racing), { ok: 240, 'wallet/insufficient_funds': 360 });
  assert.deepEqual((await a.wallet('eve')).balances, { coins: 0 });
  assert.deepEqual((await b.wallet('eve')).balances, { coins: 0 });
  assert.equal((await storeA.readStream('wallet-eve')).length, 602);

  // A fresh process (nothing cached) answers a retry from the log.
  const restarted = new WalletService({ store: await openStore() });
  const retried = await restarted.execute(debit('eve', 'same', 10));
  assert.equal(retried.duplicate, true);
  assert.equal(retried.events[0]?.id, fromA.events[0]?.id);
});

test('escrow, settle and refund through the service: escrowed funds are shown apart and cannot be spent', async () => {
  const store = await openStore();
  const wallets = new WalletService({ store });
  await wallets.execute(credit('fay', 'fund', 100));
  const staked = await wallets.execute({ type: 'EscrowWager', playerId: 'fay', idempotencyKey: 'stake', wagerId: 'battle-x', currency: 'coins', amount: 60 });
  assert.ok(staked.ok);
  assert.deepEqual(staked.balance, { coins: 40 });
  assert.deepEqual(await wallets.wallet('fay'), { playerId: 'fay', version: 1, balances: { coins: 40 }, escrowed: { coins: 60 } });
  assert.equal(await wallets.wagerStatus('fay', 'battle-x'), 'escrowed');
  const spend = await wallets.execute(debit('fay', 'spend', 50));
  assert.equal(!spend.ok && spend.code, 'wallet/insufficient_funds');
  const won = await wallets.execute({ type: 'SettleWager', playerId: 'fay', idempotencyKey: 'settle', wagerId: 'battle-x', payout: 120 });
  assert.ok(won.ok);
  assert.deepEqual(won.balance, { coins: 160 });
  assert.equal(await wallets.wagerStatus('fay', 'battle-x'), 'settled');
  const late = await wallets.execute({ type: 'RefundWager', playerId: 'fay', idempotencyKey: 'refund', wagerId: 'battle-x' });
  assert.equal(!late.ok && late.code, 'wallet/wager_already_settled');
  assert.equal(await wallets.wagerStatus('fay', 'battle-none'), null);
});

/**
 * A store that runs `between[n]` before the caller's n-th append lands, after the caller read
 * its wallet: another process's write in that gap.
 */
function withWritesBetween(store: EventStore, between: Array<(() => Promise<unknown>) | undefined>): EventStore {
  return {
    ...store,
    readStream: (...args) => store.readStream(...args),
    append: async (...args) => {
      const write = between.shift();
      if (write) await write();
      return store.append(...args);
    },
  };
}

test('a process whose read went stale before its append decides again: after a version conflict, and when its retry meets the other process\'s event', async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  const a = new WalletService({ store: await openStore() });
  await a.execute(credit('gus', 'fund', 100));

  let fromA: WalletResult | undefined;
  const b = new WalletService({
    store: withWritesBetween(await openStore(), [
      // B decided b-1 on 100 coins; A's debit lands first, so B's append meets a newer version.
      () => a.execute(debit('gus', 'a-1', 10)),
      // B's second try at b-1 goes through.
      undefined,
      // B decides a-2 on 70 coins; A answers a-3 and then a-2 on 65: B's event has the id of
      // A's but other content, and the store says so.
      async () => {
        await a.execute(debit('gus', 'a-3', 5));
        fromA = await a.execute(debit('gus', 'a-2', 5));
      },
    ]),
    logger,
  });
  const fromB = await b.execute(debit('gus', 'b-1', 20));
  assert.deepEqual(fromB.ok && fromB.balance, { coins: 70 });
  const retried = await b.execute(debit('gus', 'a-2', 5));
  assert.equal(retried.duplicate, true);
  assert.deepEqual(retried.events, fromA?.events);
  assert.deepEqual(retried.ok && retried.balance, { coins: 60 });

  const decidedAgain = lines.map((line) => JSON.parse(line) as { msg: string; err?: { type: string } }).filter((l) => l.msg.includes('deciding again'));
  assert.deepEqual(decidedAgain.map((l) => l.err?.type), ['ExpectedVersionConflict', 'IdempotencyConflict']);
  assert.deepEqual(await b.wallet('gus'), await a.wallet('gus'));
});

test('a batch another process already recorded further on is answered with its events, and the wallet is folded afresh', async () => {
  const a = new WalletService({ store: await openStore() });
  await a.execute(credit('hal', 'fund', 100));
  let fromA: WalletResult | undefined;
  const b = new WalletService({
    store: withWritesBetween(await openStore(), [
      // B decided h-1 on 100 coins. A stakes 5 and is credited 5 (back to 100 available), then
      // decides h-1 exactly as B did: the same event, two versions further on than B meant.
      async () => {
        await a.execute({ type: 'EscrowWager', playerId: 'hal', idempotencyKey: 'a-stake', wagerId: 'battle-q', currency: 'coins', amount: 5 });
        await a.execute(credit('hal', 'a-credit', 5));
        fromA = await a.execute(debit('hal', 'h-1', 30));
      },
    ]),
  });
  const fromB = await b.execute(debit('hal', 'h-1', 30));
  assert.deepEqual(fromB.events, fromA?.events);
  assert.equal(fromB.duplicate, true);
  // B's wallet holds what A recorded in between (the stake), not just what followed it.
  assert.deepEqual(await b.wallet('hal'), { playerId: 'hal', version: 3, balances: { coins: 70 }, escrowed: { coins: 5 } });
  assert.equal(await b.wagerStatus('hal', 'battle-q'), 'escrowed');
});
