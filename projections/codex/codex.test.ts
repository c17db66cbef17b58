// The codex against real PostgreSQL, fed by battles, raids and rituals played through the
// rooms' rules into a real store: what a player finds in their codex and oracron after
// playing, and a rebuild that reproduces the live rows exactly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { loadCodex, parseCodex, type CodexInput } from '../../events/content/index.ts';
import { playBattle, playRaid, playRitual, snapshot } from '../testing/matches.ts';
import { openProjectionRunner, type ProjectionRunner } from '../runner/runner.ts';
import { CODEX_PROJECTION_VERSION, codexOf, CodexView, createCodexProjection, oracronOf, OracronPage, UnlockRules, unlockRulesFingerprint } from './index.ts';

const logger = pino({ level: 'silent' });

// The published codex plus an entry for the fixtures' golem (the published bosses take too
// long to kill in a test), so the per-boss rule is exercised on real raid events.
const published = loadCodex();
const codex = parseCodex({
  ...structuredClone(published),
  codexVersion: '0000.1.1',
  entries: [...structuredClone(published.entries), {
    id: 'codex/golem-fallen', title: 'The Golem Crumbles', category: 'raids', unlock: { kind: 'raid_victory', bossId: 'golem' },
    hint: 'Defeat the golem.', lore: 'It was built to guard a door nobody remembers. The door is still there.',
  }],
} satisfies CodexInput);

test('unlock rules: each feat unlocks exactly the entries whose rule it meets', () => {
  const rules = new UnlockRules(published);
  assert.deepEqual(rules.unlockedBy({ kind: 'raid_won', bossId: 'leviathan', wins: 1 }), ['codex/first-raid', 'codex/leviathan-fallen']);
  assert.deepEqual(rules.unlockedBy({ kind: 'raid_won', bossId: 'behemoth', wins: 5 }), ['codex/first-raid', 'codex/behemoth-fallen', 'codex/raid-veteran']);
  assert.deepEqual(rules.unlockedBy({ kind: 'battle_won', wins: 9 }), ['codex/first-crown']);
  assert.deepEqual(rules.unlockedBy({ kind: 'battle_won', wins: 10 }), ['codex/first-crown', 'codex/crown-of-ten']);
  assert.deepEqual(rules.unlockedBy({ kind: 'ritual', entryId: 'codex/tidecall' }), ['codex/tidecall']);
  assert.deepEqual(rules.unlockedBy({ kind: 'ritual', entryId: 'codex/unknown' }), []);
  assert.deepEqual(rules.unlockedBy({ kind: 'oracle_fielded', element: 'air' }), ['codex/oracle-of-wind']);
  assert.deepEqual(rules.unlockedBy({ kind: 'deed', deed: 'comeback' }), ['codex/ember-in-the-ash']);
});

test('the published unlock rules are the ones this projection version was built for', () => {
  // Unlocks already in the tables were decided by these rules; changing them needs a rebuild.
  const pinned = { version: 2, fingerprint: 'f3b1acab8245e7ecdf183fe3f0ef2a3cf04890554de778efd1c2ce28b922ca78' };
  assert.deepEqual(
    { version: CODEX_PROJECTION_VERSION, fingerprint: unlockRulesFingerprint(published) },
    pinned,
    'the codex unlock rules changed: bump CODEX_PROJECTION_VERSION (the runner rebuilds the unlocks on start) and pin the new fingerprint',
  );
});

describe('codex read model (PostgreSQL)', () => {
  let schema: TestSchema;
  let db: SqlExecutor;
  let store: EventStore;
  let runner: ProjectionRunner;
  const projection = createCodexProjection(codex);

  before(async () => {
    schema = await createTestSchema('codex');
    db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
    store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 20 });
    runner = await openProjectionRunner({ db, store, schema: schema.name, processors: [projection], logger, batchSize: 7 });
    await runner.start();
  });
  after(async () => {
    await runner.stop();
    await store.close();
    await db.close();
    await schema.drop();
  });

  async function codexOfPlayer(playerId: string): Promise<CodexView & { has: (id: string) => boolean }> {
    await runner.waitFor(await store.headPosition());
    const view = CodexView.parse(await codexOf(db, schema.name, playerId, { codex }));
    return { ...view, has: (id) => view.entries.find((e) => e.id === id)?.unlocked ?? false };
  }

  test('a player who never played sees every entry locked, with hints and no lore', async () => {
    const view = await codexOfPlayer('nobody');
    assert.deepEqual([view.unlocked, view.total], [0, codex.entries.length]);
    assert.ok(view.entries.every((e) => !e.unlocked && e.lore === null && e.hint.length > 0));
  });

  test('a successful ritual unlocks its entries for every participant; an abandoned one unlocks nothing', async () => {
    const stream = await playRitual(store, { ritualRoomId: 'dawn-1', ritualId: 'anointing-of-the-dawn', participants: ['ana', 'bo'] });
    await playRitual(store, { ritualRoomId: 'tide-1', ritualId: 'tidecall', participants: ['ana', 'bo', 'cy'], abandon: { playerId: 'cy', atTick: 4 } });
    const completed = stream.find((e) => e.type === 'RitualCompleted')!;
    for (const playerId of ['ana', 'bo']) {
      const view = await codexOfPlayer(playerId);
      const hymn = view.entries.find((e) => e.id === 'codex/dawn-hymn')!;
      assert.equal(hymn.unlocked, true);
      assert.match(hymn.lore!, /sung awake/);
      assert.deepEqual(hymn.unlockedAt, { position: completed.position, streamId: 'ritual-dawn-1', eventId: completed.id });
      assert.ok(view.has('codex/first-light'));
      assert.equal(view.has('codex/tidecall'), false);
    }
    assert.equal((await codexOfPlayer('cy')).unlocked, 0);
  });

  test('a won battle with critical hits: the fielded element, the first crown, the killing star, and deeds in the oracron', async () => {
    const stream = await playBattle(store, { battleId: 'crit-1', dice: 'crits', participants: [{ playerId: 'ana', side: 'a' }, { playerId: 'bo', side: 'b', element: 'water' }], active: ['ana'] });
    const ana = await codexOfPlayer('ana');
    for (const id of ['codex/oracle-of-flame', 'codex/first-crown', 'codex/killing-star', 'codex/starfall', 'codex/unbroken']) assert.ok(ana.has(id), id);
    assert.equal(ana.has('codex/oracle-of-tides'), false);
    const bo = await codexOfPlayer('bo');
    assert.ok(bo.has('codex/oracle-of-tides'));
    assert.equal(bo.has('codex/first-crown'), false);

    const finishing = stream.find((e) => e.type === 'DamageDealt' && (e.data as { hpAfter: number }).hpAfter === 0)!;
    assert.deepEqual(ana.recentDeeds.map((d) => [d.deed, d.oracleId]), [['flawless_victory', 'ana-o1'], ['critical_finishing_blow', 'ana-o1']]);
    assert.deepEqual(ana.recentDeeds[1], {
      oracleId: 'ana-o1', deed: 'critical_finishing_blow', streamId: 'battle-crit-1', position: finishing.position, tick: finishing.metadata.tick,
      details: { targetId: 'bo-o1', abilityId: (finishing.data as { cause: { abilityId: string } }).cause.abilityId, amount: (finishing.data as { amount: number }).amount },
    });
    assert.deepEqual(bo.recentDeeds, []);
  });

  test('a win from the brink is a comeback; a draw is the even scales', async () => {
    // Without dice, a fire mirror match goes to the side that strikes first, left with 15 of 480 HP.
    await playBattle(store, { battleId: 'mirror-1', dice: 'steady', participants: [{ playerId: 'dee', side: 'a' }, { playerId: 'eli', side: 'b' }] });
    const dee = await codexOfPlayer('dee');
    assert.ok(dee.has('codex/ember-in-the-ash'));
    assert.equal(dee.has('codex/unbroken'), false);
    assert.deepEqual(dee.recentDeeds.map((d) => [d.deed, d.details]), [['comeback', { lowestHp: 15, maxHp: 480 }]]);

    await playBattle(store, { battleId: 'draw-1', tickLimit: 20, participants: [{ playerId: 'dee', side: 'a' }, { playerId: 'fay', side: 'b', element: 'air' }], active: [] });
    assert.ok((await codexOfPlayer('fay')).has('codex/even-scales'));
    assert.ok((await codexOfPlayer('fay')).has('codex/oracle-of-wind'));
  });

  test('a raid victory unlocks the raid entries, per boss, and the slayer gets the giantsbane deed', async () => {
    const stream = await playRaid(store, { raidId: 'raid-1', participants: [{ playerId: 'gus' }, { playerId: 'hal', element: 'earth' }] });
    const slain = stream.find((e) => e.type === 'BossDefeated')!;
    const slayer = (slain.data as { byOracleId: string }).byOracleId;
    for (const playerId of ['gus', 'hal']) {
      const view = await codexOfPlayer(playerId);
      assert.ok(view.has('codex/first-raid') && view.has('codex/golem-fallen'), playerId);
      assert.equal(view.has('codex/leviathan-fallen'), false);
      assert.equal(view.has('codex/giantsbane'), `${playerId}-o1` === slayer);
    }
    const page = OracronPage.parse(await oracronOf(db, schema.name, slayer.replace(/-o1$/, '')));
    assert.deepEqual(page.deeds.map((d) => [d.deed, d.details.bossId, d.position]), [['boss_slain', 'golem', slain.position]]);
  });

  test('the crown of ten comes with the tenth win, not the ninth', async () => {
    const win = (i: number) => playBattle(store, { battleId: `streak-${i}`, dice: 'crits', participants: [{ playerId: 'ivy', side: 'a' }, { playerId: `foe-${i}`, side: 'b' }], active: ['ivy'] });
    for (let i = 1; i <= 9; i++) await win(i);
    assert.equal((await codexOfPlayer('ivy')).has('codex/crown-of-ten'), false);
    const tenth = await win(10);
    const crown = (await codexOfPlayer('ivy')).entries.find((e) => e.id === 'codex/crown-of-ten')!;
    assert.deepEqual(crown.unlockedAt, { position: tenth.at(-1)!.position, streamId: 'battle-streak-10', eventId: tenth.find((e) => e.type === 'BattleEnded')!.id });
    // The first crown stays where it was first earned.
    assert.equal((await codexOfPlayer('ivy')).entries.find((e) => e.id === 'codex/first-crown')!.unlockedAt!.streamId, 'battle-streak-1');
  });

  test('the oracron pages latest first, without splitting an event across pages', async () => {
    await runner.waitFor(await store.headPosition());
    const all = (await oracronOf(db, schema.name, 'ivy', { limit: 200 })).deeds;
    assert.ok(all.length >= 20, `${all.length} deeds`);
    const seen: typeof all = [];
    let before: number | null = null;
    do {
      const page: OracronPage = OracronPage.parse(await oracronOf(db, schema.name, 'ivy', { limit: 3, before }));
      assert.ok(page.deeds.length > 0);
      seen.push(...page.deeds);
      before = page.nextBefore;
    } while (before !== null);
    assert.deepEqual(seen, all);
    assert.ok(all.every((d, i) => i === 0 || all[i - 1]!.position >= d.position));
  });

  test('a rebuild reproduces every table of the live run exactly, whatever its batch size', async () => {
    await playBattle(store, { battleId: 'unfinished', participants: [{ playerId: 'ana', side: 'a' }, { playerId: 'bo', side: 'b' }], active: ['bo'] }, 60);
    await runner.waitFor(await store.headPosition());
    const live = await snapshot(db, schema.name, projection);
    assert.ok(live.unlocks!.length >= 30 && live.oracron!.length >= 20);
    assert.equal(live.open_matches!.length, 1);
    await runner.rebuild([projection.name]);
    assert.deepEqual(await snapshot(db, schema.name, projection), live);
    const offline = await openProjectionRunner({ db, store, schema: schema.name, processors: [createCodexProjection(codex)], logger, rebuildBatchSize: 2 });
    await offline.rebuild([projection.name]);
    assert.deepEqual(await snapshot(db, schema.name, projection), live);
  });
});
