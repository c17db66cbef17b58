// Specs of one friendship: given its events, a command records these events or is refused with this code.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fold } from '../../events/decider.ts';
import type { FriendsEvent } from './events.ts';
import { friendshipDecider, relationOf, type FriendsCommand } from './rules.ts';

const given = (events: FriendsEvent[]) => fold(friendshipDecider, friendshipDecider.initialState(), events);
const when = (events: FriendsEvent[], command: FriendsCommand) => friendshipDecider.decide(given(events), command);
const requested: FriendsEvent = { type: 'FriendRequested', data: { by: 'ana', other: 'bo' } };
const friends: FriendsEvent[] = [requested, { type: 'FriendRequestAccepted', data: { by: 'bo', other: 'ana' } }];

describe('friendship rules', () => {
  test('a request, accepted, makes two friends who both see it', () => {
    assert.deepEqual(when([], { type: 'Request', by: 'ana', other: 'bo' }), { ok: true, events: [requested] });
    assert.equal(relationOf(given([requested]), 'bo').pending, 'incoming');
    assert.equal(relationOf(given([requested]), 'ana').pending, 'outgoing');
    assert.deepEqual(relationOf(given(friends), 'ana'), { friends: true, pending: null, blocking: false, blockedBy: false });
  });

  test('asking someone who asked you makes you friends; asking twice is refused', () => {
    const decision = when([requested], { type: 'Request', by: 'bo', other: 'ana' });
    assert.ok(decision.ok);
    assert.equal(decision.events[0]?.type, 'FriendRequestAccepted');
    assert.deepEqual(when([requested], { type: 'Request', by: 'ana', other: 'bo' }), { ok: false, refusal: { code: 'friends/already_requested', message: 'your request to bo is waiting for an answer' } });
  });

  test('accepting or declining what nobody asked is refused; a declined request is gone', () => {
    assert.equal(when([], { type: 'Accept', by: 'bo', other: 'ana' }).ok, false);
    assert.equal(when([requested], { type: 'Accept', by: 'ana', other: 'bo' }).ok, false);
    const declined: FriendsEvent = { type: 'FriendRequestDeclined', data: { by: 'bo', other: 'ana' } };
    assert.equal(relationOf(given([requested, declined]), 'ana').pending, null);
  });

  test('a block ends the friendship, and neither may ask again until it is lifted', () => {
    const blocked: FriendsEvent[] = [...friends, { type: 'PlayerBlocked', data: { by: 'bo', other: 'ana' } }];
    assert.deepEqual(relationOf(given(blocked), 'ana'), { friends: false, pending: null, blocking: false, blockedBy: true });
    const asked = when(blocked, { type: 'Request', by: 'ana', other: 'bo' });
    assert.ok(!asked.ok && asked.refusal.code === 'friends/blocked');
    const own = when(blocked, { type: 'Request', by: 'bo', other: 'ana' });
    assert.ok(!own.ok && own.refusal.code === 'friends/blocked');
    assert.ok(!when(blocked, { type: 'Unblock', by: 'ana', other: 'bo' }).ok);
    const lifted = [...blocked, { type: 'PlayerUnblocked', data: { by: 'bo', other: 'ana' } } as FriendsEvent];
    assert.deepEqual(when(lifted, { type: 'Request', by: 'ana', other: 'bo' }), { ok: true, events: [requested] });
  });

  test('nobody befriends or blocks themself', () => {
    const decision = when([], { type: 'Request', by: 'ana', other: 'ana' });
    assert.ok(!decision.ok && decision.refusal.code === 'friends/self');
  });
});
