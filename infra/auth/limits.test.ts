// Rate limits as a client meets them: sign-ins per address and per identity, room joins
// per player, commands per player in a room. Refusals carry `rate/limited` and when to try
// again; refused commands never reach the log.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { MatchMakeError } from '@colyseus/sdk';
import { duelSetup } from '../../rooms/battle/testing/fixtures.e2e.ts';
import type { BattleView } from '../../rooms/battle/state.ts';
import type { Refused } from '../../rooms/shared/messages.ts';
import { quiet, until } from '../testing/roomClient.ts';
import { startTestGameServer, type TestGameServer } from '../testing/gameServer.ts';

let server: TestGameServer;
before(async () => {
  server = await startTestGameServer('auth_limits', {
    auth: {
      limits: {
        'signin.ip': { limit: 5, windowMs: 60_000 },
        'signin.identity': { limit: 2, windowMs: 60_000 },
        'join.player': { limit: 3, windowMs: 60_000 },
        'command.player': { limit: 3, windowMs: 1_000 },
      },
    },
  });
});
after(async () => {
  await server.stop();
});

const signIn = async (deviceId: string) => {
  const response = await fetch(`${server.httpUrl}/auth/guest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId }) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { error?: { code: string } } };
};

test('sign-ins are limited per identity and per address, with 429 rate/limited and Retry-After', async () => {
  const a = `device-a-${randomBytes(8).toString('hex')}`;
  assert.equal((await signIn(a)).status, 200);
  assert.equal((await signIn(a)).status, 200);
  const perIdentity = await signIn(a);
  assert.deepEqual([perIdentity.status, perIdentity.body.error?.code], [429, 'rate/limited']);
  assert.ok(Number(perIdentity.retryAfter) >= 1);

  // The refused sign-in used up none of the address's five.
  for (const label of ['b', 'c', 'd']) assert.equal((await signIn(`device-${label}-${randomBytes(8).toString('hex')}`)).status, 200);
  const perAddress = await signIn(`device-e-${randomBytes(8).toString('hex')}`);
  assert.deepEqual([perAddress.status, perAddress.body.error?.code], [429, 'rate/limited']);
  assert.ok(Number(perAddress.retryAfter) >= 1 && Number(perAddress.retryAfter) <= 60);
});

test('room joins are limited per player', async () => {
  const token = await server.tokenFor('ana');
  const room = quiet(await server.clientWithToken(token).create<BattleView>('battle', duelSetup('ana', 'bo')));
  await room.leave();
  await (await server.clientWithToken(token).joinById(room.roomId)).leave();
  await (await server.clientWithToken(token).joinById(room.roomId)).leave();
  const refused = await server.clientWithToken(token).joinById(room.roomId).then(() => undefined, (error: unknown) => error);
  assert.ok(refused instanceof MatchMakeError);
  assert.equal(refused.code, 429);
  assert.match(refused.message, /^rate\/limited: too many room joins \(retryAfterMs=\d+\)$/);
  // Another player is not held back by ana's joins.
  await (await server.clientWithToken(await server.tokenFor('bo')).joinById(room.roomId)).leave();
});

test('commands beyond the rate are refused with retryAfterMs and not recorded; the rest are', async () => {
  const r1 = await server.client().create<BattleView>('battle', { ...duelSetup('cy', 'di'), playerId: 'cy' });
  const r2 = quiet(await server.client().joinById<BattleView>(r1.roomId, { playerId: 'di' }));
  r1.onMessage('room/status', () => {});
  await until(r1, (s) => s.oracles?.size === 2, 'the line-up');
  const refusals: Refused[] = [];
  r1.onMessage('refused', (message: Refused) => refusals.push(message));
  const sent = 8;
  for (let i = 0; i < sent; i++) r1.send('CastAbility', { oracleId: 42, ref: `burst-${i}` });
  const deadline = Date.now() + 10_000;
  while (refusals.length < sent && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(refusals.length, sent, 'every command was answered');
  const limited = refusals.filter((r) => r.code === 'rate/limited');
  const invalid = refusals.filter((r) => r.code === 'command/invalid');
  assert.ok(limited.length >= sent - 3 - 1, `at most the burst (plus one refill) got through: ${limited.length} limited`);
  assert.ok(limited.every((r) => typeof r.retryAfterMs === 'number' && r.retryAfterMs > 0 && r.retryAfterMs <= 1000));
  const recorded = (await server.store.readStream(`battle-${r1.roomId}`)).filter((e) => e.type === 'CommandRejected').map((e) => (e.data as { ref: string }).ref).sort();
  assert.deepEqual(recorded, invalid.map((r) => r.ref!).sort());
  await Promise.all([r1.leave(), r2.leave()]);
});
