// A legion's rules, pure. The leader and officers invite, answer join requests and remove
// members (officers only plain members); only the leader changes roles, and handing the
// lead over makes the old leader an officer. Whether an invitee blocks the inviter is the
// service's question to the friends aggregate, asked before the rules (`blocked` in the command).
import { accept, refusalsOf, type Decider } from '../../events/decider.ts';
import type { LegionEvent } from './events.ts';
import { legionCodes, MAX_MEMBERS, runsLegion, type LegionCode, type LegionRole } from './model.ts';

export type LegionState = {
  readonly legionId: string | null;
  readonly name: string;
  readonly tag: string;
  /** Player id -> role, in the order they joined. */
  readonly members: Readonly<Record<string, LegionRole>>;
  readonly invited: readonly string[];
  readonly requests: readonly string[];
};

export type LegionCommand =
  | { readonly type: 'Found'; readonly legionId: string; readonly name: string; readonly tag: string; readonly leader: string }
  | { readonly type: 'Invite'; readonly legionId: string; readonly by: string; readonly playerId: string; readonly blocked: boolean }
  | { readonly type: 'RequestJoin'; readonly legionId: string; readonly playerId: string }
  | { readonly type: 'Approve'; readonly legionId: string; readonly by: string; readonly playerId: string }
  | { readonly type: 'Decline'; readonly legionId: string; readonly by: string; readonly playerId: string }
  | { readonly type: 'AcceptInvite'; readonly legionId: string; readonly playerId: string }
  | { readonly type: 'Leave'; readonly legionId: string; readonly playerId: string }
  | { readonly type: 'Remove'; readonly legionId: string; readonly by: string; readonly playerId: string }
  | { readonly type: 'SetRole'; readonly legionId: string; readonly by: string; readonly playerId: string; readonly role: LegionRole };

const refuse = refusalsOf<LegionCode>();
const without = (list: readonly string[], id: string) => list.filter((p) => p !== id);

export const legionDecider: Decider<LegionState, LegionCommand, LegionEvent> = {
  initialState: () => ({ legionId: null, name: '', tag: '', members: {}, invited: [], requests: [] }),
  decide(state, command) {
    const { legionId } = command;
    if (command.type === 'Found') {
      if (state.legionId !== null) return refuse(legionCodes.exists, `legion ${legionId} exists already`);
      const { type: _t, ...data } = command;
      return accept({ type: 'LegionFounded', data });
    }
    if (state.legionId === null) return refuse(legionCodes.notFound, `no legion ${legionId}`);
    const full = Object.keys(state.members).length >= MAX_MEMBERS;
    const roleOf = (p: string) => state.members[p];
    switch (command.type) {
      case 'Invite': {
        const { by, playerId } = command;
        if (!runsLegion(roleOf(by))) return refuse(legionCodes.notOfficer, 'only the leader and officers invite');
        if (roleOf(playerId)) return refuse(legionCodes.alreadyMember, `${playerId} is a member already`);
        if (command.blocked) return refuse(legionCodes.blocked, `${playerId} does not take invites from you`);
        if (full) return refuse(legionCodes.full, `a legion holds at most ${MAX_MEMBERS} members`);
        // Someone who asked to join is let in by the invite.
        if (state.requests.includes(playerId)) return accept({ type: 'LegionMemberJoined', data: { legionId, playerId, by } });
        if (state.invited.includes(playerId)) return accept();
        return accept({ type: 'LegionInviteSent', data: { legionId, playerId, by } });
      }
      case 'RequestJoin': {
        const { playerId } = command;
        if (roleOf(playerId)) return refuse(legionCodes.alreadyMember, 'you are a member already');
        if (state.requests.includes(playerId)) return refuse(legionCodes.alreadyRequested, 'your request waits for an officer');
        if (full) return refuse(legionCodes.full, `a legion holds at most ${MAX_MEMBERS} members`);
        if (state.invited.includes(playerId)) return accept({ type: 'LegionMemberJoined', data: { legionId, playerId, by: playerId } });
        return accept({ type: 'LegionJoinRequested', data: { legionId, playerId } });
      }
      case 'Approve':
      case 'Decline': {
        const { by, playerId } = command;
        if (!runsLegion(roleOf(by))) return refuse(legionCodes.notOfficer, 'only the leader and officers answer join requests');
        if (!state.requests.includes(playerId)) return refuse(legionCodes.noRequest, `${playerId} has not asked to join`);
        if (command.type === 'Decline') return accept({ type: 'LegionJoinRequestDeclined', data: { legionId, playerId, by } });
        if (full) return refuse(legionCodes.full, `a legion holds at most ${MAX_MEMBERS} members`);
        return accept({ type: 'LegionMemberJoined', data: { legionId, playerId, by } });
      }
      case 'AcceptInvite': {
        const { playerId } = command;
        if (roleOf(playerId)) return refuse(legionCodes.alreadyMember, 'you are a member already');
        if (!state.invited.includes(playerId)) return refuse(legionCodes.notInvited, `you have no invite to ${state.name}`);
        if (full) return refuse(legionCodes.full, `a legion holds at most ${MAX_MEMBERS} members`);
        return accept({ type: 'LegionMemberJoined', data: { legionId, playerId, by: playerId } });
      }
      case 'Leave': {
        const { playerId } = command;
        const role = roleOf(playerId);
        if (!role) return refuse(legionCodes.notMember, 'you are not a member');
        if (role === 'leader' && Object.keys(state.members).length > 1) return refuse(legionCodes.leaderLeaves, 'hand the lead to another member before leaving');
        return accept({ type: 'LegionMemberLeft', data: { legionId, playerId, by: playerId } });
      }
      case 'Remove': {
        const { by, playerId } = command;
        const mine = roleOf(by);
        const theirs = roleOf(playerId);
        if (!theirs) return refuse(legionCodes.notMember, `${playerId} is not a member`);
        if (!runsLegion(mine) || theirs === 'leader' || (mine === 'officer' && theirs !== 'member')) return refuse(legionCodes.notOfficer, `you may not remove ${playerId}`);
        return accept({ type: 'LegionMemberLeft', data: { legionId, playerId, by } });
      }
      case 'SetRole': {
        const { by, playerId, role } = command;
        if (roleOf(by) !== 'leader') return refuse(legionCodes.notLeader, 'only the leader changes roles');
        if (!roleOf(playerId)) return refuse(legionCodes.notMember, `${playerId} is not a member`);
        if (playerId === by) return accept();
        if (role === 'leader') {
          return accept(
            { type: 'LegionRoleChanged', data: { legionId, playerId, role: 'leader', by } },
            { type: 'LegionRoleChanged', data: { legionId, playerId: by, role: 'officer', by } },
          );
        }
        return roleOf(playerId) === role ? accept() : accept({ type: 'LegionRoleChanged', data: { legionId, playerId, role, by } });
      }
      default: {
        const _exhaustive: never = command;
        return _exhaustive;
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'LegionFounded':
        return { ...state, legionId: event.data.legionId, name: event.data.name, tag: event.data.tag, members: { [event.data.leader]: 'leader' } };
      case 'LegionInviteSent':
        return { ...state, invited: [...state.invited, event.data.playerId] };
      case 'LegionJoinRequested':
        return { ...state, requests: [...state.requests, event.data.playerId] };
      case 'LegionJoinRequestDeclined':
        return { ...state, requests: without(state.requests, event.data.playerId) };
      case 'LegionMemberJoined': {
        const { playerId } = event.data;
        return { ...state, members: { ...state.members, [playerId]: 'member' }, invited: without(state.invited, playerId), requests: without(state.requests, playerId) };
      }
      case 'LegionMemberLeft': {
        const { [event.data.playerId]: _gone, ...members } = state.members;
        return { ...state, members };
      }
      case 'LegionRoleChanged':
        return { ...state, members: { ...state.members, [event.data.playerId]: event.data.role } };
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  },
};
