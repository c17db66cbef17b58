// Legions (guilds): their value shapes, roles, codes and streams. A legion is the stream
// `legion-<legionId>`; its treasury is a wallet of its own (`wallet-legion:<legionId>`),
// moved only through the wallet's commands, so the ledger and its guarantees hold for it too.
import { z } from 'zod';
import { PlayerId, playerText } from '../../events/players.ts';

export { PlayerId };

export const LegionId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'legion ids are 1-64 characters of A-Z a-z 0-9 _ -');
export const LegionName = playerText(48);
/** 2-5 capital letters or digits shown beside members' names. */
export const LegionTag = z.string().regex(/^[A-Z0-9]{2,5}$/, 'tags are 2-5 capital letters or digits, e.g. ORCL');

export const legionRoles = ['leader', 'officer', 'member'] as const;
export const LegionRole = z.enum(legionRoles);
export type LegionRole = z.infer<typeof LegionRole>;

/** Members a legion holds at most. */
export const MAX_MEMBERS = 50;

export const legionStreamId = (legionId: string): string => `legion-${legionId}`;
/** The treasury's wallet id (the wallet's "player"). */
export const treasuryOf = (legionId: string): string => `legion:${legionId}`;

export const legionCodes = {
  notFound: 'legion/not_found',
  exists: 'legion/exists',
  notMember: 'legion/not_member',
  notOfficer: 'legion/not_officer',
  notLeader: 'legion/not_leader',
  alreadyMember: 'legion/already_member',
  notInvited: 'legion/not_invited',
  noRequest: 'legion/no_request',
  alreadyRequested: 'legion/already_requested',
  full: 'legion/full',
  leaderLeaves: 'legion/leader_must_hand_over',
  blocked: 'legion/blocked',
  notFriend: 'legion/not_friend',
} as const;
export type LegionCode = (typeof legionCodes)[keyof typeof legionCodes];

/** Officers and the leader run the legion (invites, requests, the treasury). */
export const runsLegion = (role: LegionRole | undefined): boolean => role === 'leader' || role === 'officer';
