// The leaderboards against real PostgreSQL, fed by battles and raids played through the
// rooms' rules into a real store whose clock the test sets, so matches fall into the
// seasons a player would expect: board order and ranks, seasonal boards that start afresh,
// and a rebuild that reproduces the live rows exactly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { playBattle, playRaid, snapshot } from '../testing/matches.ts';
import { progressionOf, progressionProjection, progressionRulesFingerprint } from '../progression/index.ts';
import { initialRating, rateGame, RATING_SCALE } from '../progression/rating.ts';
import { openProjectionRunner, type ProjectionRunner } from '../runner/runner.ts';
import { leaderboard, LeaderboardPage, leaderboardsProjection, LEADERBOARDS_VERSION, PlayerRank, playerRank, seasonOf, seasons, type Board } from './index.ts';

const logger = pino({ level: 'silent' });

test('a season is the UTC calendar month of the event that ended the match', () => {
  assert.equal(seasonOf('2026-11-30T23:59:59.999Z'), 'S2026-11');
  assert.equal(seasonOf('2026-12-01T00:00:00.000Z'), 'S2026-12');
  assert.throws(() => seasonOf('30/11/2026'), /ISO 8601/);
});

test('the rating rules are the ones this projection version was built for', () => {
  const pinned = { version: 1, fingerprint: 'a86139d9912e7a595e02be46f8eddda8a53e457e589dbe251dafcb133f3a6a36' };
  assert.deepEqual(
    { version: LEADERBOARDS_VERSION, fingerprint: progressionRulesFingerprint() },
    pinned,
    'rating rules changed: bump LEADERBOARDS_VERSION (the runner rebuilds on start) and pin the new fingerprint',
  );
});

describe('leaderboards read model (PostgreSQL)', () => {
  let schema: TestSchema;
  let db: SqlExecutor;
  let store: EventStore;
  let runner: ProjectionRunner;
  let clock = new Date('2026-11-10T12:00:00Z');

  before(async () => {
    schema = await createTestSchema('leaderboards');
    db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
    store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 20, now: () => clock });
    runner = await openProjectionRunner({ db, store, schema: schema.name, processors: [leaderboardsProjection, progressionProjection], logger, batchSize: 7 });
    await runner.start();
  });
  after(async () => {
    await runner.stop();
    await store.close();
    await db.close();
    await schema.drop();
  });

  const duel = (battleId: string, winner: string, loser: string) =>
    playBattle(store, { battleId, dice: 'crits', participants: [{ playerId: winner, side: 'a' }, { playerId: loser, side: 'b' }], active: [winner] });

  async function board(b: Board, season = 'global', limit = 20, offset = 0) {
    await runner.waitFor(await store.headPosition());
    const page = LeaderboardPage.parse(await leaderboard(db, schema.name, { board: b, season, limit, offset }));
    return { ...page, rows: page.entries.map((e) => [e.rank, e.playerId, e.score]) };
  }

  test('crowns: more wins rank higher, ties share a rank and are ordered by player id', async () => {
    await duel('nov-1', 'ana', 'bo');
    await duel('nov-2', 'ana', 'bo');
    await duel('nov-3', 'eli', 'fay');
    await duel('nov-4', 'cy', 'dee');
    const crowns = await board('crowns', 'S2026-11');
    assert.deepEqual(crowns.rows, [[1, 'ana', 2], [2, 'cy', 1], [2, 'eli', 1]]);
    assert.deepEqual(crowns.entries.map((e) => e.position), [1, 2, 3]);
    assert.equal(crowns.total, 3, 'players without a crown are not on the board');
    assert.deepEqual((await board('crowns', 'S2026-11', 1, 1)).rows, [[2, 'cy', 1]]);

    const eli = PlayerRank.parse(await playerRank(db, schema.name, { board: 'crowns', season: 'S2026-11', playerId: 'eli' }));
    assert.deepEqual([eli.rank, eli.position, eli.score, eli.total], [2, 3, 1, 3]);
    const bo = await playerRank(db, schema.name, { board: 'crowns', season: 'S2026-11', playerId: 'bo' });
    assert.deepEqual([bo.rank, bo.position, bo.score], [null, null, null]);
  });

  test('a new month is a new season: its boards start empty and its ratings start at 1500', async () => {
    clock = new Date('2026-12-02T08:00:00Z');
    assert.deepEqual((await board('crowns', 'S2026-12')).rows, []);
    await duel('dec-1', 'bo', 'ana');
    await playRaid(store, { raidId: 'dec-raid', participants: [{ playerId: 'hal' }, { playerId: 'gus', element: 'water' }] });

    assert.deepEqual((await board('crowns', 'S2026-12')).rows, [[1, 'bo', 1]]);
    assert.deepEqual((await board('crowns')).rows, [[1, 'ana', 2], [2, 'bo', 1], [2, 'cy', 1], [2, 'eli', 1]]);
    assert.deepEqual((await board('raid_victories', 'S2026-12')).rows, [[1, 'gus', 1], [1, 'hal', 1]]);
    assert.deepEqual((await board('raid_victories', 'S2026-11')).rows, []);
    assert.deepEqual(await seasons(db, schema.name), ['S2026-12', 'S2026-11']);

    // December's rating: bo's first seasonal game is a newcomer's win over a newcomer.
    const december = await board('rating', 'S2026-12');
    const newcomerWin = rateGame(initialRating, { rating: 1500, rd: 350 }, 'win').rating / RATING_SCALE;
    assert.deepEqual(december.rows, [[1, 'bo', newcomerWin], [2, 'ana', 3000 - newcomerWin]]);
    // The global rating is the all-time one: the same as on the player's profile.
    const global = await board('rating');
    for (const entry of global.entries) {
      assert.equal(entry.score, (await progressionOf(db, schema.name, entry.playerId)).rating.rating, entry.playerId);
    }
    assert.equal(global.total, 6);
    assert.ok(global.entries.every((e, i) => i === 0 || global.entries[i - 1]!.score >= e.score));
    assert.ok(global.entries.find((e) => e.playerId === 'bo')!.score < newcomerWin, 'bo lost twice in November');
  });

  test('a rebuild reproduces every table of the live run exactly, whatever its batch size', async () => {
    await playBattle(store, { battleId: 'unfinished', participants: [{ playerId: 'ana', side: 'a' }, { playerId: 'bo', side: 'b' }], active: ['bo'] }, 40);
    await runner.waitFor(await store.headPosition());
    const live = await snapshot(db, schema.name, leaderboardsProjection);
    assert.ok(live.standings!.length >= 16);
    assert.equal(live.open_matches!.length, 1);
    await runner.rebuild([leaderboardsProjection.name]);
    assert.deepEqual(await snapshot(db, schema.name, leaderboardsProjection), live);
    const offline = await openProjectionRunner({ db, store, schema: schema.name, processors: [leaderboardsProjection], logger, rebuildBatchSize: 2 });
    await offline.rebuild([leaderboardsProjection.name]);
    assert.deepEqual(await snapshot(db, schema.name, leaderboardsProjection), live);
  });
});
