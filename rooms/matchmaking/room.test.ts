// End to end: real @colyseus/sdk clients queue in the matchmaking room of a real game server
// (store on the local PostgreSQL), get `matched`, consume their seat reservations and land in
// the battle or raid room the queue opened for them. Each test queues in a rating region of
// its own (more than the widest band apart), so the shared queue room never mixes them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { matchMaker } from '@colyseus/core';
import type { Client, Room } from '@colyseus/sdk';
import { startTestGameServer, type TestGameServer } from '../../infra/testing/gameServer.ts';
import type { BattleView } from '../battle/state.ts';
import type { RaidView } from '../raid/state.ts';
import type { Refused } from '../shared/messages.ts';
import type { Left, Matched, MatchmakingJoinOptions } from './room.ts';
import type { MatchmakingView } from './state.ts';
import { until } from '../../infra/testing/roomClient.ts';

let server: TestGameServer;
before(async () => {
  server = await startTestGameServer('matchmaking_room');
});
after(async () => {
  await server.stop();
});

type Queued = { client: Client; room: Room<MatchmakingView>; playerId: string; matched: Promise<Matched>; isMatched(): boolean };

const charts = [
  { sun: 'aries', moon: 'leo', rising: 'sagittarius' },
  { sun: 'cancer', moon: 'pisces', rising: 'virgo' },
  { sun: 'gemini', moon: 'libra', rising: 'aquarius' },
] as const;
const oracles = (playerId: string, count = 1) =>
  Array.from({ length: count }, (_, i) => ({ oracleId: `${playerId}-o${i + 1}`, name: `Oracle ${i + 1}`, chart: { ...charts[i % charts.length]! } }));

async function queue(playerId: string, rating: number, mode: MatchmakingJoinOptions['mode'], extra: Partial<MatchmakingJoinOptions> = {}): Promise<Queued> {
  const client = server.client();
  const room = await client.joinOrCreate<MatchmakingView>('matchmaking', { playerId, rating, mode, oracles: oracles(playerId), ...extra });
  let matchedYet = false;
  const matched = new Promise<Matched>((resolve, reject) => {
    room.onMessage('matched', (message: Matched) => {
      matchedYet = true;
      resolve(message);
    });
    room.onMessage('refused', (message: Refused) => reject(new Error(`${playerId} was refused: ${message.code}`)));
    room.onMessage('left', () => {});
  });
  matched.catch(() => {}); // a test that expects no match never awaits it
  return { client, room, playerId, matched, isMatched: () => matchedYet };
}

/** Lets the queue run `passes` more matching passes, as seen on its own clock. */
async function passes(q: Queued, count: number): Promise<void> {
  const target = (q.room.state.tick ?? 0) + count;
  await until(q.room, (s) => s.tick >= target, `${count} matching passes`);
}

/** The player's own queue entry says `status`. */
const entryIs = (q: Queued, status: string) => until(q.room, (s) => s.entries?.get(q.playerId)?.status === status, `${q.playerId} ${status}`);

async function land<S>(q: Queued): Promise<{ matched: Matched; game: Room<any, S> }> {
  const matched = await q.matched;
  const game = await q.client.consumeSeatReservation<S>(matched.reservation);
  game.onMessage('refused', () => {});
  game.onMessage('room/status', () => {});
  return { matched, game };
}

/** The server-side game room: which player each connected session sits as. */
function seatedPlayers(roomId: string): string[] {
  const live = matchMaker.getLocalRoomById(roomId) as unknown as { seats: Map<string, { playerId?: string }> };
  return [...live.seats.values()].map((seat) => seat.playerId ?? 'spectator').sort();
}

async function joinError(options: object): Promise<string> {
  try {
    const room = await server.client().joinOrCreate('matchmaking', options);
    await room.leave();
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail(`joining with ${JSON.stringify(options)} should have been refused`);
}

describe('matchmaking room', () => {
  test('two players queued for battle-1v1 land in the same battle, on opposite sides, as participants', async () => {
    const ana = await queue('ana', 1000, 'battle-1v1', { oracles: oracles('ana', 3) });
    const bo = await queue('bo', 1040, 'battle-1v1');
    const [a, b] = await Promise.all([land<BattleView>(ana), land<BattleView>(bo)]);

    assert.equal(a.matched.roomName, 'battle');
    assert.equal(a.matched.roomId, b.matched.roomId);
    assert.notEqual(a.matched.side, b.matched.side);
    assert.equal(a.game.roomId, b.game.roomId);
    for (const { game } of [a, b]) await until(game, (s) => s.seats?.size === 2 && s.oracles?.size === 2, 'the line-up');
    assert.equal(a.game.state.seats.get('ana')?.side, a.matched.side);
    assert.equal(a.game.state.seats.get('bo')?.side, b.matched.side);
    // Sides field equal squads: ana brought three oracles but fields one, like bo.
    assert.deepEqual([...a.game.state.oracles.keys()].sort(), ['ana-o1', 'bo-o1']);
    assert.deepEqual(seatedPlayers(a.game.roomId), ['ana', 'bo']);
    // The queue closed their matchmaking sessions and holds nobody.
    assert.equal((matchMaker.getLocalRoomById(ana.room.roomId) as unknown as { state?: MatchmakingView } | undefined)?.state?.queued ?? 0, 0);
    await Promise.all([a.game.leave(), b.game.leave()]);
  });

  test('battle-2v2: a party of two stays together against two solo players', async () => {
    const cy = await queue('cy', 3000, 'battle-2v2', { party: ['cy', 'di'] });
    await until(cy.room, (s) => s.entries?.get('cy')?.missing?.join() === 'di', 'cy waiting for di');
    await entryIs(cy, 'gathering');
    const di = await queue('di', 3100, 'battle-2v2', { party: ['di', 'cy'] });
    await entryIs(di, 'queued');
    await entryIs(cy, 'queued');
    // Each client sees its own entry only; the queue's figures are public.
    assert.equal(cy.room.state.entries.get('di'), undefined);
    assert.equal(di.room.state.entries.get('cy'), undefined);
    await until(di.room, (s) => s.modes?.get('battle-2v2') === 2, 'the public count of queued players');
    const ed = await queue('ed', 3020, 'battle-2v2');
    const fa = await queue('fa', 3080, 'battle-2v2');
    const landed = await Promise.all([cy, di, ed, fa].map((q) => land<BattleView>(q)));

    assert.equal(new Set(landed.map((l) => l.game.roomId)).size, 1);
    const game = landed[0]!.game;
    await until(game, (s) => s.seats?.size === 4, 'four seats');
    const sideOf = (playerId: string) => game.state.seats.get(playerId)?.side;
    assert.equal(sideOf('cy'), sideOf('di'));
    assert.equal(sideOf('ed'), sideOf('fa'));
    assert.notEqual(sideOf('cy'), sideOf('ed'));
    assert.deepEqual(landed[0]!.matched.sides.map((side) => [...side].sort()).sort(), [['cy', 'di'], ['ed', 'fa']]);
    assert.deepEqual(seatedPlayers(game.roomId), ['cy', 'di', 'ed', 'fa']);
    await Promise.all(landed.map((l) => l.game.leave()));
  });

  test('players far apart in rating are not matched at first; a close one is', async () => {
    const gi = await queue('gi', 6000, 'battle-1v1');
    const ha = await queue('ha', 6600, 'battle-1v1');
    await entryIs(ha, 'queued');
    await passes(gi, 4);
    assert.equal(gi.isMatched() || ha.isMatched(), false);

    const iz = await queue('iz', 6050, 'battle-1v1');
    const [g, i] = await Promise.all([land<BattleView>(gi), land<BattleView>(iz)]);
    assert.equal(g.matched.roomId, i.matched.roomId);
    assert.deepEqual(g.matched.sides.flat().sort(), ['gi', 'iz']);
    await passes(ha, 2);
    assert.equal(ha.isMatched(), false);
    await entryIs(ha, 'queued');
    await Promise.all([g.game.leave(), i.game.leave(), ha.room.leave()]);
  });

  test('a player who leaves the queue, or whose connection drops, is not matched', async () => {
    const jo = await queue('jo', 9000, 'battle-1v1');
    const left = new Promise<Left>((resolve) => jo.room.onMessage('left', resolve));
    const closed = new Promise<number>((resolve) => jo.room.onLeave(resolve));
    jo.room.send('leave');
    assert.deepEqual(await left, { playerId: 'jo' });
    await closed;

    const lu = await queue('lu', 9000, 'battle-1v1');
    lu.room.reconnection.enabled = false;
    const queueRoomId = lu.room.roomId;
    lu.room.connection.close();
    const live = () => matchMaker.getLocalRoomById(queueRoomId) as unknown as { state: MatchmakingView } | undefined;
    for (const deadline = Date.now() + 5000; (live()?.state.queued ?? 0) > 0; ) {
      assert.ok(Date.now() < deadline, 'the dropped player is still queued');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const ki = await queue('ki', 9000, 'battle-1v1');
    await entryIs(ki, 'queued');
    await passes(ki, 3);
    assert.equal(ki.isMatched(), false);
    const mo = await queue('mo', 9010, 'battle-1v1');
    const [k, m] = await Promise.all([land<BattleView>(ki), land<BattleView>(mo)]);
    assert.deepEqual(k.matched.sides.flat().sort(), ['ki', 'mo']);
    assert.deepEqual(seatedPlayers(k.game.roomId), ['ki', 'mo']);
    await Promise.all([k.game.leave(), m.game.leave()]);
  });

  test('two players queued for raid-2 land in one raid against a boss', async () => {
    const ny = await queue('ny', 12_000, 'raid-2', { oracles: oracles('ny', 2) });
    const os = await queue('os', 12_050, 'raid-2');
    const [n, o] = await Promise.all([land<RaidView>(ny), land<RaidView>(os)]);
    assert.equal(n.matched.roomName, 'raid');
    assert.equal(n.matched.side, null);
    assert.equal(n.game.roomId, o.game.roomId);
    await until(n.game, (s) => s.seats?.size === 2 && Boolean(s.boss?.bossId), 'the raid line-up');
    assert.deepEqual([...n.game.state.oracles.keys()].sort(), ['ny-o1', 'ny-o2', 'os-o1']);
    assert.deepEqual(seatedPlayers(n.game.roomId), ['ny', 'os']);
    await Promise.all([n.game.leave(), o.game.leave()]);
  });

  test('bad join options are refused with a matchmaking code, and an unknown message with a refusal', async () => {
    const base = { playerId: 'pe', rating: 15_000, mode: 'battle-1v1', oracles: oracles('pe') };
    const { rating: _rating, ...noRating } = base;
    assert.match(await joinError(noRating), /^matchmaking\/invalid_ticket: /);
    assert.match(await joinError({ ...base, mode: 'battle-9v9' }), /^matchmaking\/invalid_ticket: /);
    assert.match(await joinError({ ...base, rating: 1.5 }), /^matchmaking\/invalid_ticket: /);
    assert.match(await joinError({ ...base, party: ['qu', 'ra'] }), /^matchmaking\/invalid_ticket: .*must list the joining player/s);
    assert.match(await joinError({ ...base, sneaky: true }), /^matchmaking\/invalid_ticket: /);
    assert.match(await joinError({ ...base, oracles: [{ ...oracles('pe')[0]!, oracleId: 'leviathan' }] }), /^matchmaking\/invalid_ticket: .*raid boss/s);
    assert.match(await joinError({ ...base, party: ['pe', 'qu'] }), /^matchmaking\/party_too_large: /);

    const pe = await queue('pe', 15_000, 'battle-2v2', { party: ['pe', 'qu'] });
    assert.match(await joinError(base), /^matchmaking\/already_queued: pe /);
    assert.match(await joinError({ ...base, playerId: 'sa', oracles: oracles('pe') }), /^matchmaking\/already_queued: oracle pe-o1 /);
    assert.match(await joinError({ ...base, playerId: 'qu', mode: 'battle-2v2', party: ['qu', 'ta'], oracles: oracles('qu') }), /^matchmaking\/party_mismatch: /);
    assert.match(await joinError({ ...base, playerId: 'qu', mode: 'battle-3v3', party: ['qu', 'pe'], oracles: oracles('qu') }), /^matchmaking\/party_mismatch: /);

    const refused = new Promise<Refused>((resolve) => pe.room.onMessage('refused', resolve));
    pe.room.send('dance', {});
    assert.deepEqual(await refused, { code: 'matchmaking/unknown_message', commandType: 'dance', message: 'the matchmaking room takes only "leave", not "dance"' });
    await entryIs(pe, 'gathering');
    await pe.room.leave();
  });
});
