// Audits against streams in a real PostgreSQL: played matches audit clean; rows edited,
// deleted or inserted in the commits table are tampered at their version; a forged
// outcome with a recomputed hash chain diverges at its tick; each stream is replayed with
// the rules version it was recorded with.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyStream } from '../../events/hashChain.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { RoomActor } from '../../rooms/shared/actor.ts';
import { battleRules } from '../../rooms/battle/rulesVersions.ts';
import { battleKind } from '../../rooms/battle/room.ts';
import { createBattleDecider } from '../../rooms/battle/rules.ts';
import { contentByVersion, parseContent, type ContentInput } from '../../events/content/index.ts';
import { raidKind } from '../../rooms/raid/room.ts';
import { raidRules } from '../../rooms/raid/rulesVersions.ts';
import { ritualKind } from '../../rooms/ritual/room.ts';
import { ritualRules } from '../../rooms/ritual/rulesVersions.ts';
import { anyKind, createRulesRegistry, RulesVersionError } from '../../events/tick/rulesVersions.ts';
import type { RoomKind } from '../../events/tick/roomKind.ts';
import { auditRecorded, auditRecordedCooperatively, auditStream, AuditError, type AuditDeps } from './audit.ts';
import { roomRules } from '../../rooms/rulesRegistry.ts';
import { battlePlayers, battleSetup, raidPlayers, raidSetup, recordRoom, ritualPlayers, ritualSetup, simulateRoom } from '../../load-tests/simulate/room.ts';
import { forger, type Forger } from '../../events/testing/tampering.ts';

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
let forge: Forger;
const catalog = createCatalog();
const deps: AuditDeps = { rules: roomRules, catalog };

before(async () => {
  schema = await createTestSchema('audit');
  db = await openPgExecutor({ connectionString: testDatabaseUrl });
  store = await openSqlEventStore({ db, catalog, schema: schema.name });
  forge = forger(db, schema.name);
});
after(async () => {
  await store.close();
  await db.close();
  await schema.drop();
});

let rooms = 0;
/** A duel of one oracle each, played by its rules and appended a tick at a time, as a room does. */
async function playedBattle(kind: RoomKind<any, any, any, any> = battleKind): Promise<string> {
  const roomId = `audit-${++rooms}`;
  const played = simulateRoom(kind, { roomId, setup: battleSetup(['ana', 'bo'], { tickLimit: 600 }), seed: `audit-test-seed-${rooms}-000000` }, battlePlayers({ everyTicks: 10, spamEvery: 5 }));
  await recordRoom(store, played);
  return played.streamId;
}

async function readStream(streamId: string) {
  return store.readStream(streamId, { raw: true });
}

/** The audit's chain check agrees with the store's own verifyStream. */
async function assertChainAgrees(streamId: string, tampered: { version: number; reason: string } | null) {
  const verdict = await verifyStream(store, streamId);
  assert.deepEqual(tampered, verdict.intact ? null : { version: verdict.version, reason: verdict.reason });
}

describe('clean streams', () => {
  test('a battle played through the room actor audits clean', async () => {
    const setup = battleKind.setup.parse(battleSetup(['ana', 'bo']));
    const actor = await RoomActor.create(battleKind, store, 'actor-played', setup, 'actor-played-seed-0001');
    const policy = battlePlayers({ everyTicks: 9, spamEvery: 4 });
    for (let tick = 1; actor.status === 'running' && tick <= 4000; tick++) {
      for (const input of policy(actor.state, tick)) actor.enqueue(input);
      await actor.step();
    }
    assert.equal(actor.status, 'over', 'the battle was played to its end');
    const report = await auditStream(store, actor.streamId, deps);
    assert.equal(report.verdict, 'clean');
    assert.deepEqual([report.kind, report.rulesVersion, report.lastVersion, report.ticks], ['battle', 'battle/1', actor.version, actor.tick]);
  });

  test('a raid and a ritual audit clean, each with its own kind and rules', async () => {
    const raid = simulateRoom(raidKind, { roomId: 'audit-raid', setup: raidSetup(['ka', 'lu', 'mo'], { tickLimit: 1200 }), seed: 'audit-raid-seed-000001' }, raidPlayers({ everyTicks: 10 }));
    const ritual = simulateRoom(ritualKind, { roomId: 'audit-ritual', setup: ritualSetup(['ka', 'lu']), seed: 'audit-ritual-seed-01' }, ritualPlayers());
    await recordRoom(store, raid);
    await recordRoom(store, ritual);
    const raidReport = await auditStream(store, raid.streamId, deps);
    const ritualReport = await auditStream(store, ritual.streamId, deps);
    assert.deepEqual([raidReport.verdict, raidReport.kind, raidReport.rulesVersion, raidReport.ticks], ['clean', 'raid', 'raid/1', raid.lastTick]);
    assert.deepEqual([ritualReport.verdict, ritualReport.kind, ritualReport.rulesVersion], ['clean', 'ritual', 'ritual-rules/1']);
  });

  test('the worker\'s cooperative audit lets other work run while it replays, and agrees with the plain one', async () => {
    const stream = await playedBattle();
    const stored = await readStream(stream);
    const order: string[] = [];
    setImmediate(() => order.push('a room ticked'));
    const report = await auditRecordedCooperatively(stream, stored, deps);
    order.push('audit done');
    assert.deepEqual(order, ['a room ticked', 'audit done']);
    assert.deepEqual(report, auditRecorded(stream, stored, deps));
    assert.equal(report.verdict, 'clean');
  });

  test('an unknown stream is an error, not a verdict', async () => {
    await assert.rejects(auditStream(store, 'battle-never-played', deps), (error: unknown) => error instanceof AuditError && error.code === 'audit/unknown_stream');
  });
});

describe('tampering in PostgreSQL', () => {
  test('an edited event is tampered at its version', async () => {
    const stream = await playedBattle();
    const damage = (await readStream(stream)).find((e) => e.type === 'DamageDealt')!;
    await forge.edit(stream, damage.version, (data) => { data.amount = 9999; });
    const report = await auditStream(store, stream, deps);
    assert.equal(report.verdict, 'tampered');
    assert.deepEqual(report.tampered, { version: damage.version, reason: 'stored hash does not match its content and predecessor' });
    assert.deepEqual([report.kind, report.rulesVersion], ['battle', 'battle/1']);
    await assertChainAgrees(stream, report.tampered);
  });

  test('a deleted event is tampered where it went missing', async () => {
    const stream = await playedBattle();
    const accepted = (await readStream(stream)).filter((e) => e.type === 'CommandAccepted')[3]!;
    await forge.remove(stream, accepted.version);
    const report = await auditStream(store, stream, deps);
    assert.deepEqual([report.verdict, report.tampered?.version], ['tampered', accepted.version]);
    await assertChainAgrees(stream, report.tampered);
  });

  test('an inserted event is tampered where it was slipped in', async () => {
    const stream = await playedBattle();
    const events = await readStream(stream);
    const damage = events.filter((e) => e.type === 'DamageDealt')[2]!;
    await forge.insert(stream, damage.version, events.find((e) => e.type === 'DamageDealt')!.version);
    const report = await auditStream(store, stream, deps);
    assert.deepEqual([report.verdict, report.tampered?.version], ['tampered', damage.version]);
    await assertChainAgrees(stream, report.tampered);
  });

  test('a forged outcome with a recomputed chain diverges at its tick, with what differs', async () => {
    const stream = await playedBattle();
    const events = await readStream(stream);
    const ended = events.find((e) => e.type === 'BattleEnded')!;
    const original = ended.data as { winnerSide: string | null };
    const forgedWinner = original.winnerSide === 'a' ? 'b' : 'a';
    await forge.forgeWithValidChain(stream, ended.version, (data) => { data.winnerSide = forgedWinner; });

    const report = await auditStream(store, stream, deps);
    assert.equal(report.verdict, 'diverged');
    assert.deepEqual([report.divergence?.tick, report.divergence?.version], [ended.metadata.tick, ended.version]);
    assert.equal(report.divergence?.expected?.type, 'BattleEnded');
    assert.deepEqual(report.divergence?.diff, [`data.winnerSide: recorded "${forgedWinner}", re-simulated ${JSON.stringify(original.winnerSide)}`]);
  });

  test('a forged damage roll mid-match diverges at that tick, though every hash checks out', async () => {
    const stream = await playedBattle();
    const damage = (await readStream(stream)).filter((e) => e.type === 'DamageDealt')[4]!;
    await forge.forgeWithValidChain(stream, damage.version, (data) => { data.amount = 1; });
    const report = await auditStream(store, stream, deps);
    assert.deepEqual([report.verdict, report.tampered, report.divergence?.tick, report.divergence?.version], ['diverged', null, damage.metadata.tick, damage.version]);
    assert.match(report.divergence!.diff[0]!, /^data\.amount: recorded 1, re-simulated \d+$/);
  });

  test('a stream cut short by whole ticks is tampered when an earlier audit saw more', async () => {
    const stream = await playedBattle();
    const events = await readStream(stream);
    const lastTick = events.at(-1)!.metadata.tick;
    const cut = events.filter((e) => e.metadata.tick === lastTick).reverse();
    for (const event of cut) await forge.remove(stream, event.version);
    assert.equal((await auditStream(store, stream, deps)).verdict, 'clean', 'neither the chain nor a replay can see whole ticks cut at the end');
    const report = await auditStream(store, stream, deps, { knownLastVersion: events.at(-1)!.version });
    assert.deepEqual([report.verdict, report.tampered?.version], ['tampered', cut.at(-1)!.version]);
  });
});

describe('rules versions', () => {
  // A "battle/2" whose abilities hit twice as hard: a rule change that alters every replay.
  const published = contentByVersion('2026.11.1');
  const harder = parseContent({
    ...(structuredClone(published) as ContentInput),
    abilities: published.abilities.map((a) => ({ ...a, effects: a.effects.map((e) => ('power' in e && e.kind === 'damage' ? { ...e, power: e.power * 2 } : e)) })),
  });
  const battleV2: typeof battleKind = {
    ...battleKind,
    decider: createBattleDecider(() => harder),
    create(setup, room) {
      const decision = battleKind.create(setup, room);
      return decision.ok ? { ok: true, events: decision.events.map((e) => ({ ...e, data: { ...e.data, rulesVersion: 'battle/2' } }) as typeof e) } : decision;
    },
  };
  const bothVersions = createRulesRegistry([
    { ...battleRules, current: 'battle/2', versions: [...battleRules.versions, { version: 'battle/2', kind: anyKind(battleV2) }] },
    raidRules,
    ritualRules,
  ]);

  test('streams recorded under each version audit clean with their own version', async () => {
    const old = await playedBattle(battleKind);
    const newer = await playedBattle(battleV2);
    const oldReport = await auditStream(store, old, { rules: bothVersions, catalog });
    const newReport = await auditStream(store, newer, { rules: bothVersions, catalog });
    assert.deepEqual([oldReport.verdict, oldReport.rulesVersion], ['clean', 'battle/1']);
    assert.deepEqual([newReport.verdict, newReport.rulesVersion], ['clean', 'battle/2']);
  });

  test('the version matters: a battle/2 stream replayed with battle/1 rules diverges at its first blow', async () => {
    const newer = await playedBattle(battleV2);
    const wrongRules = createRulesRegistry([{ ...battleRules, versions: [...battleRules.versions, { version: 'battle/2', kind: anyKind(battleKind) }] }]);
    const report = await auditStream(store, newer, { rules: wrongRules, catalog });
    const firstBlow = (await readStream(newer)).find((e) => e.type === 'DamageDealt')!;
    assert.deepEqual([report.verdict, report.divergence?.version], ['diverged', firstBlow.version]);
  });

  test('a rules version this build does not know is a clear error', async () => {
    const newer = await playedBattle(battleV2);
    await assert.rejects(auditStream(store, newer, deps), (error: unknown) => {
      assert.ok(error instanceof RulesVersionError);
      assert.equal(error.code, 'rules/unknown_version');
      assert.equal(error.message, `${newer} was recorded with battle rules "battle/2", which this build cannot replay (known: battle/1)`);
      return true;
    });
  });

  test('a stream that is no room is refused by name', async () => {
    await store.append('wallet-ana', 'no_stream', [{ type: 'CommandAccepted', data: { tick: 0, playerId: 'ana', command: { type: 'Deposit' } } }]);
    await assert.rejects(auditStream(store, 'wallet-ana', deps), (error: unknown) => error instanceof RulesVersionError && error.code === 'rules/not_a_room_stream');
  });
});
