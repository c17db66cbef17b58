// End to end: real @colyseus/sdk clients over WebSocket against a real game server whose
// store is the local PostgreSQL, performing rituals with the ritual bot.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Room } from '@colyseus/sdk';
import { startTestGameServer, type TestGameServer } from '../../infra/testing/gameServer.ts';
import { performRitual } from '../../load-tests/bots/ritualBot.ts';
import { roomEventTypes } from '../../events/tick/roomEvents.ts';
import type { RitualEvent } from './events.ts';
import type { RitualState } from './model.ts';
import { ritualDecider, scoreOf } from './rules.ts';
import { ANY_SEAT, type RitualView } from './state.ts';
import { foldStream as foldRoomStream, liveState as liveRoomState, nextRefusal, until } from '../../infra/testing/roomClient.ts';

let server: TestGameServer;
before(async () => {
  server = await startTestGameServer('ritual_room');
});
after(async () => {
  await server.stop();
});

const foldStream = (streamId: string) => foldRoomStream<RitualState, RitualEvent>(server.store, ritualDecider, streamId);
const liveState = (roomId: string) => liveRoomState<RitualState>(roomId);

const DAWN = 'anointing-of-the-dawn';

async function domainEvents(streamId: string): Promise<RitualEvent[]> {
  const events = await server.store.readStream(streamId);
  return events.filter((e) => !roomEventTypes.has(e.type)).map((e) => ({ type: e.type, data: e.data }) as RitualEvent);
}

/** Opens a ritual with `players` in seat order; the creator takes seat 0. */
async function openRitual(players: string[], ritualId = DAWN, countdownTicks = 10) {
  const [first, ...others] = players;
  const creator = await server.client().create<RitualView>('ritual', { setup: { ritualId, participants: players, countdownTicks }, playerId: first });
  const rooms = [creator];
  for (const playerId of others) rooms.push(await server.client().joinById<RitualView>(creator.roomId, { playerId }));
  for (const room of rooms) {
    room.onMessage('refused', () => {});
    room.onMessage('room/status', () => {});
    await until(room, (s) => s.seats?.size === players.length && s.steps?.length > 0, 'the seats and the steps');
  }
  return { rooms, roomId: creator.roomId, streamId: `ritual-${creator.roomId}` };
}

/** What a client was shown, against the fold of the stream. */
function assertShows(view: RitualView, folded: RitualState) {
  assert.notEqual(folded.status, 'not_started');
  if (folded.status === 'not_started') return;
  const { definition } = folded;
  assert.equal(view.status, folded.status);
  assert.equal(view.ritualId, folded.ritualId);
  assert.deepEqual(
    view.steps.map((s) => ({ rite: s.rite, seat: s.seat === ANY_SEAT ? 'any' : s.seat, window: { earliest: s.earliest, latest: s.latest } })),
    definition.steps,
  );
  assert.equal(view.stepIndex, folded.step);
  assert.equal(view.anchorTick, folded.anchorTick);
  assert.equal(view.missteps, folded.mistakes);
  assert.equal(view.allowedMissteps, definition.allowedMistakes);
  assert.equal(view.points, folded.points);
  assert.equal(view.score, scoreOf(folded));
  for (const [seat, playerId] of folded.participants.entries()) {
    assert.equal(view.seats.get(playerId)?.seat, seat);
    assert.equal(view.seats.get(playerId)?.lastChannelTick, folded.lastChannelTick[seat]);
  }
  if (folded.status === 'ended') {
    const { result } = folded;
    assert.deepEqual(
      { outcome: view.outcome, reason: view.endReason, omen: view.omen, codexEntries: [...view.codexEntries], anointments: [...view.anointments], stepRite: view.stepRite },
      { outcome: result.outcome, reason: result.reason, omen: result.omen, codexEntries: result.unlocks.codexEntries, anointments: result.unlocks.anointments, stepRite: '' },
    );
    assert.equal(view.score, result.score);
  } else {
    const step = definition.steps[folded.step]!;
    assert.equal(view.stepRite, step.rite);
    assert.equal(view.stepSeat, step.seat === 'any' ? ANY_SEAT : step.seat);
    assert.equal(view.stepPlayerId, step.seat === 'any' ? '' : folded.participants[step.seat]);
    assert.deepEqual([view.windowEarliest, view.windowLatest], [step.window.earliest, step.window.latest]);
    assert.deepEqual([view.opensAtTick, view.closesAtTick], [folded.anchorTick + step.window.earliest, folded.anchorTick + step.window.latest]);
  }
}

describe('ritual room', () => {
  test('two perfect performers complete the Anointing of the Dawn, and clients see exactly the fold of its stream', async () => {
    const { rooms, roomId, streamId } = await openRitual(['ana', 'bo']);
    const [r1, r2] = rooms as [Room<RitualView>, Room<RitualView>];
    const watcher = await server.client().joinById<RitualView>(roomId, { spectator: true });
    watcher.onMessage('room/status', () => {});
    // Before anyone acts, everyone is told what comes first: seat 0 invokes, and when.
    assert.deepEqual(
      { rite: r2.state.stepRite, seat: r2.state.stepSeat, player: r2.state.stepPlayerId, index: r2.state.stepIndex },
      { rite: 'invoke', seat: 0, player: 'ana', index: 0 },
    );
    assert.equal(r2.state.opensAtTick, r2.state.anchorTick + 2);

    const stops = [performRitual(r1, { playerId: 'ana' }), performRitual(r2, { playerId: 'bo' })];
    await until(r1, (s) => s.status === 'ended', 'the end of the ritual');
    stops.forEach((stop) => stop());

    const folded = await foldStream(streamId);
    assert.deepEqual(folded, liveState(roomId));
    assert.equal(folded.status, 'ended');
    if (folded.status !== 'ended') return;
    assert.equal(folded.result.outcome, 'success');
    assert.equal(folded.result.reason, 'all_rites_channelled');
    assert.equal(folded.mistakes, 0, 'a perfect performer makes no missteps');
    assert.ok(folded.result.unlocks.codexEntries.includes('codex/dawn-hymn'));
    assert.ok(folded.result.unlocks.anointments.includes('anointment/dawnmarked'));

    const events = await domainEvents(streamId);
    const channelled = events.flatMap((e) => (e.type === 'RiteChannelled' ? [e.data] : []));
    assert.deepEqual(channelled.map((c) => [c.step, c.player, c.rite]), [[0, 'ana', 'invoke'], [1, 'bo', 'offer'], [2, 'ana', 'chant'], [3, 'ana', 'seal']]);
    assert.equal(events.at(-1)!.type, 'RitualCompleted');

    for (const room of [r1, r2, watcher]) {
      await until(room, (s) => s.status === 'ended' && s.roomStatus === 'over', 'the end on every client');
      assertShows(room.state, folded);
    }
    // A seat's last command ref reaches its own player only.
    assert.match(r2.state.seats.get('bo')?.lastRef ?? '', /^bo:\d+$/);
    assert.equal(r2.state.seats.get('ana')?.lastRef ?? '', '');
    assert.equal(watcher.state.seats.get('ana')?.lastRef ?? '', '');

    const stored = await server.store.readStream(streamId);
    assert.equal(stored[0]!.type, 'RitualCreated');
    assert.ok(stored.some((e) => e.type === 'StateHashed'));
    await Promise.all([r1.leave(), r2.leave(), watcher.leave()]);
  });

  test('a performer who keeps channelling the wrong rite fails the ritual once the group exceeds its allowance', async () => {
    const { rooms, roomId, streamId } = await openRitual(['cy', 'di']);
    const [r1, r2] = rooms as [Room<RitualView>, Room<RitualView>];
    const stops = [performRitual(r1, { playerId: 'cy', mistakes: 3, mistake: 'wrong_rite' }), performRitual(r2, { playerId: 'di' })];
    await until(r2, (s) => s.status === 'ended', 'the end of the ritual');
    stops.forEach((stop) => stop());

    const folded = await foldStream(streamId);
    assert.deepEqual(folded, liveState(roomId));
    if (folded.status !== 'ended') return assert.fail('the ritual did not end');
    assert.deepEqual(
      { outcome: folded.result.outcome, reason: folded.result.reason, mistakes: folded.mistakes, step: folded.step, score: folded.result.score },
      { outcome: 'failure', reason: 'too_many_missteps', mistakes: 3, step: 0, score: 0 },
    );
    assert.deepEqual(folded.result.unlocks, { codexEntries: [], anointments: [] });
    const missteps = (await domainEvents(streamId)).flatMap((e) => (e.type === 'RiteMisstepped' ? [e.data] : []));
    assert.deepEqual(missteps.map((m) => [m.reason, m.player]), [['wrong_rite', 'cy'], ['wrong_rite', 'cy'], ['wrong_rite', 'cy']]);

    for (const room of [r1, r2]) {
      await until(room, (s) => s.status === 'ended' && s.roomStatus === 'over', 'the end on every client');
      assertShows(room.state, folded);
      assert.equal(room.state.outcome, 'failure');
      assert.equal(room.state.codexEntries.length, 0);
    }
    await Promise.all([r1.leave(), r2.leave()]);
  });

  test('one participant abandoning ends the ritual for all', async () => {
    const { rooms, roomId, streamId } = await openRitual(['ed', 'fa', 'gu'], 'tidecall');
    const [r1, r2, r3] = rooms as [Room<RitualView>, Room<RitualView>, Room<RitualView>];
    r3.send('Abandon', {});
    await until(r1, (s) => s.status === 'ended', 'the end of the ritual');
    const folded = await foldStream(streamId);
    assert.deepEqual(folded, liveState(roomId));
    assertShows(r1.state, folded);
    assert.equal(r1.state.endReason, 'abandoned');
    await Promise.all([r1.leave(), r2.leave(), r3.leave()]);
  });

  test('malformed and unknown commands get typed refusals, are recorded, and change nothing', async () => {
    const { rooms, streamId } = await openRitual(['hu', 'io'], DAWN, 50);
    const [r1, r2] = rooms as [Room<RitualView>, Room<RitualView>];

    let refusal = nextRefusal(r1);
    r1.send('ChannelRite', { rite: 'dance', ref: 'bad-rite' });
    assert.deepEqual({ ...(await refusal), message: '' }, { code: 'command/invalid', commandType: 'ChannelRite', ref: 'bad-rite', message: '' });

    refusal = nextRefusal(r1);
    r1.send('Abandon', { now: true });
    assert.equal((await refusal).code, 'command/invalid');

    refusal = nextRefusal(r1);
    r1.send('Dance', {});
    assert.equal((await refusal).code, 'command/unknown');

    const stored = await server.store.readStream(streamId);
    assert.deepEqual(stored.filter((e) => e.type === 'CommandRejected').map((e) => (e.data as { code: string }).code), ['command/invalid', 'command/invalid', 'command/unknown']);
    assert.deepEqual((await domainEvents(streamId)).map((e) => e.type), ['RitualCreated']);
    const folded = await foldStream(streamId);
    assert.equal(folded.status, 'in_progress');
    assertShows(r1.state, folded);
    await Promise.all([r1.leave(), r2.leave()]);
  });

  test('spectators watch the ritual, but every rite they channel is refused; strangers cannot take a seat', async () => {
    const { rooms, roomId, streamId } = await openRitual(['ja', 'ko'], DAWN, 50);
    const [r1, r2] = rooms as [Room<RitualView>, Room<RitualView>];
    const watcher = await server.client().joinById<RitualView>(roomId, { spectator: true });
    watcher.onMessage('room/status', () => {});
    await until(watcher, (s) => s.seats?.size === 2 && s.steps?.length === 4, 'the spectator’s view');
    const before = (await server.store.readStream(streamId)).length;

    let refusal = nextRefusal(watcher);
    watcher.send('ChannelRite', { rite: 'invoke' });
    assert.equal((await refusal).code, 'room/spectator_read_only');
    refusal = nextRefusal(watcher);
    watcher.send('Abandon', {});
    assert.equal((await refusal).code, 'room/spectator_read_only');

    const added = (await server.store.readStream(streamId)).slice(before);
    assert.ok(!added.some((e) => !['StateHashed'].includes(e.type)), `nothing but hashes was appended: ${added.map((e) => e.type).join(', ')}`);
    assert.equal(watcher.state.status, 'in_progress');
    assertShows(watcher.state, await foldStream(streamId));
    await assert.rejects(server.client().joinById(roomId, { playerId: 'mallory' }), /room\/not_participant/);
    await assert.rejects(
      server.client().create('ritual', { setup: { ritualId: 'tidecall', participants: ['ja', 'ko'] }, playerId: 'ja' }),
      /ritual\/invalid_setup: [^]*Tidecall needs 3 to 5 participants/,
    );
    await Promise.all([r1.leave(), r2.leave(), watcher.leave()]);
  });
});
