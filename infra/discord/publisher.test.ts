// The spectator publisher against the REST stand-in: a full battle, recorded tick batch by
// tick batch as a room appends it, becomes one channel message that is edited as the match
// goes on and ends showing the result; updates between two flushes are coalesced into one
// edit; a 429 is waited out (on the virtual clock) before the edit is retried; narration
// recorded after the end still reaches the message.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { battlePlayers, battleSetup, batchesOf, simulateRoom } from '../../load-tests/simulate/room.ts';
import { openProjectionRunner, type ProjectionRunner } from '../../projections/index.ts';
import { spectatorProjection, summaryOf } from '../../projections/spectator/index.ts';
import { narrate } from '../../projections/spectator/testing/feed.ts';
import { battleKind } from '../../rooms/battle/room.ts';
import { createCatalog } from '../catalog.ts';
import { SpectatorPublisher } from './publisher.ts';
import { DiscordRest } from './rest.ts';
import { virtualClock } from './testing/clock.ts';
import { startDiscordRestStandIn, type DiscordRestStandIn, type RecordedCall } from './testing/restStandIn.ts';
import { watchTable, type WatchTable } from './watches.ts';

const logger = pino({ level: 'silent' });
const applicationId = '1310000000000000001';
const botToken = 'test-bot-token-0123456789';
const channelId = '1310000000000000600';

describe('Discord spectator publisher', () => {
  let schema: TestSchema;
  let db: SqlExecutor;
  let store: EventStore;
  let runner: ProjectionRunner;
  let standIn: DiscordRestStandIn;
  let watches: WatchTable;
  let publisher: SpectatorPublisher;
  const clock = virtualClock();

  before(async () => {
    schema = await createTestSchema('discord_pub');
    db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
    store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 20 });
    runner = await openProjectionRunner({ db, store, schema: schema.name, processors: [spectatorProjection], logger });
    await runner.start();
    standIn = await startDiscordRestStandIn({ applicationId, botToken, clock });
    watches = watchTable(db, schema.name);
    // Flushed by hand below (no timers): each flush is one step of the story.
    publisher = new SpectatorPublisher({ rest: new DiscordRest({ baseUrl: standIn.baseUrl, botToken, clock }), watches, logger });
  });
  after(async () => {
    await publisher.stop();
    await runner.stop();
    await standIn.close();
    await store.close();
    await db.close();
    await schema.drop();
  });

  const settled = async () => runner.waitFor(await store.headPosition());
  const edits = () => standIn.calls.filter((c) => c.method === 'PATCH' && c.path.startsWith(`/channels/${channelId}/messages/`));
  const revisionOf = (call: RecordedCall) => Number(/rev (\d+)/.exec(JSON.stringify(call.body))![1]);

  test('a full battle becomes one message, edited as it goes, ending in the final result', async () => {
    const simulated = simulateRoom(battleKind, { roomId: 'pub-duel', setup: battleSetup(['ana', 'bo']), seed: 'seed-of-pub-duel-0123456789abcdef' }, battlePlayers({ everyTicks: 5 }));
    const [creation, ...ticks] = batchesOf(simulated, 10);
    assert.ok(ticks.length >= 8, `a battle of ${ticks.length} appends`);
    let version = (await store.append(simulated.streamId, 'no_stream', creation!)).nextExpectedVersion;
    const appendNext = async (count: number) => {
      for (const batch of ticks.splice(0, count)) version = (await store.append(simulated.streamId, version, batch)).nextExpectedVersion;
      await settled();
    };
    await settled();
    assert.equal(await watches.add(simulated.streamId, channelId, '1310000000000000777'), true);

    await publisher.flush();
    const posts = standIn.calls.filter((c) => c.method === 'POST');
    assert.equal(posts.length, 1, 'the live message is posted once');
    const messageId = [...standIn.messages.keys()][0]!;
    assert.match(JSON.stringify(posts[0]!.body), /LIVE/);

    // Two appends, one flush: one edit showing the latest summary.
    await appendNext(2);
    await publisher.flush();
    assert.equal(edits().length, 1);
    assert.equal(revisionOf(edits()[0]!), (await summaryOf(db, schema.name, 'pub-duel'))!.revision);

    // Discord rate limits the next edit: it goes again only after retry_after.
    standIn.rateLimitNext('PATCH', /^\/channels\/\d+\/messages\/\d+$/, 2.5);
    await appendNext(1);
    await publisher.flush();
    const [limited, retried] = edits().slice(1);
    assert.ok(limited && retried);
    assert.ok(retried.at - limited.at >= 2500, `retried ${retried.at - limited.at} ms after a 2.5 s retry_after`);

    while (ticks.length > 0) {
      await appendNext(Math.max(1, Math.ceil(ticks.length / 4)));
      await publisher.flush();
    }
    const summary = (await summaryOf(db, schema.name, 'pub-duel'))!;
    assert.equal(summary.status, 'ended');
    const all = edits();
    const revisions = all.map(revisionOf);
    for (let i = 1; i < revisions.length; i++) assert.ok(revisions[i]! >= revisions[i - 1]!, `edits go forward: ${revisions.join(', ')}`);
    assert.ok(all.length >= 6, `${all.length} edits`);
    assert.equal(revisions.at(-1), summary.revision);
    const final = standIn.messages.get(messageId)!;
    assert.equal(final.content, `Final: ${summary.result}`);
    assert.match(summary.result!, /^Side [AB] wins/);
    assert.equal(standIn.messages.size, 1, 'one message for the match');

    // Nothing new: a flush sends nothing.
    const before = standIn.calls.length;
    await publisher.flush();
    assert.equal(standIn.calls.length, before);

    // The narrator speaks after the end: the message shows it.
    const ended = (await store.readStream(simulated.streamId)).at(-1)!;
    await narrate(store, ended, 'The last oracle kneels; the crowd roars.');
    await settled();
    await publisher.flush();
    assert.match(JSON.stringify(standIn.messages.get(messageId)!.embeds), /The last oracle kneels/);
  });

  test('a deleted message is given up, not retried forever', async () => {
    const simulated = simulateRoom(battleKind, { roomId: 'pub-gone', setup: battleSetup(['cy', 'di']), seed: 'seed-of-pub-gone-0123456789abcdef' }, battlePlayers());
    const [creation, ...rest] = batchesOf(simulated, 50);
    let version = (await store.append(simulated.streamId, 'no_stream', creation!)).nextExpectedVersion;
    await settled();
    await watches.add(simulated.streamId, channelId, '1310000000000000777');
    await publisher.flush();
    const posted = [...standIn.messages.values()].at(-1)!;
    standIn.messages.delete(posted.id);
    version = (await store.append(simulated.streamId, version, rest[0]!)).nextExpectedVersion;
    await settled();
    await publisher.flush();
    const row = (await watches.all()).find((w) => w.matchStreamId === simulated.streamId)!;
    assert.equal(row.messageId, posted.id);
    const before = standIn.calls.length;
    await store.append(simulated.streamId, version, rest[1]!);
    await settled();
    await publisher.flush();
    assert.equal(standIn.calls.length, before, 'no more edits of a message Discord no longer has');
  });
});
