// The narrator reactor over a real PostgreSQL store, run by the projection runner: rooms
// played by the real rules (load-tests/simulate) are appended as rooms append them, and the
// narrator records exactly the moments the pure selection names, once, with deterministic
// ids. A second run over the same log (a replay, a rebuild, another narrator) asks the model
// nothing and appends nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import type { EventStore } from '../../events/store.ts';
import { battlePlayers, raidPlayers, recordRoom, ritualPlayers, simulateRoom } from '../../load-tests/simulate/room.ts';
import { openProjectionRunner, readModels, readModelTable } from '../index.ts';
import { auditStream } from '../anticheat/audit.ts';
import { roomRules } from '../../rooms/rulesRegistry.ts';
import { battleKind } from '../../rooms/battle/room.ts';
import { loadCodex } from '../../events/content/codex.ts';
import { raidKind } from '../../rooms/raid/room.ts';
import { ritualKind } from '../../rooms/ritual/room.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { loreStreamOf, narrationStreamOf } from './events.ts';
import type { FeedMessage } from './feed.ts';
import { createNarrator, narratorReactor, readNarrations, type Narrator } from '../../infra/narrator/index.ts';
import { codexLoreReactor } from './reactor.ts';
import { plannedMoments, type Moment } from './moments.ts';
import { offlineText } from '../../infra/narrator/offline.ts';
import { readLore } from './read.ts';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../infra/narrator/testing/openaiStandIn.ts';

const silent = pino({ level: 'silent' });
const codex = loadCodex();

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
let standIn: OpenAiStandIn;

before(async () => {
  schema = await createTestSchema('narrator_reactor');
  db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 50 });
  standIn = await startOpenAiStandIn({ reply: (body) => `The oracle has seen it: ${/"kind":"(\w+)"/.exec(body.messages[1]!.content)?.[1]}. So it is written.` });
});
after(async () => {
  await standIn.close();
  await store.close();
  await db.close();
  await schema.drop();
});

const charts = [
  { sun: 'aries', moon: 'leo', rising: 'sagittarius' },
  { sun: 'cancer', moon: 'pisces', rising: 'virgo' },
  { sun: 'gemini', moon: 'libra', rising: 'aquarius' },
  { sun: 'taurus', moon: 'virgo', rising: 'capricorn' },
] as const;
const oracles = (playerId: string) => [0, 1, 2].map((i) => ({ oracleId: `${playerId}-o${i}`, name: `${playerId[0]!.toUpperCase()}${playerId.slice(1)}'s ${['Pyra', 'Thalassa', 'Zephyr'][i]}`, chart: charts[(i + playerId.length) % 4]! }));

async function playRooms(prefix: string): Promise<string[]> {
  const battle = simulateRoom(battleKind, { roomId: `${prefix}b1`, seed: `${prefix}battle-seed-0001`, setup: { participants: [{ playerId: `${prefix}ana`, side: 'a', oracles: oracles(`${prefix}ana`) }, { playerId: `${prefix}bo`, side: 'b', oracles: oracles(`${prefix}bo`) }], wager: null, countdownTicks: 20 } }, battlePlayers({ everyTicks: 6 }));
  const raid = simulateRoom(raidKind, { roomId: `${prefix}r1`, seed: `${prefix}raid-seed-000001`, setup: { participants: ['cy', 'di', 'ed', 'fa', 'gi'].map((p) => ({ playerId: `${prefix}${p}`, oracles: oracles(`${prefix}${p}`) })), bossId: 'leviathan', countdownTicks: 20 } }, raidPlayers({ everyTicks: 4 }));
  const ritual = simulateRoom(ritualKind, { roomId: `${prefix}t1`, seed: `${prefix}ritual-seed-0001`, setup: { ritualId: 'anointing-of-the-dawn', participants: [`${prefix}ana`, `${prefix}cy`], countdownTicks: 5 } }, ritualPlayers());
  // Many ticks per append, to be quick.
  for (const room of [battle, raid, ritual]) await recordRoom(store, room, 200);
  return [battle.streamId, raid.streamId, ritual.streamId];
}

/** Runs the narrator reactor (under `name`) until it has reacted to everything in the log now. */
async function narrateLog(narrator: Narrator, name: string): Promise<void> {
  const runner = await openProjectionRunner({ db, store, schema: schema.name, processors: [narratorReactor({ narrator, store, logger: silent, name })], logger: silent });
  await runner.start();
  try {
    await runner.waitFor(await store.headPosition(), [name]);
  } finally {
    await runner.stop();
  }
}

async function planned(roomStreams: readonly string[]): Promise<{ rooms: Map<string, Moment[]>; lore: Map<string, Moment> }> {
  const rooms = new Map<string, Moment[]>();
  const lore = new Map<string, Moment>();
  for (const streamId of roomStreams) {
    const moments = plannedMoments(await store.readStream(streamId), codex);
    rooms.set(streamId, moments.filter((m) => m.codexEntryId === null));
    for (const moment of moments) if (moment.codexEntryId && !lore.has(moment.codexEntryId)) lore.set(moment.codexEntryId, moment);
  }
  return { rooms, lore };
}

describe('narrator reactor', () => {
  test('with no key, battles, raids and rituals get their moments and codex lore from the offline narrator, once', async () => {
    const streams = await playRooms('off-');
    const narrator = createNarrator({ OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, OPENAI_MODEL: 'gpt-test', NARRATOR_DAILY_TOKENS: 0, REDIS_URL: undefined }, { logger: silent });
    await narrateLog(narrator, 'narrator_offline');

    const { rooms, lore } = await planned(streams);
    const kinds = [...rooms.values()].flat().map((m) => m.facts.kind);
    for (const kind of ['oracle_fell', 'battle_ended', 'boss_phase', 'boss_defeated', 'raid_ended', 'ritual_completed'] as const) assert.ok(kinds.includes(kind), `the rooms have a ${kind} moment`);
    assert.ok(lore.has('codex/dawn-hymn') && lore.has('codex/first-crown') && lore.has('codex/giantsbane'), 'ritual, battle and raid unlocks have lore');

    for (const [streamId, moments] of rooms) {
      const recorded = await readNarrations(store, streamId);
      assert.deepEqual(recorded.map((n) => n.id), moments.map((m) => m.id), `${streamId} narrated in order, each moment once`);
      for (const [index, narration] of recorded.entries()) {
        const moment = moments[index]!;
        assert.deepEqual(
          { text: narration.text, offline: narration.offline, reason: narration.fallbackReason, model: narration.model, tokens: narration.tokens.total, source: narration.sourceEventId, kind: narration.kind },
          { text: offlineText(moment.facts, moment.sourceEventId!), offline: true, reason: 'no_key', model: null, tokens: 0, source: moment.sourceEventId, kind: moment.facts.kind },
        );
      }
    }
    for (const [entryId, moment] of lore) {
      const [told, ...more] = await store.readStream(loreStreamOf(entryId));
      assert.equal(more.length, 0, `${entryId} lore is written once`);
      assert.equal(told!.id, moment.id);
      assert.equal((await readLore(store, entryId))!.text, offlineText(moment.facts, moment.id));
    }

    // Delivered again (a rebuild, a second narrator): nothing new.
    const head = await store.headPosition();
    await narrateLog(narrator, 'narrator_offline_again');
    assert.equal(await store.headPosition(), head);
    await narrator.close();
  });

  test('an entry only the codex read model can unlock (ten crowns) gets its lore once a match ends, once', async () => {
    // The codex read model's tables, caught up with the log; then a tenth win as it would record it.
    const codexModel = readModels(roomRules).find((p) => p.name === 'codex')!;
    const projector = await openProjectionRunner({ db, store, schema: schema.name, processors: [codexModel], logger: silent });
    await projector.start();
    await projector.waitFor(await store.headPosition());
    await projector.stop();
    await db.query(`INSERT INTO ${readModelTable(schema.name, 'codex', 'unlocks')} (player_id, entry_id, position, stream_id, event_id) VALUES ('tenfold', 'codex/crown-of-ten', 1, 'battle-ten', 'e-ten')`);
    assert.equal(await readLore(store, 'codex/crown-of-ten'), null);

    const narrator = createNarrator({ OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, OPENAI_MODEL: 'gpt-test', NARRATOR_DAILY_TOKENS: 0, REDIS_URL: undefined }, { logger: silent });
    const reactor = codexLoreReactor({ narrator, store, logger: silent, db, schema: schema.name });
    const [ended] = (await store.readAll({ limit: 100_000 })).filter((e) => e.type === 'BattleEnded');
    await reactor.react([ended!]);
    const lore = await readLore(store, 'codex/crown-of-ten');
    assert.ok(lore, 'the lore is recorded');
    assert.equal(lore.offline, true);
    assert.ok(lore.text.length > 0);

    const head = await store.headPosition();
    await codexLoreReactor({ narrator, store, logger: silent, db, schema: schema.name }).react([ended!]);
    assert.equal(await store.headPosition(), head, 'a second delivery, or a second narrator, writes nothing');
    await narrator.close();
  });

  test('replaying a narrated battle reads its narration back and asks the model nothing', async () => {
    const streams = await playRooms('on-');
    const [battle] = streams as [string, ...string[]];
    const online = () => createNarrator({ OPENAI_API_KEY: standIn.apiKey, OPENAI_BASE_URL: standIn.baseURL, OPENAI_MODEL: 'gpt-test', NARRATOR_DAILY_TOKENS: 1_000_000, REDIS_URL: undefined }, { logger: silent });
    const narrator = online();
    // A spectator of the battle watches the narration stream in.
    const watching = new AbortController();
    const seen: FeedMessage[] = [];
    const spectator = (async () => {
      for await (const message of narrator.feed.subscribe({ roomStreamId: battle, signal: watching.signal })) seen.push(message);
    })();
    await narrateLog(narrator, 'narrator_live');
    watching.abort();
    await spectator;
    const asked = standIn.requests.length;
    const narrated = await readNarrations(store, battle);
    assert.ok(asked > 0 && narrated.length > 0);
    assert.ok(narrated.every((n) => !n.offline && n.model === 'gpt-test' && n.tokens.total === 60), 'the model wrote them');
    assert.equal(narrated.find((n) => n.kind === 'battle_ended')!.text, 'The oracle has seen it: battle_ended. So it is written.');
    assert.deepEqual(new Set(seen.map((m) => m.narrationId)), new Set(narrated.map((n) => n.id)), 'the spectator saw this battle’s narrations only');
    for (const narration of narrated) {
      const pieces = seen.filter((m) => m.narrationId === narration.id);
      assert.deepEqual(pieces.map((m) => m.type), ['delta', 'delta', 'recorded'], 'two moderated sentences, then the record');
      assert.equal(pieces.map((m) => (m.type === 'delta' ? m.text : '')).join(''), narration.text);
      assert.deepEqual(pieces.at(-1), { type: 'recorded', narrationId: narration.id, streamId: narrationStreamOf(battle), roomStreamId: battle, use: 'battle_highlight', text: narration.text, offline: false });
    }

    // The audit replays the battle from its own stream; narration lives beside it.
    const report = await auditStream(store, battle, { rules: roomRules, catalog: createCatalog() });
    assert.equal(report.verdict, 'clean');

    // The whole log delivered again to a fresh narrator (another process: its prompt cache is
    // empty) with a fresh checkpoint: everything is already recorded.
    await narrator.close();
    const replaying = online();
    const head = await store.headPosition();
    await narrateLog(replaying, 'narrator_replay');
    assert.equal(standIn.requests.length, asked, 'zero model calls on replay');
    assert.equal(await store.headPosition(), head, 'nothing appended on replay');
    assert.deepEqual(await readNarrations(store, battle), narrated);
    await replaying.close();
  });
});
