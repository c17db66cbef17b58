// The rules of one friendship, pure: a request, its answer, removal, blocks. Asking someone
// who already asked you makes you friends (both want it). A block ends whatever stood
// between the two and holds until the blocker lifts it; while either blocks the other,
// neither may ask.
import { accept, refusalsOf, type Decider } from '../../events/decider.ts';
import type { FriendsEvent } from './events.ts';
import { friendsCodes, type FriendsCode, type Relation } from './model.ts';

export type FriendshipState = {
  readonly friends: boolean;
  /** Who sent the request that waits, if one does. */
  readonly requestedBy: string | null;
  /** Who blocks whom: the blockers, sorted. */
  readonly blockers: readonly string[];
};

export type FriendsCommandType = 'Request' | 'Accept' | 'Decline' | 'Remove' | 'Block' | 'Unblock';
/** `by` acts towards `other`. */
export type FriendsCommand = { readonly type: FriendsCommandType; readonly by: string; readonly other: string };

const refuse = refusalsOf<FriendsCode>();

export const friendshipDecider: Decider<FriendshipState, FriendsCommand, FriendsEvent> = {
  initialState: () => ({ friends: false, requestedBy: null, blockers: [] }),
  decide(state, command) {
    const { by, other } = command;
    const data = { by, other };
    if (by === other) return refuse(friendsCodes.self, 'that is you');
    switch (command.type) {
      case 'Request':
        if (state.blockers.length > 0) return refuse(friendsCodes.blocked, state.blockers.includes(by) ? `you block ${other}; unblock them first` : `${other} does not take requests from you`);
        if (state.friends) return refuse(friendsCodes.alreadyFriends, `you and ${other} are friends already`);
        if (state.requestedBy === by) return refuse(friendsCodes.alreadyRequested, `your request to ${other} is waiting for an answer`);
        if (state.requestedBy === other) return accept({ type: 'FriendRequestAccepted', data });
        return accept({ type: 'FriendRequested', data });
      case 'Accept':
        if (state.requestedBy !== other) return refuse(friendsCodes.noRequest, `${other} has not asked you`);
        return accept({ type: 'FriendRequestAccepted', data });
      case 'Decline':
        if (state.requestedBy === null) return refuse(friendsCodes.noRequest, `no request waits between you and ${other}`);
        return accept({ type: 'FriendRequestDeclined', data });
      case 'Remove':
        if (!state.friends) return refuse(friendsCodes.notFriends, `you and ${other} are not friends`);
        return accept({ type: 'FriendRemoved', data });
      case 'Block':
        // Blocking twice is no news.
        return state.blockers.includes(by) ? accept() : accept({ type: 'PlayerBlocked', data });
      case 'Unblock':
        if (!state.blockers.includes(by)) return refuse(friendsCodes.notBlocked, `you do not block ${other}`);
        return accept({ type: 'PlayerUnblocked', data });
      default: {
        const _exhaustive: never = command.type;
        return _exhaustive;
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'FriendRequested':
        return { ...state, requestedBy: event.data.by };
      case 'FriendRequestAccepted':
        return { ...state, friends: true, requestedBy: null };
      case 'FriendRequestDeclined':
        return { ...state, requestedBy: null };
      case 'FriendRemoved':
        return { ...state, friends: false };
      case 'PlayerBlocked':
        return { friends: false, requestedBy: null, blockers: [...state.blockers, event.data.by].sort() };
      case 'PlayerUnblocked':
        return { ...state, blockers: state.blockers.filter((p) => p !== event.data.by) };
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  },
};

/** The pair as `viewer` sees it. */
export function relationOf(state: FriendshipState, viewer: string): Relation {
  const blocking = state.blockers.includes(viewer);
  return {
    friends: state.friends,
    pending: state.requestedBy === null ? null : state.requestedBy === viewer ? 'outgoing' : 'incoming',
    blocking,
    blockedBy: state.blockers.length > (blocking ? 1 : 0),
  };
}
