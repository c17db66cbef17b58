// The rate limiter: GCRA's arithmetic as a property, and the Redis limiter shared by
// processes, degrading to this process when Redis does not answer.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { gcra, type RateRule } from '../../rooms/shared/gcra.ts';
import { loadConfig } from '../config.ts';
import { dropRedisKeys, testRedisUrl } from '../testing/gameServer.ts';
import { memoryRateLimiter, rateLimits, redisRateLimiter } from './rateLimit.ts';

const prefix = `test:rate:${randomBytes(4).toString('hex')}:`;
const connections: Redis[] = [];
const connect = (url = testRedisUrl) => {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 500 });
  redis.on('error', () => {});
  connections.push(redis);
  return redis;
};
after(async () => {
  await dropRedisKeys(testRedisUrl, prefix);
  for (const redis of connections) redis.disconnect();
});
const silent = pino({ level: 'silent' });

test('GCRA never lets more through than the burst plus what the rate refilled, and says when to come back', () => {
  fc.assert(
    fc.property(
      fc.record({ limit: fc.integer({ min: 1, max: 50 }), windowMs: fc.integer({ min: 10, max: 60_000 }) }),
      fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 200 }),
      (rule: RateRule, gaps) => {
        let tat: number | undefined;
        let now = 1_000_000;
        const allowedAt: number[] = [];
        for (const gap of gaps) {
          now += gap;
          const step = gcra(rule, tat, now);
          tat = step.tat;
          if (step.decision.allowed) {
            allowedAt.push(now);
          } else {
            assert.ok(step.decision.retryAfterMs >= 1 && step.decision.retryAfterMs <= rule.windowMs);
            // Coming back when told is enough.
            assert.ok(gcra(rule, tat, now + step.decision.retryAfterMs).decision.allowed);
          }
        }
        // In any window, at most `limit` plus the refills of that window's span.
        for (let i = 0; i < allowedAt.length; i++) {
          const inWindow = allowedAt.filter((t) => t >= allowedAt[i]! && t < allowedAt[i]! + rule.windowMs).length;
          assert.ok(inWindow <= 2 * rule.limit, `${inWindow} in one window of ${rule.limit}/${rule.windowMs}ms`);
        }
      },
    ),
  );
});

test('in Redis, two processes share one budget', async () => {
  const limits = rateLimits({ 'join.player': { limit: 4, windowMs: 60_000 } });
  const a = connect();
  const b = connect();
  await Promise.all([a.connect(), b.connect()]);
  const first = redisRateLimiter(a, limits, { prefix, logger: silent });
  const second = redisRateLimiter(b, limits, { prefix, logger: silent });
  const decisions = [];
  for (let i = 0; i < 6; i++) decisions.push(await (i % 2 === 0 ? first : second).take('join.player', 'ana'));
  assert.deepEqual(decisions.map((d) => d.allowed), [true, true, true, true, false, false]);
  const refused = decisions[4]!;
  assert.ok(!refused.allowed && refused.retryAfterMs > 0 && refused.retryAfterMs <= 15_000);
  // Another subject has its own budget.
  assert.equal((await first.take('join.player', 'bo')).allowed, true);
});

test('in Redis, a short window refills: a refused subject is let through again later', async () => {
  const limits = rateLimits({ 'command.player': { limit: 2, windowMs: 200 } });
  const redis = connect();
  await redis.connect();
  const limiter = redisRateLimiter(redis, limits, { prefix, logger: silent });
  assert.equal((await limiter.take('command.player', 'cy')).allowed, true);
  assert.equal((await limiter.take('command.player', 'cy')).allowed, true);
  const refused = await limiter.take('command.player', 'cy');
  assert.equal(refused.allowed, false);
  const deadline = Date.now() + 5_000;
  let again = false;
  while (!again && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    again = (await limiter.take('command.player', 'cy')).allowed;
  }
  assert.ok(again);
});

test('with Redis unreachable, limits are still enforced, in this process', async () => {
  const limits = rateLimits({ 'signin.ip': { limit: 2, windowMs: 60_000 } });
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
  const dead = connect('redis://127.0.0.1:1');
  await dead.connect().catch(() => {});
  const limiter = redisRateLimiter(dead, limits, { prefix, logger });
  assert.deepEqual(await Promise.all([1, 2, 3].map(() => limiter.take('signin.ip', '203.0.113.9'))).then((d) => d.map((x) => x.allowed)), [true, true, false]);
  assert.equal(lines.filter((line) => line.includes('Redis does not answer')).length, 1);
});

test('several limits at once: all or none, in Redis and in this process', async () => {
  const limits = rateLimits({ 'join.ip': { limit: 3, windowMs: 60_000 }, 'join.player': { limit: 1, windowMs: 60_000 } });
  const redis = connect();
  await redis.connect();
  for (const limiter of [redisRateLimiter(redis, limits, { prefix: `${prefix}all:`, logger: silent }), memoryRateLimiter(limits)]) {
    assert.equal((await limiter.takeAll([['join.ip', '192.0.2.1'], ['join.player', 'ana']])).allowed, true);
    const refused = await limiter.takeAll([['join.ip', '192.0.2.1'], ['join.player', 'ana']]);
    assert.ok(!refused.allowed && refused.retryAfterMs > 30_000, limiter.kind);
    // ana's refusal took nothing from the address: two more players still get in, the third does not.
    assert.equal((await limiter.takeAll([['join.ip', '192.0.2.1'], ['join.player', 'bo']])).allowed, true);
    assert.equal((await limiter.takeAll([['join.ip', '192.0.2.1'], ['join.player', 'cy']])).allowed, true);
    assert.equal((await limiter.takeAll([['join.ip', '192.0.2.1'], ['join.player', 'di']])).allowed, false);
  }
});

test('the in-process limiter keeps the same limits', async () => {
  let now = 0;
  const limiter = memoryRateLimiter(rateLimits({ 'join.ip': { limit: 3, windowMs: 3_000 } }), () => now);
  const decisions = [];
  for (let i = 0; i < 4; i++) decisions.push(await limiter.take('join.ip', '198.51.100.7'));
  assert.deepEqual(decisions.map((d) => d.allowed), [true, true, true, false]);
  now += 1_000;
  assert.equal((await limiter.take('join.ip', '198.51.100.7')).allowed, true);
});

test('PANTHEON_RATE_LIMITS overrides limits by name, and a bad one names the variable', () => {
  const config = loadConfig({ PANTHEON_RATE_LIMITS: 'join.ip=1000/60,command.player=30/1.5' });
  assert.deepEqual(config.PANTHEON_RATE_LIMITS, { 'join.ip': { limit: 1000, windowMs: 60_000 }, 'command.player': { limit: 30, windowMs: 1_500 } });
  assert.throws(() => loadConfig({ PANTHEON_RATE_LIMITS: 'joins=5/60' }), /PANTHEON_RATE_LIMITS="joins=5\/60" joins is not a rate limit/);
  assert.throws(() => loadConfig({ PANTHEON_RATE_LIMITS: 'join.ip=lots' }), /PANTHEON_RATE_LIMITS="join.ip=lots" must be name=count\/seconds/);
});
