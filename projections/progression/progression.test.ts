// Progression against real PostgreSQL, fed by battles, raids and rituals played through the
// rooms' rules into a real store: what a player sees on their profile after playing, and a
// rebuild that reproduces the live rows exactly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { openProjectionRunner, type ProjectionRunner } from '../runner/runner.ts';
import { playBattle, playRaid, playRitual, snapshot } from '../testing/matches.ts';
import { PROGRESSION_VERSION, progressionProjection, progressionOf, progressionRulesFingerprint, ProgressionView, xpTable } from './index.ts';
import { rateGame, RATING_SCALE } from './rating.ts';

const logger = pino({ level: 'silent' });

test('the XP, level and rating rules are the ones this projection version was built for', () => {
  const pinned = { version: 1, fingerprint: 'a86139d9912e7a595e02be46f8eddda8a53e457e589dbe251dafcb133f3a6a36' };
  assert.deepEqual(
    { version: PROGRESSION_VERSION, fingerprint: progressionRulesFingerprint() },
    pinned,
    'XP, level or rating rules changed: bump PROGRESSION_VERSION and LEADERBOARDS_VERSION (the runner rebuilds on start) and pin the new fingerprint here and in leaderboards.test.ts',
  );
});

describe('progression read model (PostgreSQL)', () => {
  let schema: TestSchema;
  let db: SqlExecutor;
  let store: EventStore;
  let runner: ProjectionRunner;

  before(async () => {
    schema = await createTestSchema('progression');
    db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
    store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 20 });
    // Small live batches, so matches straddle batches.
    runner = await openProjectionRunner({ db, store, schema: schema.name, processors: [progressionProjection], logger, batchSize: 7 });
    await runner.start();
  });
  after(async () => {
    await runner.stop();
    await store.close();
    await db.close();
    await schema.drop();
  });

  async function profile(playerId: string): Promise<ProgressionView> {
    await runner.waitFor(await store.headPosition());
    return ProgressionView.parse(await progressionOf(db, schema.name, playerId));
  }

  test('a newcomer has a level 1 profile with a 1500 provisional rating', async () => {
    const view = await profile('nobody');
    assert.equal(view.level, 1);
    assert.equal(view.xp, 0);
    assert.deepEqual(view.rating, { rating: 1500, rd: 350, volatility: 0.06, ratedBattles: 0, provisional: true });
  });

  test('winning a duel gives a crown, 100 XP (level 2) and the Glicko-2 rating two newcomers get', async () => {
    await playBattle(store, { battleId: 'duel-1', participants: [{ playerId: 'ana', side: 'a' }, { playerId: 'bo', side: 'b', element: 'water' }], active: ['ana'] });
    const ana = await profile('ana');
    const bo = await profile('bo');
    assert.deepEqual([ana.crowns, ana.xp, ana.level, ana.xpIntoLevel, ana.xpToNextLevel], [1, 100, 2, 0, 125]);
    assert.deepEqual(ana.battles, { played: 1, won: 1, drawn: 0, lost: 0, forfeited: 0 });
    assert.deepEqual([bo.crowns, bo.xp, bo.level, bo.battles.lost], [0, xpTable.battle.lost, 1, 1]);
    // By hand (Glickman's steps, τ = 0.5): μ = 0, φ = 350 / 173.7178 = 2.0148, g(φ) = 0.6690, E = 0.5,
    // v = 1 / (g² · 0.25) = 8.938, Δ = v · g · 0.5 = 2.990; σ' = 0.059999…; φ* = 2.0157;
    // φ' = 1 / √(1/φ*² + 1/v) = 1.6712; μ' = φ'² · g · 0.5 = 0.9342 -> 1662.31 ± 290.32.
    assert.ok(Math.abs(ana.rating.rating - 1662.311) < 0.0015, `ana ${ana.rating.rating}`);
    assert.ok(Math.abs(ana.rating.rd - 290.319) < 0.0015, `ana RD ${ana.rating.rd}`);
    assert.equal(bo.rating.rating, 3000 - ana.rating.rating, 'the loser loses what the winner gains');
    assert.deepEqual(ana.recentRatingChanges.map((c) => [c.result, c.ratingBefore, c.opponentRating]), [['win', 1500, 1500]]);
    assert.deepEqual(ana.recentAwards.map((a) => [a.reason, a.xp]), [['battle_won', 100]]);
  });

  test('a rematch moves both ratings exactly as the stored ratings say it should', async () => {
    const [ana0, bo0] = [await profile('ana'), await profile('bo')];
    await playBattle(store, { battleId: 'duel-2', participants: [{ playerId: 'bo', side: 'a', element: 'water' }, { playerId: 'ana', side: 'b' }], active: ['bo'] });
    const [ana, bo] = [await profile('ana'), await profile('bo')];
    const stored = (v: ProgressionView) => ({ rating: Math.round(v.rating.rating * RATING_SCALE), rd: Math.round(v.rating.rd * RATING_SCALE), volatility: Math.round(v.rating.volatility * 1e9) });
    const expectedBo = rateGame(stored(bo0), { rating: ana0.rating.rating, rd: ana0.rating.rd }, 'win');
    const expectedAna = rateGame(stored(ana0), { rating: bo0.rating.rating, rd: bo0.rating.rd }, 'loss');
    assert.deepEqual(stored(bo), expectedBo);
    assert.deepEqual(stored(ana), expectedAna);
    assert.ok(bo.rating.rating > bo0.rating.rating && ana.rating.rating < ana0.rating.rating);
    assert.ok(bo.rating.rd < bo0.rating.rd, 'a game makes the rating surer');
    assert.deepEqual([ana.battles.played, ana.crowns, bo.crowns], [2, 1, 1]);
  });

  test('in a 2v2, the player who forfeited loses (no crown, no XP, rating down) though their side won', async () => {
    await playBattle(store, {
      battleId: 'squads-1',
      participants: [{ playerId: 'cy', side: 'a' }, { playerId: 'dee', side: 'b' }, { playerId: 'eli', side: 'a' }, { playerId: 'fay', side: 'b' }],
      active: ['cy'],
      forfeits: [{ playerId: 'eli', atTick: 3 }],
    });
    const [cy, dee, eli] = [await profile('cy'), await profile('dee'), await profile('eli')];
    assert.deepEqual([cy.crowns, cy.xp, cy.battles.won], [1, 100, 1]);
    assert.deepEqual([eli.crowns, eli.xp, eli.battles.forfeited], [0, 0, 1]);
    assert.deepEqual([dee.crowns, dee.battles.lost], [0, 1]);
    assert.ok(cy.rating.rating > 1500 && eli.rating.rating < 1500 && dee.rating.rating < 1500);
    assert.equal(eli.recentRatingChanges[0]?.result, 'loss');
  });

  test('a draw gives both players 60 XP, and a 1-player-v-2 battle is not rated', async () => {
    await playBattle(store, { battleId: 'draw-1', tickLimit: 20, participants: [{ playerId: 'gus', side: 'a' }, { playerId: 'hal', side: 'b' }], active: [] });
    const gus = await profile('gus');
    assert.deepEqual([gus.xp, gus.battles.drawn, gus.rating.rating, gus.rating.ratedBattles], [60, 1, 1500, 1]);
    assert.ok(gus.rating.rd < 350, 'a rated draw still informs the rating');

    await playBattle(store, {
      battleId: 'lopsided-1',
      participants: [{ playerId: 'ivy', side: 'a', element: ['fire', 'earth'] }, { playerId: 'jo', side: 'b' }, { playerId: 'kit', side: 'b' }],
      active: ['ivy'],
    });
    const ivy = await profile('ivy');
    assert.deepEqual([ivy.battles.played, ivy.rating.ratedBattles, ivy.rating.rating, ivy.recentRatingChanges.length], [1, 0, 1500, 0]);
    assert.ok(ivy.xp > 0);
  });

  test('raids and rituals give XP: a raid victory, a ritual performed, and nothing for who abandoned', async () => {
    await playRaid(store, { raidId: 'raid-1', participants: [{ playerId: 'ana' }, { playerId: 'bo', element: 'water' }] });
    await playRitual(store, { ritualRoomId: 'dawn-1', ritualId: 'anointing-of-the-dawn', participants: ['ana', 'cy'] });
    await playRitual(store, { ritualRoomId: 'tide-1', ritualId: 'tidecall', participants: ['ana', 'bo', 'cy'], abandon: { playerId: 'cy', atTick: 3 } });
    const [ana, bo, cy] = [await profile('ana'), await profile('bo'), await profile('cy')];
    assert.deepEqual(ana.raids, { played: 1, victories: 1 });
    assert.deepEqual(ana.rituals, { performed: 2, succeeded: 1 });
    assert.equal(ana.xp, 100 + 30 + xpTable.raid.victory + xpTable.ritual.success + xpTable.ritual.failure);
    assert.equal(bo.xp, 30 + 100 + xpTable.raid.victory + xpTable.ritual.failure);
    assert.equal(cy.xp, 100 + xpTable.ritual.success + xpTable.ritual.abandoned);
    assert.deepEqual(ana.recentAwards.map((a) => a.reason), ['ritual_failure', 'ritual_success', 'raid_victory', 'battle_lost', 'battle_won']);
    assert.equal(ana.crowns, 1, 'raids and rituals give no crowns');
  });

  test('a rebuild reproduces every table of the live run exactly, whatever its batch size', async () => {
    // A battle still under way when the rebuild runs: its working state must be rebuilt too.
    await playBattle(store, { battleId: 'unfinished', participants: [{ playerId: 'ana', side: 'a' }, { playerId: 'bo', side: 'b' }], active: ['bo'] }, 40);
    await runner.waitFor(await store.headPosition());
    const live = await snapshot(db, schema.name, progressionProjection);
    assert.ok(live.players!.length >= 11 && live.awards!.length >= 15 && live.rating_changes!.length >= 10);
    assert.equal(live.open_matches!.length, 1);

    await runner.rebuild([progressionProjection.name]);
    assert.deepEqual(await snapshot(db, schema.name, progressionProjection), live);

    const offline = await openProjectionRunner({ db, store, schema: schema.name, processors: [progressionProjection], logger, rebuildBatchSize: 3 });
    await offline.rebuild([progressionProjection.name]);
    assert.deepEqual(await snapshot(db, schema.name, progressionProjection), live);
    assert.equal((await profile('ana')).crowns, 1);
  });
});

