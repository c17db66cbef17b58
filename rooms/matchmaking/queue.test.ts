// Matchmaking queue: examples for each rule, then properties over random queues.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  bandAt, defaultMatchmakingConfig, dequeue, emptyQueue, enqueue, formMatches, matchmakingRefusalCodes, modeShapes, QueueMode,
  type MatchmakingRefusalCode, type QueueState, type Ticket,
} from './queue.ts';

const ticket = (id: string, rating: number, mode: QueueMode, joinedAt = 0, players: string[] = [id]): Ticket => ({ id, players, rating, mode, joinedAt });

function queueOf(...tickets: Ticket[]): QueueState {
  return tickets.reduce<QueueState>((state, t) => {
    const update = enqueue(state, t);
    assert.ok(update.ok, `enqueue ${t.id}`);
    return update.state;
  }, emptyQueue());
}

const refusalsSeen = new Set<MatchmakingRefusalCode>();
function assertRefused(update: ReturnType<typeof enqueue>, code: MatchmakingRefusalCode): void {
  assert.equal(update.ok, false);
  if (!update.ok) assert.equal(update.refusal.code, code);
  refusalsSeen.add(code);
}

test('enqueue keeps join order, whatever order the calls come in', () => {
  const a = ticket('a', 1000, 'battle-1v1', 5);
  const b = ticket('b', 1000, 'battle-1v1', 3);
  const c = ticket('c', 1000, 'battle-1v1', 3);
  assert.deepEqual(queueOf(a, c, b).tickets.map((t) => t.id), ['b', 'c', 'a']);
});

test('enqueue and dequeue refusals', () => {
  const state = queueOf(ticket('t1', 1000, 'battle-2v2', 0, ['ana', 'bo']));
  assertRefused(enqueue(state, { id: 't2', players: [], rating: 1, mode: 'raid-2', joinedAt: 0 }), 'matchmaking/invalid_ticket');
  assertRefused(enqueue(state, ticket('t2', 1.5, 'raid-2')), 'matchmaking/invalid_ticket');
  assertRefused(enqueue(state, ticket('t2', 1000, 'raid-2', 0, ['cyd', 'cyd'])), 'matchmaking/invalid_ticket');
  assertRefused(enqueue(state, ticket('t2', 1000, 'battle-1v1', 0, ['cyd', 'dee'])), 'matchmaking/party_too_large');
  assertRefused(enqueue(state, ticket('t1', 1000, 'raid-2', 0, ['cyd'])), 'matchmaking/already_queued');
  assertRefused(enqueue(state, ticket('t2', 1000, 'raid-2', 0, ['bo'])), 'matchmaking/already_queued');
  assertRefused(dequeue(state, 't9'), 'matchmaking/not_queued');
  assert.deepEqual(dequeue(state, 't1'), { ok: true, state: emptyQueue() });
  assert.deepEqual([...refusalsSeen].sort(), [...matchmakingRefusalCodes].sort());
});

test('the rating band widens in steps with waiting time, up to a cap', () => {
  assert.equal(bandAt(0), 100);
  assert.equal(bandAt(9), 100);
  assert.equal(bandAt(10), 150);
  assert.equal(bandAt(1_000_000), defaultMatchmakingConfig.maxBand);
});

test('players far apart in rating wait until both bands have widened enough', () => {
  const state = queueOf(ticket('a', 1000, 'battle-1v1', 0), ticket('b', 1300, 'battle-1v1', 20));
  assert.equal(formMatches(state, 20).matches.length, 0); // b has waited 0: band 100
  assert.equal(formMatches(state, 59).matches.length, 0); // b has waited 39: band 250
  const { matches, state: after } = formMatches(state, 60); // band 300 both ways
  assert.deepEqual(matches, [{ mode: 'battle-1v1', anchorTicketId: 'a', sides: [
    { tickets: ['a'], players: ['a'], ratingTotal: 1000 },
    { tickets: ['b'], players: ['b'], ratingTotal: 1300 },
  ] }]);
  assert.deepEqual(after, emptyQueue());
});

test('modes never mix, and the longest-waiting tickets are matched first', () => {
  const state = queueOf(
    ticket('a', 1000, 'battle-1v1', 0), ticket('r', 1000, 'raid-2', 1), ticket('b', 1000, 'battle-1v1', 2), ticket('c', 1000, 'battle-1v1', 3),
  );
  const { matches, state: after } = formMatches(state, 3);
  assert.deepEqual(matches.map((m) => m.sides.map((s) => s.tickets)), [[['a'], ['b']]]);
  assert.deepEqual(after.tickets.map((t) => t.id), ['r', 'c']);
});

test('a party stays on one side, and sides are split for the closest rating totals', () => {
  const { matches } = formMatches(queueOf(ticket('duo', 1000, 'battle-2v2', 0, ['ana', 'bo']), ticket('x', 1000, 'battle-2v2', 1), ticket('y', 1000, 'battle-2v2', 2)), 2);
  assert.deepEqual(matches[0]?.sides.map((s) => s.players), [['ana', 'bo'], ['x', 'y']]);
  const solos = queueOf(...[1000, 1010, 1020, 1030].map((rating, i) => ticket(`s${i}`, rating, 'battle-2v2', i)));
  assert.deepEqual(formMatches(solos, 3).matches[0]?.sides.map((s) => s.tickets), [['s0', 's3'], ['s1', 's2']]);
});

test('3v3 fills sides that first-fit would miss: solo, solo, duo, duo make 1+2 against 1+2', () => {
  // Ratings make s1+d1 against s2+d2 the balanced split (3100 a side, where the other is 3000 to 3200).
  const state = queueOf(ticket('s1', 1000, 'battle-3v3', 0), ticket('s2', 1100, 'battle-3v3', 1),
    ticket('d1', 1050, 'battle-3v3', 2, ['p1', 'p2']), ticket('d2', 1000, 'battle-3v3', 3, ['p3', 'p4']));
  const { matches } = formMatches(state, 3);
  assert.deepEqual(matches[0]?.sides.map((s) => s.tickets), [['s1', 'd1'], ['s2', 'd2']]);
});

test('a raid forms one group of exactly its size', () => {
  const state = queueOf(ticket('trio', 1000, 'raid-4', 0, ['a', 'b', 'c']), ticket('duo', 1000, 'raid-4', 1, ['d', 'e']), ticket('solo', 1000, 'raid-4', 2));
  const { matches, state: after } = formMatches(state, 2);
  assert.deepEqual(matches[0]?.sides.map((s) => s.players), [['a', 'b', 'c', 'solo']]);
  assert.deepEqual(after.tickets.map((t) => t.id), ['duo']);
});

// Random queues: unique ids and players, each party no larger than its mode's side; mostly
// solos, so that battles (which need several tickets) form as often as raids.
const partySizes = fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.integer({ min: 2, max: 6 }) });
const queues = fc
  .array(fc.record({ mode: fc.constantFrom(...QueueMode.options), size: partySizes, rating: fc.integer({ min: 800, max: 1600 }), joinedAt: fc.nat(60) }), { maxLength: 40 })
  .map((drafts) => {
    let player = 0;
    return drafts.map(({ mode, size, rating, joinedAt }, i): Ticket => {
      const players = Array.from({ length: Math.min(size, modeShapes[mode].sideSize) }, () => `p${player++}`);
      return { id: `t${i}`, players, rating, mode, joinedAt };
    });
  });

test('property: nobody is matched twice, parties stay whole, sides are full, every ticket waits or is matched', () => {
  fc.assert(fc.property(queues, fc.nat(200), (tickets, wait) => {
    const now = 60 + wait;
    const before = queueOf(...tickets);
    const { matches, state } = formMatches(before, now);
    const matchedPlayers = matches.flatMap((m) => m.sides.flatMap((s) => s.players));
    assert.equal(new Set(matchedPlayers).size, matchedPlayers.length, 'a player was matched twice');
    const byId = new Map(tickets.map((t) => [t.id, t]));
    const matchedIds: string[] = [];
    for (const match of matches) {
      const shape = modeShapes[match.mode];
      assert.equal(match.sides.length, shape.sides);
      const anchor = byId.get(match.anchorTicketId);
      assert.ok(anchor);
      for (const side of match.sides) {
        assert.equal(side.players.length, shape.sideSize, 'sides are full and equal');
        for (const id of side.tickets) {
          const t = byId.get(id);
          assert.ok(t);
          assert.equal(t.mode, match.mode);
          assert.ok(t.players.every((p) => side.players.includes(p)), 'a party was split');
          assert.ok(Math.abs(t.rating - anchor.rating) <= bandAt(now - Math.max(t.joinedAt, anchor.joinedAt)), 'outside the rating band');
          matchedIds.push(id);
        }
      }
    }
    const waiting = state.tickets.map((t) => t.id);
    assert.deepEqual([...matchedIds, ...waiting].sort(), tickets.map((t) => t.id).sort(), 'every ticket waits or is matched, once');
    assert.equal(formMatches(state, now).matches.length, 0, 'a second pass at the same time finds nothing more');
  }), { numRuns: 300 });
});

test('property: the queue and its matches do not depend on the order tickets were enqueued in', () => {
  fc.assert(fc.property(queues.chain((tickets) => fc.tuple(fc.constant(tickets), fc.shuffledSubarray(tickets, { minLength: tickets.length }))), fc.nat(200), ([tickets, shuffled], now) => {
    const a = queueOf(...tickets);
    const b = queueOf(...shuffled);
    assert.deepEqual(b, a);
    assert.deepEqual(formMatches(b, now), formMatches(a, now));
  }), { numRuns: 200 });
});
