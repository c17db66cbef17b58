// Legions against the local PostgreSQL: founding, invites and join requests, roles, and the
// treasury through the wallet, where an officer spends and a member is refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { FriendsService } from '../friends/service.ts';
import { WalletService } from '../wallet/service.ts';
import { LegionService } from './service.ts';

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
let wallets: WalletService;
let friends: FriendsService;
let legions: LegionService;

before(async () => {
  schema = await createTestSchema('legions');
  db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 100 });
  wallets = new WalletService({ store });
  friends = new FriendsService({ store });
  legions = new LegionService({ store, wallets, friends });
});
after(async () => {
  await store.close();
  await db.close();
  await schema.drop();
});

async function legionOf(leader: string, officer: string, member: string): Promise<string> {
  const founded = await legions.found(leader, 'Children of the Oracle', 'ORCL');
  assert.ok(founded.ok);
  const legionId = founded.legion.legionId!;
  assert.ok((await legions.invite(legionId, leader, officer)).ok);
  assert.ok((await legions.act({ type: 'AcceptInvite', legionId, playerId: officer })).ok);
  assert.ok((await legions.act({ type: 'RequestJoin', legionId, playerId: member })).ok);
  assert.ok((await legions.act({ type: 'Approve', legionId, by: leader, playerId: member })).ok);
  assert.ok((await legions.act({ type: 'SetRole', legionId, by: leader, playerId: officer, role: 'officer' })).ok);
  return legionId;
}

describe('legions', () => {
  test('an officer spends from the treasury; a member is refused and the treasury keeps its coins', async () => {
    const legionId = await legionOf('t-lead', 't-officer', 't-member');
    assert.ok((await wallets.execute({ type: 'Credit', playerId: 't-member', idempotencyKey: 'seed', currency: 'coins', amount: 500, counterAccount: 'system:rewards', reason: 'test.seed' })).ok);
    const given = await legions.contribute(legionId, 't-member', { currency: 'coins', amount: 300, idempotencyKey: 'gift-1' });
    assert.ok(given.ok);
    // A retried contribution moves nothing more.
    assert.ok((await legions.contribute(legionId, 't-member', { currency: 'coins', amount: 300, idempotencyKey: 'gift-1' })).ok);
    assert.equal((await legions.treasury(legionId)).balances.coins, 300);
    assert.equal((await wallets.wallet('t-member')).balances.coins, 200);

    const refused = await legions.spend(legionId, 't-member', { currency: 'coins', amount: 100, idempotencyKey: 'banner-1' });
    assert.deepEqual(refused.ok ? 'spent' : refused.code, 'legion/not_officer');
    const outsider = await legions.spend(legionId, 't-stranger', { currency: 'coins', amount: 100, idempotencyKey: 'banner-2' });
    assert.deepEqual(outsider.ok ? 'spent' : outsider.code, 'legion/not_member');
    assert.equal((await legions.treasury(legionId)).balances.coins, 300);

    const spent = await legions.spend(legionId, 't-officer', { currency: 'coins', amount: 120, idempotencyKey: 'banner-3', reason: 'legion.banner' });
    assert.ok(spent.ok);
    assert.equal((await legions.treasury(legionId)).balances.coins, 180);
    const tooMuch = await legions.spend(legionId, 't-lead', { currency: 'coins', amount: 1000, idempotencyKey: 'banner-4' });
    assert.deepEqual(tooMuch.ok ? 'spent' : tooMuch.code, 'wallet/insufficient_funds');
  });

  test('inviting a stranger to a legion you do not run, or a player who blocks you, is refused with codes', async () => {
    const legionId = await legionOf('s-lead', 's-officer', 's-member');
    const byMember = await legions.invite(legionId, 's-member', 's-stranger');
    assert.deepEqual(byMember.ok ? 'invited' : byMember.code, 'legion/not_officer');
    const byOutsider = await legions.invite(legionId, 's-stranger', 's-other');
    assert.deepEqual(byOutsider.ok ? 'invited' : byOutsider.code, 'legion/not_officer');
    assert.ok((await friends.act('Block', 's-blocker', 's-officer')).ok);
    const blocked = await legions.invite(legionId, 's-officer', 's-blocker');
    assert.deepEqual(blocked.ok ? 'invited' : blocked.code, 'legion/blocked');
    const notInvited = await legions.act({ type: 'AcceptInvite', legionId, playerId: 's-blocker' });
    assert.deepEqual(notInvited.ok ? 'joined' : notInvited.code, 'legion/not_invited');
    // Officers do not change roles; the leader hands over and becomes an officer.
    const promoted = await legions.act({ type: 'SetRole', legionId, by: 's-officer', playerId: 's-member', role: 'officer' });
    assert.deepEqual(promoted.ok ? 'changed' : promoted.code, 'legion/not_leader');
    const handed = await legions.act({ type: 'SetRole', legionId, by: 's-lead', playerId: 's-officer', role: 'leader' });
    assert.ok(handed.ok);
    assert.deepEqual(handed.legion.members, { 's-lead': 'officer', 's-officer': 'leader', 's-member': 'member' });
  });
});
