// A player's command budget over all their rooms: the per-room limit lets each room take a
// burst, the shared budget (Redis, or this process without it) refuses the player in every
// room once the sum is over. The clock is frozen so the budget's window cannot turn over
// mid-test; the per-room limiter runs on the real clock.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { duelSetup } from '../../rooms/battle/testing/fixtures.e2e.ts';
import type { BattleView } from '../../rooms/battle/state.ts';
import type { Refused } from '../../rooms/shared/messages.ts';
import { dropRedisKeys, startTestGameServer, testRedisUrl, type TestGameServer } from '../testing/gameServer.ts';
import { quiet, until } from '../testing/roomClient.ts';
import { memoryCommandBudget, redisCommandBudget } from './commandBudget.ts';

const rule = { limit: 4, windowMs: 60_000 };
const frozen = 1_800_000_030_000; // 30 s into a window

describe('command budget', () => {
  const prefix = `test:budget:${process.pid}:`;
  let redis: Redis;
  before(async () => {
    redis = new Redis(testRedisUrl);
  });
  after(async () => {
    await dropRedisKeys(testRedisUrl, prefix);
    redis.disconnect();
  });

  for (const kind of ['redis', 'memory'] as const) {
    test(`${kind}: reports add up per player; over the limit answers the rest of the window`, async () => {
      const budget = kind === 'redis' ? redisCommandBudget(redis, rule, { prefix, logger: console, now: () => frozen }) : memoryCommandBudget(rule, () => frozen);
      if (kind === 'redis') await redis.ping();
      assert.deepEqual(await budget.spend(new Map([['ana', 3], ['bo', 1]])), new Map());
      assert.deepEqual(await budget.spend(new Map([['ana', 1]])), new Map(), 'four is the limit, not over it');
      assert.deepEqual(await budget.spend(new Map([['ana', 1], ['bo', 2]])), new Map([['ana', 30_000]]));
    });
  }
});

describe('a player in two rooms', () => {
  let server: TestGameServer;
  before(async () => {
    // Each room alone would take a hundred; all of ed's rooms together, four.
    server = await startTestGameServer('command_budget', { auth: { now: () => frozen, limits: { 'command.player': { limit: 100, windowMs: 60_000 }, 'command.all': rule } } });
  });
  after(async () => {
    await server.stop();
  });

  test('is refused in both once their commands in all rooms add up to more than the budget', async () => {
    const open = async (opponent: string) => {
      const room = await server.client().create<BattleView>('battle', { ...duelSetup('ed', opponent), playerId: 'ed' });
      const other = quiet(await server.client().joinById<BattleView>(room.roomId, { playerId: opponent }));
      room.onMessage('room/status', () => {});
      await until(room, (s) => s.oracles?.size === 2, 'the line-up');
      const refusals: Refused[] = [];
      room.onMessage('refused', (message: Refused) => refusals.push(message));
      return { room, other, refusals };
    };
    const a = await open('fy');
    const b = await open('gu');
    const answered = async (side: { refusals: Refused[] }, count: number) => {
      const deadline = Date.now() + 10_000;
      while (side.refusals.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(side.refusals.length, count, 'every command was answered');
    };
    // An unknown oracle: refused by the rules, not by a limit.
    for (let i = 0; i < 3; i++) a.room.send('CastAbility', { oracleId: 42, ref: `a-${i}` });
    for (let i = 0; i < 3; i++) b.room.send('CastAbility', { oracleId: 42, ref: `b-${i}` });
    await answered(a, 3);
    await answered(b, 3);
    assert.deepEqual([...a.refusals, ...b.refusals].map((r) => r.code), Array(6).fill('command/invalid'));

    // Six in all is over four: once each room has reported, it refuses ed for the rest of the window.
    const refusedAcross = async (side: { room: typeof a.room; refusals: Refused[] }, label: string) => {
      const deadline = Date.now() + 10_000;
      for (let sent = side.refusals.length; Date.now() < deadline; ) {
        side.room.send('CastAbility', { oracleId: 42, ref: `${label}-${sent}` });
        await answered(side, ++sent);
        const last = side.refusals.at(-1)!;
        if (last.code === 'rate/limited') return last;
        assert.equal(last.code, 'command/invalid');
      }
      assert.fail(`room ${label} never refused ed`);
    };
    for (const [side, label] of [[a, 'a'], [b, 'b']] as const) {
      const limited = await refusedAcross(side, label);
      assert.match(limited.message, /across your rooms/);
      assert.ok(limited.retryAfterMs! > 0 && limited.retryAfterMs! <= 30_000);
    }
    await Promise.all([a.room.leave(), a.other.leave(), b.room.leave(), b.other.leave()]);
  });
});
