// The account service on PostgreSQL: an identity is never held by two players however
// many requests race, and a change cut short by a crash is finished by the next request.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { identityStreamId, playerStreamId, type Identity } from './model.ts';
import { AccountRefused, AccountService } from './service.ts';

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
let accounts: AccountService;
let seq = 0;
const deviceOf = (label: string): Identity => ({ provider: 'guest', subject: `device-${label}-${String(++seq).padStart(8, '0')}` });
const steamOf = (n: number): Identity => ({ provider: 'steam', subject: `7656119${String(n).padStart(10, '0')}` });

before(async () => {
  schema = await createTestSchema('account_service');
  db = await openPgExecutor({ connectionString: testDatabaseUrl });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name });
  accounts = new AccountService({ store });
});
after(async () => {
  await store.close();
  await db.close();
  await schema.drop();
});

async function refusalOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof AccountRefused, String(error));
    return error.code;
  }
  assert.fail('accepted');
}

const types = async (streamId: string) => (await store.readStream(streamId)).map((e) => e.type);

describe('one identity, one player', () => {
  test('twenty simultaneous first sign-ins of one identity make one player', async () => {
    const identity = deviceOf('rush');
    const results = await Promise.all(Array.from({ length: 20 }, () => new AccountService({ store }).signIn(identity, 'Rush')));
    assert.equal(new Set(results.map((r) => r.playerId)).size, 1);
    assert.deepEqual(await types(identityStreamId(identity)), ['IdentityClaimed']);
    assert.deepEqual(await types(playerStreamId(results[0]!.playerId)), ['PlayerRegistered']);
  });

  test('five players linking one Steam account at once: one gets it, the others are refused', async () => {
    const players = await Promise.all(Array.from({ length: 5 }, (_, i) => accounts.signIn(deviceOf(`p${i}`), null)));
    const steam = steamOf(1);
    const outcomes = await Promise.allSettled(players.map((p) => new AccountService({ store }).link(p.playerId, steam, null)));
    const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [players[i]!.playerId] : []));
    assert.equal(won.length, 1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') assert.equal((outcome.reason as AccountRefused).code, 'account/identity_taken');
    }
    assert.deepEqual(await types(identityStreamId(steam)), ['IdentityClaimed']);
    assert.equal(await accounts.holderOf(steam), won[0]);
    for (const p of players) {
      const linked = (await accounts.account(p.playerId))!.identities.some((i) => i.provider === 'steam');
      assert.equal(linked, p.playerId === won[0]);
    }
    assert.equal((await accounts.signIn(steam, null)).playerId, won[0]);
  });

  test('two unlinks racing for the last two identities: one wins, the player keeps one way in', async () => {
    const device = deviceOf('two');
    const { playerId } = await accounts.signIn(device, null);
    const steam = steamOf(2);
    await accounts.link(playerId, steam, null);
    const outcomes = await Promise.allSettled([new AccountService({ store }).unlink(playerId, device), new AccountService({ store }).unlink(playerId, steam)]);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    assert.equal((refused.reason as AccountRefused).code, 'account/last_identity');
    assert.equal((await accounts.account(playerId))!.identities.length, 1);
  });

  test('an identity unlinked from one player can be linked to another; re-linking one already held is a no-op', async () => {
    const a = await accounts.signIn(deviceOf('a'), null);
    const b = await accounts.signIn(deviceOf('b'), null);
    const steam = steamOf(3);
    await accounts.link(a.playerId, steam, null);
    await accounts.link(a.playerId, steam, null);
    assert.equal(await refusalOf(accounts.link(b.playerId, steam, null)), 'account/identity_taken');
    await accounts.unlink(a.playerId, steam);
    await accounts.link(b.playerId, steam, null);
    assert.equal((await accounts.signIn(steam, null)).playerId, b.playerId);
    assert.deepEqual(await types(identityStreamId(steam)), ['IdentityClaimed', 'IdentityReleased', 'IdentityClaimed']);
    assert.equal(await refusalOf(accounts.link('no-such-player', steamOf(4), null)), 'account/not_found');
  });
});

describe('changes cut short', () => {
  test('claimed but never registered: the next sign-in registers that player', async () => {
    const identity = deviceOf('crash1');
    await store.append(identityStreamId(identity), 'no_stream', [{ type: 'IdentityClaimed', data: { identity, playerId: 'crashed-player-1', displayName: 'Half' } }]);
    const signedIn = await accounts.signIn(identity, 'Other name');
    assert.deepEqual(signedIn, { playerId: 'crashed-player-1', created: true, displayName: 'Half' });
    assert.deepEqual(await types(playerStreamId('crashed-player-1')), ['PlayerRegistered']);
  });

  test('claimed for a link but not recorded on the account: the next sign-in records it', async () => {
    const { playerId } = await accounts.signIn(deviceOf('crash2'), null);
    const steam = steamOf(5);
    await store.append(identityStreamId(steam), 'no_stream', [{ type: 'IdentityClaimed', data: { identity: steam, playerId, displayName: null } }]);
    assert.equal((await accounts.signIn(steam, null)).playerId, playerId);
    assert.deepEqual(await types(playerStreamId(playerId)), ['PlayerRegistered', 'IdentityLinked']);
  });

  test('unlinked on the account but the claim never released: the next sign-in releases it and is someone new', async () => {
    const { playerId } = await accounts.signIn(deviceOf('crash3'), null);
    const steam = steamOf(6);
    await accounts.link(playerId, steam, null);
    const version = (await store.readStream(playerStreamId(playerId))).length - 1;
    await store.append(playerStreamId(playerId), version, [{ type: 'IdentityUnlinked', data: { playerId, identity: steam, claimVersion: 0 } }]);
    const again = await accounts.signIn(steam, null);
    assert.notEqual(again.playerId, playerId);
    assert.equal(again.created, true);
    assert.deepEqual(await types(identityStreamId(steam)), ['IdentityClaimed', 'IdentityReleased', 'IdentityClaimed']);
  });
});

test('display names with SQL and odd Unicode go into the log and come back verbatim', async () => {
  const names = ["'; DELETE FROM commits WHERE ''='", '$$ LANGUAGE plpgsql $$', '\\x00\\u0000', '\u202Eevil', 'ﷺ𒀱🏳️‍🌈', 'a\u0301\u0302\u0303'];
  for (const name of names) {
    const identity = deviceOf('names');
    const { playerId } = await accounts.signIn(identity, name);
    const [claimed] = await store.readStream(identityStreamId(identity));
    const [registered] = await store.readStream(playerStreamId(playerId));
    assert.equal((claimed!.data as { displayName: string }).displayName, name);
    assert.equal((registered!.data as { displayName: string }).displayName, name);
    assert.equal((await accounts.account(playerId))!.displayName, name);
  }
});
