// Watch-connection limits against the local Redis: two limiters (two processes) share one
// count per watch-only token, account and address; a released lease frees its place.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { dropRedisKeys, testRedisUrl } from '../testing/gameServer.ts';
import { memoryWatchLimiter, redisWatchLimiter, WatchLimitOverrides } from './watchLimits.ts';

const prefix = `test:watch:${randomBytes(4).toString('hex')}:`;
const logger = pino({ level: 'silent' });
const redisA = new Redis(testRedisUrl);
const redisB = new Redis(testRedisUrl);
const limits = { token: 2, account: 3, address: 4 };
const a = redisWatchLimiter(redisA, limits, { prefix, logger });
const b = redisWatchLimiter(redisB, limits, { prefix, logger });
after(async () => {
  a.close();
  b.close();
  redisA.disconnect();
  redisB.disconnect();
  await dropRedisKeys(testRedisUrl, prefix);
});

const watcher = (id: string) => ({ playerId: id, roles: ['spectator' as const] });
const player = (id: string) => ({ playerId: id, roles: ['player' as const] });

describe('watch limits', () => {
  test('a watch-only token holds at most its limit across processes, and a release frees a place', async () => {
    const first = await a.acquire('s1', watcher('spectator:t1'), '10.0.0.1');
    await b.acquire('s2', watcher('spectator:t1'), '10.0.0.1');
    await assert.rejects(b.acquire('s3', watcher('spectator:t1'), '10.0.0.1'), (error: Error & { code?: string }) => error.code === 'spectate/limit' && /token/.test(error.message));
    first.release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await b.acquire('s3', watcher('spectator:t1'), '10.0.0.1');
  });

  test('an address holds at most its limit whatever tokens it uses; a refused lease takes no place', async () => {
    for (let i = 0; i < 4; i++) await (i % 2 ? a : b).acquire(`ip${i}`, watcher(`spectator:ip${i}`), '10.0.0.2');
    await assert.rejects(a.acquire('ip4', player('acct-1'), '10.0.0.2'), /address/);
    // The account was not charged for the refused join.
    for (let i = 0; i < 3; i++) await a.acquire(`acct${i}`, player('acct-1'), `10.0.1.${i}`);
    await assert.rejects(b.acquire('acct3', player('acct-1'), '10.0.1.9'), /account/);
  });

  test('in one process without Redis, the same limits hold', async () => {
    const local = memoryWatchLimiter(limits);
    const leases = [await local.acquire('m1', watcher('spectator:m'), undefined), await local.acquire('m2', watcher('spectator:m'), undefined)];
    await assert.rejects(local.acquire('m3', watcher('spectator:m'), undefined), /spectate|token/);
    leases[0]!.release();
    await local.acquire('m3', watcher('spectator:m'), undefined);
  });

  test('PANTHEON_WATCH_LIMITS is parsed and bad values are refused', () => {
    assert.deepEqual(WatchLimitOverrides.parse('address=200,token=2'), { address: 200, token: 2 });
    assert.equal(WatchLimitOverrides.safeParse('room=2').success, false);
  });
});
