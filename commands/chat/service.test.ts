// The chat service against the local PostgreSQL (the channel's stream) and Redis (the
// shared per-player rate): flagged messages are never recorded, a burst of 1,000 messages
// into one channel is cut to each player's rate and every accepted one is in the history
// exactly once, muted players and non-moderators are refused with their codes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { redisRateLimiter, rateLimits } from '../../infra/auth/rateLimit.ts';
import { chatModeration, chatRateLimit } from '../../infra/social/chatLimits.ts';
import { dropRedisKeys, testRedisUrl } from '../../infra/testing/gameServer.ts';
import { chatStreamId, type ChatMessage } from './model.ts';
import { ChatService } from './service.ts';

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
let redis: Redis;
const prefix = `test:chat:${randomBytes(4).toString('hex')}:`;

before(async () => {
  schema = await createTestSchema('chat_service');
  db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 100 });
  redis = new Redis(testRedisUrl);
});
after(async () => {
  redis.disconnect();
  await dropRedisKeys(testRedisUrl, prefix);
  await store.close();
  await db.close();
  await schema.drop();
});

function chat(posted: ChatMessage[] = []) {
  // Five messages a player, refilled one per 12 minutes: a burst meets the limit, never the refill.
  const limiter = redisRateLimiter(redis, rateLimits({ 'chat.player': { limit: 5, windowMs: 3_600_000 } }), { prefix, logger: pino({ level: 'silent' }) });
  return new ChatService({ store, moderation: chatModeration(), rateLimit: chatRateLimit(limiter), listener: { posted: (m) => posted.push(m) } });
}

const postedTexts = async (channel: string) =>
  (await store.readStream(chatStreamId(channel))).filter((e) => e.type === 'ChatMessagePosted').map((e) => (e.data as { text: string }).text);

describe('chat service', () => {
  test('a message flagged by moderation is refused and never recorded, nor delivered', async () => {
    const live: ChatMessage[] = [];
    const service = chat(live);
    const channel = 'legion:flagged-1';
    assert.equal((await service.post(channel, 'mod-ana', 'well played')).ok, true);
    for (const text of ['you IDIOT', 'what a m0r0n', 'i d i o t', 'Íďíóţ!!']) {
      const refused = await service.post(channel, 'mod-bo', text);
      assert.deepEqual(refused.ok ? 'posted' : refused.code, 'chat/flagged', text);
    }
    assert.deepEqual(await postedTexts(channel), ['well played']);
    assert.deepEqual((await service.history(channel)).map((m) => m.text), ['well played']);
    assert.deepEqual(live.map((m) => m.text), ['well played']);
  });

  test('1,000 messages at once into one channel: each player gets their rate, every accepted message is recorded once, no refused one is', async () => {
    const service = chat();
    const channel = 'match:burst-room';
    const players = Array.from({ length: 20 }, (_, i) => `burst-p${i}`);
    const sends = Array.from({ length: 1000 }, (_, i) => ({ player: players[i % players.length]!, text: `message ${i}` }));
    const results = await Promise.all(sends.map((s) => service.post(channel, s.player, s.text)));

    const accepted = sends.filter((_, i) => results[i]!.ok).map((s) => s.text);
    const refused = results.filter((r) => !r.ok);
    assert.equal(accepted.length, players.length * 5);
    assert.ok(refused.every((r) => !r.ok && r.code === 'chat/rate_limited' && (r.retryAfterMs ?? 0) > 0));
    const recorded = await postedTexts(channel);
    assert.deepEqual([...recorded].sort(), [...accepted].sort());
    assert.equal(new Set(recorded).size, recorded.length);
    // Fewer appends than messages: the burst went out in batches.
    const commits = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema.name}.commits WHERE stream_id = $1`, [chatStreamId(channel)]);
    assert.ok(Number(commits[0]!.n) < accepted.length);
  });

  test('a moderator retracts a message and mutes a player, who is then refused; others may not moderate', async () => {
    const service = chat();
    const channel = 'legion:moderated-1';
    const posted = await service.post(channel, 'mute-cy', 'spam spam');
    assert.ok(posted.ok);
    const notModerator = await service.retract(channel, posted.message.messageId, 'mute-di', false);
    assert.ok(!notModerator.ok && notModerator.code === 'chat/not_moderator');
    assert.equal((await service.retract(channel, posted.message.messageId, 'mute-lead', true)).ok, true);
    assert.deepEqual(await service.history(channel), []);
    assert.equal((await service.mute(channel, 'mute-cy', 'mute-lead', true, 60_000)).ok, true);
    const muted = await service.post(channel, 'mute-cy', 'let me talk');
    assert.ok(!muted.ok && muted.code === 'chat/muted');
    assert.deepEqual(await postedTexts(channel), ['spam spam']);
  });
});
