// End to end: a player follows the story through the HTTP API while real @colyseus/sdk bots
// play the matches it asks for. The first chapter asks for a battle won and the Dawn Hymn
// (the Anointing of the Dawn ritual unlocks it); both are played, the rewards claimed into
// the wallet, the chapter completes, and the next chapter's encounter opens as a ritual room
// with the content's fixed seed that the party joins by room id and plays to its end.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Room } from '@colyseus/sdk';
import { pino } from 'pino';
import { loadContent } from '../../events/content/registry.ts';
import { openProjectionRunner, type ProjectionRunner } from '../../projections/index.ts';
import { playBattle } from '../../load-tests/bots/battleBot.ts';
import { performRitual } from '../../load-tests/bots/ritualBot.ts';
import { duelSetup } from '../../rooms/battle/testing/fixtures.e2e.ts';
import type { BattleView } from '../../rooms/battle/state.ts';
import type { RitualView } from '../../rooms/ritual/state.ts';
import { questReactors } from '../processors.ts';
import { startTestGameServer, type TestGameServer } from '../testing/gameServer.ts';
import { until } from '../testing/roomClient.ts';

let server: TestGameServer;
let reactors: ProjectionRunner;
const token = new Map<string, string>();

before(async () => {
  server = await startTestGameServer('quests_e2e', { readSide: true });
  // The read side serves the read models; the quest reactors run beside it, as the projector role does.
  reactors = await openProjectionRunner({ db: server.db, store: server.store, schema: server.schema, processors: questReactors(server.store), logger: pino({ level: 'silent' }) });
  await reactors.start();
  for (const id of ['ana', 'bo', 'cy']) token.set(id, await server.tokenFor(id));
});
after(async () => {
  await reactors.stop();
  await server.stop();
});

async function api<T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, as = 'ana', body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.httpUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token.get(as)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

type Log = { quests: { questId: string; status: string; objectives: { progress: number; target: number }[] }[]; chapters: { chapterId: string; completed: boolean }[]; available: { questId: string }[]; titles: { id: string }[] };

/** Polls the quest log until `ready` holds (the reactors and read models run behind the rooms). */
async function logUntil(ready: (log: Log) => boolean, what: string): Promise<Log> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { body } = await api<Log>('GET', '/players/ana/quests');
    if (ready(body)) return body;
    if (Date.now() > deadline) assert.fail(`${what}: the quest log is still ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const statusOf = (log: Log, questId: string) => log.quests.find((q) => q.questId === questId)?.status;

async function coins(): Promise<number> {
  const { body } = await api<{ balances: { currency: string; available: number }[] }>('GET', '/players/ana/wallet');
  return body.balances.find((b) => b.currency === 'coins')?.available ?? 0;
}

test('the quest book is served with chapters and achievements carrying Steam ids', async () => {
  const { status, body } = await api<{ quests: { id: string }[]; achievements: { steamId: string }[] }>('GET', '/quests');
  assert.equal(status, 200);
  assert.deepEqual(body.quests.map((q) => q.id), loadContent().quests.quests.map((q) => q.id));
  assert.ok(body.achievements.some((a) => a.steamId === 'ACH_CHAPTER_FIRST_DAWN'));
});

test('the first chapter: win a battle and perform the Dawn Hymn through real rooms, claim the rewards, and the next chapter opens its encounter', async () => {
  const start = await api<Log>('GET', '/players/ana/quests');
  assert.ok(start.body.available.some((q) => q.questId === 'story-first-dawn-crown'));
  assert.ok(!start.body.available.some((q) => q.questId === 'story-tide-call'), 'the second chapter is locked');
  const locked = await api<{ error: { code: string } }>('POST', '/players/ana/quests/story-tide-call/accept');
  assert.deepEqual([locked.status, locked.body.error.code], [409, 'quests/locked']);
  for (const quest of ['story-first-dawn-crown', 'story-first-dawn-hymn']) assert.equal((await api('POST', `/players/ana/quests/${quest}/accept`)).status, 200);
  const early = await api<{ error: { code: string } }>('POST', '/players/ana/quests/story-first-dawn-crown/claim');
  assert.deepEqual([early.status, early.body.error.code], [409, 'quests/not_finished']);
  const abandon = await api<{ error: { code: string } }>('POST', '/players/ana/quests/story-first-dawn-crown/abandon');
  assert.deepEqual([abandon.status, abandon.body.error.code], [409, 'quests/story_quest']);

  // A duel: only ana's bot casts, so ana wins.
  const battle = await server.client().create<BattleView>('battle', { ...duelSetup('ana', 'bo', { tickLimit: 600 }), playerId: 'ana' });
  const foe = await server.client().joinById<BattleView>(battle.roomId, { playerId: 'bo' });
  for (const room of [battle, foe] as Room[]) { room.onMessage('refused', () => {}); room.onMessage('room/status', () => {}); }
  const stop = playBattle(battle, { playerId: 'ana', everyMs: 50 });
  await until(battle, (s) => s.status === 'ended', 'the end of the battle', 60_000);
  stop();
  assert.equal(battle.state.winnerSide, 'a');
  await logUntil((log) => statusOf(log, 'story-first-dawn-crown') === 'completed', 'the crown quest completed');

  const before = await coins();
  const claimed = await api<{ rewards: { currencies: { amount: number }[] }; balance: Record<string, number> }>('POST', '/players/ana/quests/story-first-dawn-crown/claim');
  assert.equal(claimed.status, 200);
  assert.equal(claimed.body.balance.coins, before + 50);
  const twice = await api<{ error: { code: string } }>('POST', '/players/ana/quests/story-first-dawn-crown/claim');
  assert.deepEqual([twice.status, twice.body.error.code], [409, 'quests/already_claimed']);

  // The Anointing of the Dawn, performed perfectly by ana and bo, unlocks the Dawn Hymn.
  const rite = await server.client().create<RitualView>('ritual', { setup: { ritualId: 'anointing-of-the-dawn', participants: ['ana', 'bo'], countdownTicks: 10 }, playerId: 'ana' });
  const partner = await server.client().joinById<RitualView>(rite.roomId, { playerId: 'bo' });
  for (const room of [rite, partner] as Room[]) { room.onMessage('refused', () => {}); room.onMessage('room/status', () => {}); }
  const stops = [performRitual(rite, { playerId: 'ana' }), performRitual(partner, { playerId: 'bo' })];
  await until(rite, (s) => s.status === 'ended', 'the end of the ritual', 60_000);
  stops.forEach((s) => s());
  const chapterDone = await logUntil((log) => log.chapters.find((c) => c.chapterId === 'first-dawn')?.completed === true, 'the first chapter completed');
  assert.equal(statusOf(chapterDone, 'story-first-dawn-hymn'), 'completed');
  assert.equal((await api('POST', '/players/ana/quests/story-first-dawn-hymn/claim')).status, 200);
  const titled = await logUntil((log) => log.titles.some((t) => t.id === 'dawnbringer'), 'the title');
  assert.ok(titled.available.some((q) => q.questId === 'story-tide-call'), 'the second chapter opened');

  // Achievements: the first quest and the first chapter, each with its Steam id.
  const deadline = Date.now() + 30_000;
  let earned: string[] = [];
  while (Date.now() < deadline && earned.length < 2) {
    const { body } = await api<{ achievements: { steamId: string; earned: boolean }[] }>('GET', '/players/ana/achievements');
    earned = body.achievements.filter((a) => a.earned).map((a) => a.steamId).sort();
  }
  assert.deepEqual(earned, ['ACH_CHAPTER_FIRST_DAWN', 'ACH_FIRST_QUEST']);

  // Chapter two's encounter: a Tidecall with the content's seed, for ana, bo and cy.
  assert.equal((await api('POST', '/players/ana/quests/story-tide-call/accept')).status, 200);
  const tooFew = await api<{ error: { code: string } }>('POST', '/players/ana/story/tide-rising/encounter', 'ana', { party: ['bo'] });
  assert.deepEqual([tooFew.status, tooFew.body.error.code], [422, 'quests/invalid_party']);
  const opened = await api<{ kind: string; roomId: string; streamId: string; seed: string }>('POST', '/players/ana/story/tide-rising/encounter', 'ana', { party: ['bo', 'cy'] });
  assert.equal(opened.status, 200, JSON.stringify(opened.body));
  const [creation] = await server.store.readStream(opened.body.streamId, { limit: 1 });
  assert.deepEqual([creation!.type, (creation!.data as { seed: string }).seed], ['RitualCreated', 'story-harbour-of-sel-0001']);
  const seats = await Promise.all(['ana', 'bo', 'cy'].map((playerId) => server.client().joinById<RitualView>(opened.body.roomId, { playerId })));
  for (const room of seats as Room[]) { room.onMessage('refused', () => {}); room.onMessage('room/status', () => {}); }
  const singers = seats.map((room, i) => performRitual(room, { playerId: ['ana', 'bo', 'cy'][i]! }));
  await until(seats[0]!, (s) => s.status === 'ended', 'the end of the encounter', 60_000);
  singers.forEach((s) => s());
  const story = await logUntil((log) => log.chapters.find((c) => c.chapterId === 'tide-rising')?.completed === true, 'the second chapter completed');
  assert.equal(statusOf(story, 'story-tide-call'), 'completed');

  // Its reward grants a codex entry outright (ana never fielded a water oracle), and a title.
  assert.equal((await api('POST', '/players/ana/quests/story-tide-call/claim')).status, 200);
  const until2 = Date.now() + 30_000;
  let tides: { unlocked: boolean; unlockedAt: { streamId: string } | null } | undefined;
  while (Date.now() < until2 && !tides?.unlocked) {
    const { body } = await api<{ entries: { id: string; unlocked: boolean; unlockedAt: { streamId: string } | null }[] }>('GET', '/players/ana/codex');
    tides = body.entries.find((e) => e.id === 'codex/oracle-of-tides');
  }
  assert.deepEqual([tides?.unlocked, tides?.unlockedAt?.streamId], [true, 'quests-ana']);
  await logUntil((log) => log.titles.some((t) => t.id === 'tidecaller'), 'the Tidecaller title');
});
