// The party room's values: join options, the messages a member sends, and the codes they
// are refused with (docs/protocol.md, "Party room").
import { z } from 'zod';
import { PlayerId } from '../../events/players.ts';
import { QueuedOracle } from '../matchmaking/room.ts';
import { QueueMode } from '../matchmaking/queue.ts';

/** Players a party holds at most (the largest side of any mode). */
export const MAX_PARTY = 6;

export const PartyJoinOptions = z.object({
  playerId: PlayerId.optional(),
  /** The rating this player queues with (as the matchmaking room takes it). */
  rating: z.int().min(0).max(100_000).default(1000),
  oracles: z.array(QueuedOracle).min(1).max(3).optional(),
});

/** Invite by player id, or by the Discord user id of a player who linked Discord. */
export const Invite = z.union([z.strictObject({ playerId: PlayerId }), z.strictObject({ discordUserId: z.string().regex(/^[0-9]{15,21}$/, 'a Discord user id (15-21 digits)') })]);
export const Pick = z.strictObject({
  oracles: z.array(QueuedOracle).min(1).max(3).refine((list) => new Set(list.map((o) => o.oracleId)).size === list.length, 'oracle ids must be unique'),
  rating: z.int().min(0).max(100_000).optional(),
});
export const Say = z.strictObject({ text: z.string().max(2000) });
export const QueueUp = z.strictObject({ mode: QueueMode });
export const Promote = z.strictObject({ playerId: PlayerId });

export const partyPayloads = { invite: Invite, pick: Pick, say: Say, queue: QueueUp, promote: Promote, leave: z.strictObject({}).optional() } as const;

export const partyCodes = {
  invalid: 'party/invalid',
  unknownMessage: 'party/unknown_message',
  notInvited: 'party/not_invited',
  full: 'party/full',
  notLeader: 'party/not_leader',
  notFriends: 'party/not_friends',
  blocked: 'party/blocked',
  unknownPlayer: 'party/unknown_player',
  alreadyMember: 'party/already_member',
  notMember: 'party/not_member',
  oraclesMissing: 'party/oracles_missing',
  tooLarge: 'party/too_large',
  queueFailed: 'party/queue_failed',
} as const;

/** Server -> client: a chat message of the party (recorded first). */
export type PartyChat = { messageId: string; playerId: string; text: string; at: number };
/** Server -> member: your seat in the matchmaking queue; `client.consumeSeatReservation(reservation)` takes it. */
export type PartyQueued = { mode: string; party: string[]; reservation: unknown };
