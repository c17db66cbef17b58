// Refresh tokens, in Redis and in memory alike: single use, rotated, and a reuse revokes
// the whole sign-in they belong to.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { dropRedisKeys, testRedisUrl } from '../testing/gameServer.ts';
import { memoryRefreshTokens, redisRefreshTokens, type RefreshTokenStore } from './refreshTokens.ts';

const prefix = `test:refresh:${randomBytes(4).toString('hex')}:`;
const redis = new Redis(testRedisUrl);
after(async () => {
  await dropRedisKeys(testRedisUrl, prefix);
  redis.disconnect();
});

const stores: Array<[string, () => RefreshTokenStore]> = [
  ['redis', () => redisRefreshTokens(redis, { prefix })],
  ['memory', () => memoryRefreshTokens()],
];

for (const [kind, make] of stores) {
  describe(`refresh tokens (${kind})`, () => {
    test('each token buys one successor; the player stays the same', async () => {
      const store = make();
      const first = await store.issue('ana');
      const second = await store.rotate(first);
      assert.ok(second.ok);
      assert.equal(second.record.playerId, 'ana');
      assert.notEqual(second.token, first);
      const third = await store.rotate(second.token);
      assert.ok(third.ok);
      assert.equal(third.record.family, second.record.family);
    });

    test('a spent token presented again revokes its family: the thief and the player are both signed out', async () => {
      const store = make();
      const first = await store.issue('bo');
      const second = await store.rotate(first);
      assert.ok(second.ok);
      assert.deepEqual(await store.rotate(first), { ok: false, reason: 'reused' });
      assert.deepEqual(await store.rotate(second.token), { ok: false, reason: 'revoked' });
      // Another sign-in of the same player is not touched.
      const other = await store.issue('bo');
      assert.ok((await store.rotate(other)).ok);
    });

    test('revoked, unknown and malformed tokens buy nothing', async () => {
      const store = make();
      const token = await store.issue('cy');
      assert.equal(await store.revoke(token), true);
      assert.deepEqual(await store.rotate(token), { ok: false, reason: 'unknown' });
      assert.equal(await store.revoke(token), false);
      for (const bad of ['', 'rt1..', "rt1.' OR 1=1 --.x", `rt1.${'A'.repeat(22)}.${'B'.repeat(43)}`]) {
        assert.deepEqual(await store.rotate(bad), { ok: false, reason: 'unknown' });
      }
    });
  });
}

test('in memory, a token expires after its lifetime', async () => {
  let now = 0;
  const store = memoryRefreshTokens({ ttlMs: 1000, now: () => now });
  const token = await store.issue('di');
  now = 1001;
  assert.deepEqual(await store.rotate(token), { ok: false, reason: 'unknown' });
});
