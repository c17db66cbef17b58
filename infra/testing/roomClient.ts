// Test support for @colyseus/sdk clients: waiting on synced state and messages, and
// reading back what the log says a room is.
import { matchMaker } from '@colyseus/core';
import type { Room } from '@colyseus/sdk';
import type { EventStore } from '../../events/store.ts';
import type { Refused } from '../../rooms/shared/messages.ts';
import type { Decider } from '../../events/decider.ts';
import { roomEventTypes } from '../../events/tick/roomEvents.ts';

/**
 * Resolves when `predicate` holds for the room's state, checked on every patch. Until the
 * first full state has arrived, fields may be missing: a predicate that throws then counts as false.
 */
// biome-ignore lint: the SDK's Room type is generic in ways callers need not spell out.
export function until<S>(room: Room<any, S>, predicate: (state: S) => boolean, what: string, ms = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const holds = () => {
      try {
        return room.state !== undefined && predicate(room.state);
      } catch {
        return false;
      }
    };
    const check = () => {
      if (!holds()) return;
      clearTimeout(timer);
      // Not from inside the signal's own loop, which would skip the next listener.
      queueMicrotask(() => room.onStateChange.remove(check));
      resolve();
    };
    const timer = setTimeout(() => {
      room.onStateChange.remove(check);
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    room.onStateChange(check);
    check();
  });
}

/** The next `refused` message the room sends this client. */
export function nextRefusal(room: Room, ms = 5000): Promise<Refused> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no refusal arrived')), ms);
    room.onMessage('refused', (message: Refused) => {
      clearTimeout(timer);
      resolve(message);
    });
  });
}

/** Handles the messages a test does not look at, so the SDK does not warn about them. */
export function quiet<R extends Room>(room: R): R {
  room.onMessage('refused', () => {});
  room.onMessage('room/status', () => {});
  return room;
}

/** The fold of a room stream's domain events: what the log says the room is. */
export async function foldStream<S, E>(store: EventStore, decider: Pick<Decider<S, never, E, never>, 'evolve' | 'initialState'>, streamId: string): Promise<S> {
  const events = await store.readStream(streamId);
  return events
    .filter((e) => !roomEventTypes.has(e.type))
    .reduce((state, e) => decider.evolve(state, { type: e.type, data: e.data } as E), decider.initialState());
}

/** The rules state of a room hosted by this process. */
export function liveState<S>(roomId: string): S {
  const room = matchMaker.getLocalRoomById(roomId) as unknown as { actor: { state: S } } | undefined;
  if (!room) throw new Error(`no room ${roomId} in this process`);
  return room.actor.state;
}
