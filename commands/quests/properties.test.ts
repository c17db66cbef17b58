// The quest log against real PostgreSQL, with the quest progress and reward reactors and the
// quests read model running in a projection runner while battles are played, quests are
// accepted, abandoned and claimed in any interleaving (fast-check). Whatever the order:
// - the read model equals the fold of each player's quest-log stream;
// - progress equals what the battles after each acceptance earn (capped at the objective);
// - redelivering every source event (a second reactor, as after a crash) records nothing;
// - no reward is paid twice: the wallet holds exactly the claimed rewards, once each.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { pino } from 'pino';
import { fold } from '../../events/decider.ts';
import { contentRegistry, currentContentVersion } from '../../events/content/registry.ts';
import type { z } from 'zod';
import type { QuestBook } from '../../events/content/quests.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { openProjectionRunner, type ProjectionRunner } from '../../projections/runner/runner.ts';
import { readModelTable } from '../../projections/runner/tables.ts';
import { questsProjection } from '../../projections/quests/index.ts';
import { walletsProjection } from '../../projections/wallets/index.ts';
import { playBattle } from '../../projections/testing/matches.ts';
import { WalletService } from '../wallet/service.ts';
import type { QuestEvent } from './events.ts';
import { questLogStreamId } from './model.ts';
import { createQuestProgressReactor } from './progress.ts';
import { createQuestRewardsReactor, payQuestReward } from './rewards.ts';
import { questLogDecider } from './rules.ts';
import { QuestService } from './service.ts';

const logger = pino({ level: 'silent' });
const VERSION = '0000.7.1';
// Event quests with a wide window: no reset falls inside a run, whatever the clock says.
const window = { from: '2000-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' };
const book = {
  calendar: { dailyResetMinute: 0, weeklyResetWeekday: 1, seasons: [] },
  titles: [],
  quests: [
    { id: 'ev-wins', cadence: 'event', title: 'Two wins', description: 'Win two battles.', window, objectives: [{ kind: 'battles_won', count: 2 }], rewards: { currencies: [{ currency: 'coins', amount: 10 }] } },
    { id: 'ev-water', cadence: 'event', title: 'Water win', description: 'Win with water.', window, objectives: [{ kind: 'battles_won', count: 1, element: 'water' }], rewards: { currencies: [{ currency: 'coins', amount: 5 }, { currency: 'embers', amount: 1 }] } },
    { id: 'ev-played', cadence: 'event', title: 'Three battles', description: 'Play three battles.', window, objectives: [{ kind: 'battles_played', count: 3 }, { kind: 'battles_won', count: 1 }], rewards: { currencies: [{ currency: 'embers', amount: 2 }] } },
  ],
  chapters: [],
  achievements: [],
} satisfies z.input<typeof QuestBook>;
const questIds = book.quests.map((q) => q.id);

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
let runner: ProjectionRunner;
let quests: QuestService;
let wallets: WalletService;

before(async () => {
  contentRegistry.register(VERSION, { ...structuredClone(contentRegistry.byVersion(currentContentVersion)), contentVersion: VERSION, quests: book });
  schema = await createTestSchema('quest_properties');
  db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 20 });
  wallets = new WalletService({ store });
  quests = new QuestService({ store, contentVersion: () => VERSION });
  runner = await openProjectionRunner({
    db, store, schema: schema.name, logger, batchSize: 5,
    processors: [questsProjection, walletsProjection, createQuestProgressReactor({ quests, store }), createQuestRewardsReactor({ wallets })],
  });
  await runner.start();
});
after(async () => {
  await runner.stop();
  await store.close();
  await db.close();
  await schema.drop();
});

type Op =
  | { kind: 'accept' | 'claim' | 'abandon'; player: number; quest: number }
  | { kind: 'battle'; winner: number; loser: number; water: boolean }
  /** Lets the reactors catch up before the next step (otherwise they race it). */
  | { kind: 'settle' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('accept' as const), player: fc.nat(2), quest: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('claim' as const), player: fc.nat(2), quest: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('abandon' as const), player: fc.nat(2), quest: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'settle' as const }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('battle' as const), winner: fc.nat(2), loser: fc.nat(2), water: fc.boolean() }).filter((b) => b.winner !== b.loser) },
);

let run = 0;
const seen = { progressed: 0, claimed: 0 };

/** Until every processor has read everything, including what the reactors appended meanwhile. */
async function settled(): Promise<void> {
  for (let head = await store.headPosition(); ; ) {
    await runner.waitFor(head);
    const now = await store.headPosition();
    if (now === head) return;
    head = now;
  }
}

test('any interleaving: read model = fold of the log, progress = battles since acceptance, redelivery records nothing, rewards paid once', async () => {
  await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 12 }), async (ops) => {
    run += 1;
    const players = [0, 1, 2].map((i) => `r${run}-p${i}`);
    let battles = 0;
    for (const o of ops) {
      if (o.kind === 'settle') {
        await settled();
      } else if (o.kind === 'battle') {
        const [winner, loser] = [players[o.winner]!, players[o.loser]!];
        await playBattle(store, {
          battleId: `r${run}-b${++battles}`, dice: 'crits', active: [winner],
          participants: [{ playerId: winner, side: 'a', element: o.water ? 'water' : 'fire' }, { playerId: loser, side: 'b', element: 'fire' }],
        });
      } else {
        const type = o.kind === 'accept' ? 'AcceptQuest' : o.kind === 'claim' ? 'ClaimQuestReward' : 'AbandonQuest';
        await quests.request({ type, playerId: players[o.player]!, questId: questIds[o.quest]! });
      }
    }
    await settled();

    // A second reactor (another process, or this one after a crash) gets every source again.
    const streams = await Promise.all(Array.from({ length: battles }, (_, i) => store.readStream(`battle-r${run}-b${i + 1}`)));
    const sources = streams.map((stream) => stream.find((e) => e.type === 'BattleEnded')!);
    const headBefore = await store.headPosition();
    await createQuestProgressReactor({ quests: new QuestService({ store, contentVersion: () => VERSION }), store }).react(sources);
    assert.equal(await store.headPosition(), headBefore, 'redelivered sources recorded nothing');

    for (const playerId of players) {
      const log = (await store.readStream(questLogStreamId(playerId))) as (RecordedEvent & QuestEvent)[];
      const state = fold(questLogDecider, questLogDecider.initialState(), log);
      // The read model is the fold.
      const rows = await db.query<{ quest_key: string; status: string; progress: number[] }>(
        `SELECT quest_key, status, progress FROM ${readModelTable(schema.name, 'quests', 'log')} WHERE player_id = $1 ORDER BY quest_key`, [playerId]);
      assert.deepEqual(rows.map((r) => ({ key: r.quest_key, status: r.status, progress: r.progress })),
        [...state.entries.values()].map((e) => ({ key: e.key, status: e.status, progress: [...e.progress] })).sort((a, b) => a.key.localeCompare(b.key)));

      // Progress is what the battles after acceptance earned.
      for (const entry of state.entries.values()) {
        const mine = streams.filter((stream) => stream.find((e) => e.type === 'BattleEnded')!.position > entry.acceptedAfter)
          .map((stream) => ({ created: stream[0]!.data as { participants: { playerId: string; side: string; oracles: { element: string }[] }[] }, ended: stream.find((e) => e.type === 'BattleEnded')! }))
          .map(({ created, ended }) => ({ played: created.participants.find((p) => p.playerId === playerId), winnerSide: (ended.data as { winnerSide: string | null }).winnerSide }))
          .filter((b) => b.played);
        const wins = mine.filter((b) => b.played!.side === b.winnerSide);
        const expected = {
          'ev-wins': [Math.min(2, wins.length)],
          'ev-water': [Math.min(1, wins.filter((b) => b.played!.oracles.some((o) => o.element === 'water')).length)],
          'ev-played': [Math.min(3, mine.length), Math.min(1, wins.length)],
        }[entry.questId]!;
        assert.deepEqual([...entry.progress], expected, `${playerId} ${entry.key}`);
        assert.equal(entry.status !== 'active', expected.every((n, i) => n >= book.quests.find((q) => q.id === entry.questId)!.objectives[i]!.count));
      }

      // Each claim is paid exactly once, also when the claim route pays it again.
      const claims = log.filter((e) => e.type === 'QuestRewardClaimed');
      seen.claimed += claims.length;
      seen.progressed += log.filter((e) => e.type === 'QuestProgressed').length;
      for (const claim of claims) await payQuestReward(wallets, claim as RecordedEvent & Extract<QuestEvent, { type: 'QuestRewardClaimed' }>);
      const credits = (await store.readStream(`wallet-${playerId}`)).filter((e) => e.type === 'Credited' && (e.data as { counterAccount: string }).counterAccount === 'system:quests');
      const owed = claims.flatMap((c) => (c.data as { rewards: { currencies: { currency: string; amount: number }[] } }).rewards.currencies.map((r) => `${c.id}:${r.currency}:${r.amount}`)).sort();
      assert.deepEqual(credits.map((c) => { const d = c.data as { idempotencyKey: string; amount: number }; return `${d.idempotencyKey}:${d.amount}`; }).sort(), owed);
    }
  }), { numRuns: 12, endOnFailure: true, examples: [[[
    { kind: 'accept', player: 0, quest: 0 }, { kind: 'battle', winner: 0, loser: 1, water: true }, { kind: 'battle', winner: 0, loser: 2, water: false },
    { kind: 'accept', player: 0, quest: 1 }, { kind: 'battle', winner: 0, loser: 1, water: true }, { kind: 'settle' },
    { kind: 'claim', player: 0, quest: 0 }, { kind: 'claim', player: 0, quest: 1 },
  ]]] });
  // Not vacuous: quests progressed, completed and were paid along the way.
  assert.ok(seen.progressed > 0 && seen.claimed >= 2, JSON.stringify(seen));
});
