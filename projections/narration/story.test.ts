// The narrator's line for a completed story chapter, against real PostgreSQL: a player's
// quest log completes the first chapter from recorded progress; the story narrator records
// exactly one NarrationGenerated for it (also when the chapter event is delivered again, or
// to a second narrator), in the narration stream of the player's quest log.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { QuestService } from '../../commands/quests/service.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { createNarrator } from '../../infra/narrator/index.ts';
import { openProjectionRunner } from '../runner/runner.ts';
import { NarrationGenerated, narrationStreamOf } from './events.ts';
import { storyNarratorReactor } from './story.ts';

const silent = pino({ level: 'silent' });
let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;

before(async () => {
  schema = await createTestSchema('story_narration');
  db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 20 });
});
after(async () => {
  await store.close();
  await db.close();
  await schema.drop();
});

test('completing the first chapter is narrated once, offline without a key, naming the chapter and the one to come', async () => {
  const quests = new QuestService({ store });
  for (const questId of ['story-first-dawn-crown', 'story-first-dawn-hymn']) assert.ok((await quests.request({ type: 'AcceptQuest', playerId: 'ana', questId })).ok);
  const source = (n: number) => ({ eventId: `00000000-0000-7000-8000-00000000000${n}`, type: 'BattleEnded', streamId: `battle-s${n}`, position: 100 + n, recordedAt: Date.now() });
  await quests.recordProgress({ type: 'RecordProgress', playerId: 'ana', source: source(1), facts: [{ kind: 'battle_won', elements: ['fire'] }] });
  const last = await quests.recordProgress({ type: 'RecordProgress', playerId: 'ana', source: source(2), facts: [{ kind: 'codex_entry', entryId: 'codex/dawn-hymn' }] });
  assert.ok(last.ok && last.events.some((e) => e.type === 'StoryChapterCompleted'));
  const chapter = last.events.find((e) => e.type === 'StoryChapterCompleted')!;

  const narrator = createNarrator({ OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, OPENAI_MODEL: 'gpt-test', NARRATOR_DAILY_TOKENS: 0, REDIS_URL: undefined }, { logger: silent });
  const runner = await openProjectionRunner({ db, store, schema: schema.name, logger: silent, processors: [storyNarratorReactor({ narrator, store, logger: silent })] });
  await runner.start();
  await runner.waitFor(await store.headPosition());
  await runner.stop();
  // Delivered again, and to a second narrator: nothing more is recorded.
  await storyNarratorReactor({ narrator, store, logger: silent }).react([chapter]);

  const narrations = await store.readStream(narrationStreamOf('quests-ana'));
  assert.equal(narrations.length, 1);
  const [line] = narrations;
  assert.equal(line!.type, NarrationGenerated.type);
  const data = line!.data as { use: string; kind: string; sourceEventId: string; offline: boolean; fallbackReason: string; text: string };
  assert.deepEqual([data.use, data.kind, data.sourceEventId, data.offline, data.fallbackReason], ['story_chapter', 'chapter_completed', chapter.id, true, 'no_key']);
  assert.match(data.text, /The First Dawn/);
  assert.match(data.text, /The Tide Rising/);
});
