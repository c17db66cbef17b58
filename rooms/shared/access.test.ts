// Who may join and act in a room, end to end: real @colyseus/sdk clients with real (and
// forged, expired, stolen) session tokens against a real server. Every refusal arrives as
// the join error a client sees, with its code, and nothing reaches the log.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { MatchMakeError } from '@colyseus/sdk';
import { AccessTokens } from '../../infra/auth/tokens.ts';
import { startTestGameServer, type TestGameServer } from '../../infra/testing/gameServer.ts';
import { nextRefusal, quiet, until } from '../../infra/testing/roomClient.ts';
import { duelSetup } from '../battle/testing/fixtures.e2e.ts';
import type { BattleView } from '../battle/state.ts';

const secret = randomBytes(32).toString('base64url');
let server: TestGameServer;

before(async () => {
  server = await startTestGameServer('room_access', { env: { PANTHEON_JWT_SECRET: secret } });
});
after(async () => {
  await server.stop();
});

/** The join error a client gets: its numeric code and `<code>: message`. */
async function joinError(join: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await join;
  } catch (error) {
    assert.ok(error instanceof MatchMakeError, `expected a MatchMakeError, got ${String(error)}`);
    return { code: error.code, message: error.message };
  }
  assert.fail('the join was accepted');
}

async function openDuel(a: string, b: string) {
  const r1 = quiet(await server.clientWithToken(await server.tokenFor(a)).create<BattleView>('battle', duelSetup(a, b)));
  const r2 = quiet(await server.clientWithToken(await server.tokenFor(b)).joinById<BattleView>(r1.roomId));
  await until(r1, (s) => s.oracles?.size === 2, 'the line-up');
  return { r1, r2, streamId: `battle-${r1.roomId}` };
}

describe('joining a room', () => {
  test('without a token, nobody creates or joins a room, and nothing is written', async () => {
    const head = await server.store.headPosition();
    const created = await joinError(server.clientWithToken(undefined).create('battle', { ...duelSetup('ana', 'bo'), playerId: 'ana' }));
    assert.equal(created.code, 525);
    assert.match(created.message, /^auth\/missing_token: /);
    assert.equal(await server.store.headPosition(), head);

    const { r1, r2 } = await openDuel('ana', 'bo');
    const joined = await joinError(server.clientWithToken(undefined).joinById(r1.roomId, { playerId: 'ana' }));
    assert.match(joined.message, /^auth\/missing_token: /);
    await Promise.all([r1.leave(), r2.leave()]);
  });

  test('garbage, forged, tampered, wrong-algorithm and expired tokens are refused with their codes', async () => {
    const { r1, r2 } = await openDuel('cy', 'di');
    const good = await server.tokenFor('cy');
    const forged = (await new AccessTokens({ secret: randomBytes(32) }).issue({ playerId: 'cy', roles: ['player'] })).token;
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'di' })).toString('base64url')}.${signature}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    const expired = (await new AccessTokens({ secret: new TextEncoder().encode(secret), now: () => Date.now() - 7200_000 }).issue({ playerId: 'cy', roles: ['player'] })).token;
    for (const [token, code] of [['not-a-jwt', 'auth/invalid_token'], [forged, 'auth/invalid_token'], [tampered, 'auth/invalid_token'], [unsigned, 'auth/invalid_token'], [expired, 'auth/expired_token']] as const) {
      const error = await joinError(server.clientWithToken(token).joinById(r1.roomId));
      assert.equal(error.code, 525);
      assert.equal(error.message.split(':')[0], code, token.slice(0, 30));
    }
    await Promise.all([r1.leave(), r2.leave()]);
  });

  test('a player acts only as themself: naming another player, or a seat they do not hold, is refused', async () => {
    const { r1, r2 } = await openDuel('ed', 'fa');
    const mallory = server.clientWithToken(await server.tokenFor('mallory'));
    const asAnother = await joinError(mallory.joinById(r1.roomId, { playerId: 'ed' }));
    assert.match(asAnother.message, /^auth\/forbidden: you are signed in as mallory; you may act only as yourself/);
    const noSeat = await joinError(mallory.joinById(r1.roomId));
    assert.match(noSeat.message, /^room\/not_participant: mallory has no seat/);
    // A command carries no player of its own: the seat's player is the only one it speaks for.
    const refusal = nextRefusal(r1);
    r1.send('Forfeit', { playerId: 'fa' });
    assert.equal((await refusal).code, 'command/invalid');
    const rejected = (await server.store.readStream(`battle-${r1.roomId}`)).filter((e) => e.type === 'CommandRejected').map((e) => (e.data as { playerId: string }).playerId);
    assert.deepEqual(rejected, ['ed']);
    assert.equal(r2.state.seats.get('fa')?.forfeited, false);
    await Promise.all([r1.leave(), r2.leave()]);
  });

  test('nobody creates a room for others to play in, except an admin, who then only watches', async () => {
    const head = await server.store.headPosition();
    const stranger = await joinError(server.clientWithToken(await server.tokenFor('mallory')).create('battle', duelSetup('gi', 'ha')));
    assert.match(stranger.message, /^auth\/forbidden: you may only create a room you play in/);
    assert.equal(await server.store.headPosition(), head);

    const admin = server.clientWithToken(await server.tokenFor('ops', ['player', 'admin']));
    const watching = quiet(await admin.create<BattleView>('battle', { ...duelSetup('gi', 'ha'), spectator: true }));
    const gi = quiet(await server.clientWithToken(await server.tokenFor('gi')).joinById<BattleView>(watching.roomId));
    await until(gi, (s) => s.oracles?.size === 2, 'the line-up');
    const refusal = nextRefusal(watching);
    watching.send('Forfeit', {});
    assert.equal((await refusal).code, 'room/spectator_read_only');
    await Promise.all([watching.leave(), gi.leave()]);
  });

  test('a watch-only token watches, cannot sit, and every command it sends is refused unrecorded', async () => {
    const { r1, r2, streamId } = await openDuel('ik', 'jo');
    const watcherToken = await server.tokenFor('spectator:discord-bot', ['spectator']);
    const sitting = await joinError(server.clientWithToken(watcherToken).joinById(r1.roomId));
    assert.match(sitting.message, /^auth\/forbidden: this token may only watch/);
    const watcher = quiet(await server.clientWithToken(watcherToken).joinById<BattleView>(r1.roomId, { spectator: true }));
    await until(watcher, (s) => s.oracles?.size === 2, 'the spectator’s view');
    const before = (await server.store.readStream(streamId)).length;
    for (const [type, payload] of [['Forfeit', {}], ['CastAbility', { oracleId: 'ik-o1', abilityId: 'kindle', targetId: 'jo-o1' }]] as const) {
      const refusal = nextRefusal(watcher);
      watcher.send(type, payload);
      assert.equal((await refusal).code, 'room/spectator_read_only');
    }
    const after = await server.store.readStream(streamId);
    assert.ok(!after.slice(before).some((e) => e.type === 'CommandRejected' || e.type === 'CommandAccepted'));
    await Promise.all([r1.leave(), r2.leave(), watcher.leave()]);
  });

  test('the matchmaking queue takes a ticket only for the token’s own player', async () => {
    const ticket = { rating: 1000, mode: 'battle-1v1', oracles: [{ oracleId: 'kim-o1', name: 'Pyra', chart: { sun: 'aries', moon: 'leo', rising: 'sagittarius' } }] };
    const anonymous = await joinError(server.clientWithToken(undefined).joinOrCreate('matchmaking', ticket));
    assert.match(anonymous.message, /^auth\/missing_token: /);
    const asAnother = await joinError(server.clientWithToken(await server.tokenFor('mallory')).joinOrCreate('matchmaking', { ...ticket, playerId: 'kim' }));
    assert.match(asAnother.message, /^auth\/forbidden: /);
    const queued = quiet(await server.clientWithToken(await server.tokenFor('kim')).joinOrCreate('matchmaking', ticket));
    await until(queued, (s: { entries?: { get(id: string): unknown } }) => s.entries?.get('kim') !== undefined, 'kim queued');
    await queued.leave();
  });
});

describe('strings players choose', () => {
  // SQL, quotes, an RTL override, a ZWJ family, combining marks, astral letters, JSON-looking text.
  const odd = ["Robert'); DROP TABLE commits;--", '" OR ""="', '\u202Egnp.exe', '👩‍👩‍👧‍👦 oracle', 'Z̷̢a̶l̵g̴o', '$$; SELECT 1; $$', '𝕬𝖉𝖒𝖎𝖓 ﷽', '{"playerId":"mallory"}'];

  test('oracle names and command refs with SQL and odd Unicode are stored and shown verbatim', async () => {
    for (const [i, name] of odd.entries()) {
      const [a, b] = [`va${i}`, `vb${i}`];
      const setup = duelSetup(a, b) as { setup: { participants: Array<{ oracles: Array<{ name: string }> }> } };
      setup.setup.participants[0]!.oracles[0]!.name = name;
      const r1 = quiet(await server.clientWithToken(await server.tokenFor(a)).create<BattleView>('battle', setup));
      await until(r1, (s) => s.oracles?.size === 2, 'the line-up');
      assert.equal(r1.state.oracles.get(`${a}-o1`)?.name, name);
      const [created] = await server.store.readStream(`battle-${r1.roomId}`);
      assert.ok(JSON.stringify(created!.data).includes(JSON.stringify(name).slice(1, -1)));

      const refusal = nextRefusal(r1);
      r1.send('CastAbility', { oracleId: 99, ref: name });
      assert.equal((await refusal).ref, name);
      r1.send('Forfeit', { ref: name.slice(0, 64) });
      await until(r1, (s) => s.seats.get(a)?.lastRef === name.slice(0, 64), 'the accepted command’s ref');
      const recorded = (await server.store.readStream(`battle-${r1.roomId}`)).filter((e) => e.type === 'CommandRejected' || e.type === 'CommandAccepted').map((e) => (e.data as { ref?: string }).ref);
      assert.deepEqual(recorded, [name, name.slice(0, 64)]);
      await r1.leave();
    }
  });

  test('names with control characters or lone surrogates are refused before anything is written', async () => {
    const head = await server.store.headPosition();
    for (const name of ['nul\u0000', 'bell\u0007', 'half \uD800 pair']) {
      const setup = duelSetup('wa', 'wb') as { setup: { participants: Array<{ oracles: Array<{ name: string }> }> } };
      setup.setup.participants[0]!.oracles[0]!.name = name;
      const error = await joinError(server.clientWithToken(await server.tokenFor('wa')).create('battle', setup));
      assert.match(error.message, /^battle\/invalid_setup: /, JSON.stringify(name));
    }
    for (const playerId of ["x'; --", 'tab\tbed', '']) {
      const error = await joinError(server.clientWithToken(await server.tokenFor('wa')).create('battle', duelSetup('wa', playerId)));
      assert.match(error.message, /^battle\/invalid_setup: /, JSON.stringify(playerId));
    }
    assert.equal(await server.store.headPosition(), head);
  });
});
