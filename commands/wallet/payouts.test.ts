// The payouts process manager against the real PostgreSQL store: outcome events made by the
// room rules are recorded in their streams, read back in global order and handed to react()
// as the projection runner would, more than once, from more than one process.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import type { Reactor } from '../../events/processor.ts';
import { created as battleCreated, duel, forfeit, play as playBattle, squads, START, TICK_LIMIT } from '../../rooms/battle/testing/fixtures.ts';
import * as raid from '../../rooms/raid/testing/fixtures.ts';
import type { RitualCommand } from '../../rooms/ritual/commands.ts';
import type { RiteKind } from '../../rooms/ritual/content.ts';
import { initialState as ritualInitial, type RitualEvent } from '../../rooms/ritual/events.ts';
import { createRitual, ritualDecider } from '../../rooms/ritual/rules.ts';
import { playOn } from '../../events/testing/ruleTesting.ts';
import { BattleCreated, BattleEnded, PlayerForfeited } from '../../rooms/battle/events.ts';
import { LootDropped } from '../../rooms/raid/events.ts';
import { RitualCompleted, RitualCreated } from '../../rooms/ritual/events.ts';
import { walletEventTypes, type WalletEvent } from './events.ts';
import { BattleLineUp, BattleResult, outcomeTypes, RaidLoot, RitualLineUp, RitualResult } from './outcomes.ts';
import { postings, walletTransfers } from '../../projections/wallets/ledger.ts';
import { createPayoutsReactor } from './payouts.ts';
import { rewardTable } from './rewards.ts';
import { WalletService } from './service.ts';

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
let wallets: WalletService;
let payouts: Reactor;

before(async () => {
  schema = await createTestSchema('wallet_payouts');
  db = await openPgExecutor({ connectionString: testDatabaseUrl });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 100 });
  wallets = new WalletService({ store });
  payouts = createPayoutsReactor({ wallets, store });
});
after(async () => {
  await store.close();
  await db.close();
  await schema.drop();
});

async function record(streamId: string, events: readonly { type: string; data: unknown }[]): Promise<void> {
  await store.append(streamId, 'no_stream', events);
}

async function allEvents(): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for (let from = 1; ; ) {
    const page = await store.readAll({ fromPosition: from, limit: 1000 });
    out.push(...page);
    if (page.length < 1000) return out;
    from = page.at(-1)!.position + 1;
  }
}

/** Hands the reactor every event of its types, in global order, in batches: what the runner does from position 0. */
async function deliver(reactor: Reactor = payouts): Promise<void> {
  const events = (await allEvents()).filter((e) => reactor.eventTypes?.has(e.type) ?? true);
  for (let i = 0; i < events.length; i += 7) await reactor.react(events.slice(i, i + 7));
}

async function fund(playerId: string, coins: number): Promise<void> {
  const result = await wallets.execute({ type: 'Credit', playerId, idempotencyKey: 'fund', currency: 'coins', amount: coins, counterAccount: 'system:grants', reason: 'test.fund' });
  assert.ok(result.ok);
}

const balances = async (...players: string[]) => Object.fromEntries(await Promise.all(players.map(async (p) => [p, (await wallets.wallet(p)).balances])));
const walletLog = async () => (await allEvents()).filter((e): e is RecordedEvent & WalletEvent => walletEventTypes.has(e.type));

/** Sum per `account|currency` over every wallet event recorded. */
async function ledger(): Promise<Map<string, number>> {
  const sums = new Map<string, number>();
  for (const event of await walletLog()) {
    for (const line of walletTransfers(event).flatMap(postings)) sums.set(`${line.account}|${line.currency}`, (sums.get(`${line.account}|${line.currency}`) ?? 0) + line.delta);
  }
  return sums;
}

const wager = { currency: 'coins', amount: 20 };

test('a won 2v2 wager: stakes escrowed at creation, the pot paid to the winners who stayed, rewards on top; redelivery pays nothing more', async () => {
  for (const p of ['p1', 'p2', 'p3', 'p4']) await fund(p, 50);
  // p2 and p4 (side b) forfeit: side a wins the pot of 80.
  await record('battle-won', playBattle([battleCreated({ participants: squads, wager })], [forfeit('p2'), START + 1], [forfeit('p4'), START + 2]));
  await deliver();

  // Winners: 50 - 20 stake + 40 share + 10 participation + 40 victory; 1 ember. Forfeiters lose the stake and earn nothing.
  assert.deepEqual(await balances('p1', 'p2', 'p3', 'p4'), {
    p1: { coins: 120, embers: 1 }, p2: { coins: 30 }, p3: { coins: 120, embers: 1 }, p4: { coins: 30 },
  });
  const sums = await ledger();
  assert.equal(sums.get('escrow:battle-won|coins'), 0);
  assert.equal(sums.get('pot:battle-won|coins'), 0);
  assert.equal(sums.get('system:rewards|coins'), -100);
  assert.equal([...sums.values()].reduce((a, b) => a + b, 0), 0);

  const before = (await walletLog()).length;
  await deliver();
  await deliver();
  const ended = (await store.readStream('battle-won')).at(-1)!;
  await payouts.react([ended, ended]);
  assert.equal((await walletLog()).length, before, 'redelivered outcomes record nothing');
  assert.deepEqual((await balances('p1', 'p2')).p1, { coins: 120, embers: 1 });

  // Each wallet event names the outcome that caused it.
  const settled = (await store.readStream('wallet-p1')).find((e) => e.type === 'WagerSettled');
  assert.equal(settled?.metadata.causationId, ended.id);
});

test('a draw refunds every stake', async () => {
  for (const p of ['p1', 'p2']) await fund(`draw-${p}`, 20);
  const players = duel.map((p) => ({ ...p, playerId: `draw-${p.playerId}` }));
  await record('battle-draw', playBattle([battleCreated({ participants: players, wager })], ['tick', START + TICK_LIMIT - 1]));
  await deliver();
  assert.deepEqual(await balances('draw-p1', 'draw-p2'), { 'draw-p1': { coins: 30 }, 'draw-p2': { coins: 30 } });
  const types = (await store.readStream('wallet-draw-p1')).map((e) => e.type);
  assert.deepEqual(types, ['Credited', 'WagerEscrowed', 'WagerRefunded', 'Credited']);
});

test('a stake that could not be escrowed voids the wager: nobody is paid out of money that was never staked', async () => {
  await fund('rich', 50);
  await fund('poor', 5);
  const players = duel.map((p) => ({ ...p, playerId: p.playerId === 'p1' ? 'rich' : 'poor' }));
  // poor cannot stake 20, forfeits, and rich wins a pot that is half missing.
  await record('battle-void', playBattle([battleCreated({ participants: players, wager })], [forfeit('poor'), START + 1]));
  await deliver();
  assert.deepEqual(await balances('rich', 'poor'), { rich: { coins: 100, embers: 1 }, poor: { coins: 5 } });
  const refusal = (await store.readStream('wallet-poor')).find((e) => e.type === 'WalletCommandRefused');
  assert.equal((refusal?.data as { code: string } | undefined)?.code, 'wallet/insufficient_funds');
  const sums = await ledger();
  assert.equal(sums.get('pot:battle-void|coins'), undefined, 'nothing went through the pot');
  assert.equal(sums.get('escrow:battle-void|coins'), 0);
});

test('a participant whose id no wallet can hold cannot be recorded in a battle, so no wager can reach a wallet it cannot pay', async () => {
  await fund('odd-rival', 50);
  const players = duel.map((p) => ({ ...p, playerId: p.playerId === 'p1' ? 'odd-rival' : 'has a space' }));
  await assert.rejects(record('battle-odd', playBattle([battleCreated({ participants: players, wager })], [forfeit('has a space'), START + 1])), { code: 'store/event_decode_error' });
  await deliver();
  assert.deepEqual(await balances('odd-rival'), { 'odd-rival': { coins: 50 } });
  assert.equal((await ledger()).get('pot:battle-odd|coins'), undefined);
});

test('a raid won: each player who stayed gets the raid victory reward once', async () => {
  const players = raid.trio.map((p) => ({ ...p, playerId: `raid-${p.playerId}` }));
  const T = raid.START + 5;
  await record('raid-r1', raid.play(
    [raid.created({ participants: players }), raid.wounded('ember', 'golem', 970, 30)],
    [raid.forfeit('raid-p2'), T],
    [raid.cast('raid-p1', 'ember', 'solar-flare', 'golem'), T],
  ));
  await deliver();
  await deliver();
  const reward = Object.fromEntries(rewardTable.raid.victory.map((g) => [g.currency, g.amount]));
  assert.deepEqual(await balances('raid-p1', 'raid-p2', 'raid-p3'), { 'raid-p1': reward, 'raid-p2': {}, 'raid-p3': reward });
});

const channel = (playerId: string, rite: RiteKind): RitualCommand => ({ type: 'ChannelRite', playerId, rite });
function ritual(ritualId: string, participants: string[], seed: string, tick: number, ...steps: [RitualCommand, number][]): RitualEvent[] {
  const started = createRitual(ritualInitial(), { ritualId, participants, seed }, { tick });
  assert.ok(started.ok);
  return playOn(ritualDecider)([...started.events], ...steps);
}

test('rituals: a success rewards every participant, a favourable omen adds to it, a failure pays nothing', async () => {
  await record('ritual-vigil', ritual('ember-vigil', ['ana', 'bo'], 's', 0,
    [channel('bo', 'invoke'), 5], [channel('bo', 'offer'), 15], [channel('ana', 'offer'), 25], [channel('bo', 'chant'), 40], [channel('bo', 'seal'), 47]));
  // The Anointing of the Dawn rolls an omen on success: find a seed that reads favourable.
  const dawn = (seed: string) => ritual('anointing-of-the-dawn', ['cyd', 'dee'], seed, 100,
    [channel('cyd', 'invoke'), 105], [channel('dee', 'offer'), 111], [channel('dee', 'chant'), 115], [channel('cyd', 'seal'), 122]);
  const favourable = Array.from({ length: 200 }, (_, i) => dawn(`seed-${i}`)).find((log) => {
    const last = log.at(-1);
    return last?.type === 'RitualCompleted' && last.data.omen === 'favourable';
  });
  assert.ok(favourable, 'some seed reads a favourable omen');
  await record('ritual-dawn', favourable);
  await record('ritual-failed', ritual('ember-vigil', ['eli', 'fox'], 's', 0, [{ type: 'Abandon', playerId: 'eli' }, 3]));
  await deliver();

  const success = { coins: 30, embers: 1 };
  assert.deepEqual(await balances('ana', 'bo', 'cyd', 'dee', 'eli', 'fox'), {
    ana: success, bo: success, cyd: { coins: 30, embers: 3 }, dee: { coins: 30, embers: 3 }, eli: {}, fox: {},
  });
});

test('another process redelivering everything from position 0 pays nothing twice', async () => {
  const before = await walletLog();
  const db2 = await openPgExecutor({ connectionString: testDatabaseUrl });
  const store2 = await openSqlEventStore({ db: db2, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 100 });
  try {
    const fresh = createPayoutsReactor({ wallets: new WalletService({ store: store2 }), store: store2 });
    await deliver(fresh);
  } finally {
    await store2.close();
    await db2.close();
  }
  assert.deepEqual((await walletLog()).map((e) => e.id), before.map((e) => e.id));
  const sums = await ledger();
  for (const c of ['coins', 'embers']) {
    assert.equal([...sums].filter(([k]) => k.endsWith(`|${c}`)).reduce((a, [, v]) => a + v, 0), 0, `${c} ledger sums to zero`);
  }
});

test('what the payouts read of the rooms\' outcome events is what the rooms record', async () => {
  // The names: each is an event some room defines.
  assert.deepEqual(outcomeTypes, {
    battleCreated: BattleCreated.type, battleEnded: BattleEnded.type, playerForfeited: PlayerForfeited.type,
    lootDropped: LootDropped.type, ritualCreated: RitualCreated.type, ritualCompleted: RitualCompleted.type,
  });
  // The shapes: every outcome the store holds from the matches above fits its view.
  const views = new Map<string, { safeParse(data: unknown): { success: boolean } }>([
    [BattleCreated.type, BattleLineUp], [BattleEnded.type, BattleResult], [LootDropped.type, RaidLoot],
    [RitualCreated.type, RitualLineUp], [RitualCompleted.type, RitualResult],
  ]);
  const outcomes = (await allEvents()).filter((e) => views.has(e.type));
  assert.deepEqual(new Set(outcomes.map((e) => e.type)), new Set(views.keys()), 'the matches above record every kind of outcome');
  for (const event of outcomes) assert.ok(views.get(event.type)!.safeParse(event.data).success, `${event.type} at ${event.streamId}@${event.version} fits its view`);
});
