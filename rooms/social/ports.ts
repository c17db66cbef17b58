// What the social rooms (party, chat) and the matchmaking queue ask of the world, as ports:
// infra/social composes them over the friends, chat and legion services and Redis. Rooms
// never import those services (the one-way rule); they see only these shapes.
import type { Principal } from '../shared/access.ts';

export const presenceStatuses = ['online', 'in_queue', 'in_match'] as const;
export type PresenceStatus = (typeof presenceStatuses)[number];

/** Where a player is, as one source (a party room, the queue, a match) reports it. */
export type PresenceEntry = {
  readonly status: PresenceStatus;
  /** The room they are in: the party, or the match (for in_match: spectate it by this id). */
  readonly roomId?: string;
  /** The queue mode or the match kind (battle-3v3, raid, …). */
  readonly mode?: string;
};

export type PresencePort = {
  /** Sets one source's entry; it lapses after `ttlMs` unless set again. */
  set(playerId: string, source: string, entry: PresenceEntry, ttlMs?: number): Promise<void>;
  clear(playerId: string, source: string): Promise<void>;
};

export type FriendRelation = { readonly friends: boolean; readonly blocking: boolean; readonly blockedBy: boolean };

export type ChatPosted = { readonly messageId: string; readonly channel: string; readonly playerId: string; readonly text: string; readonly at: number };
export type ChatOutcome<T = object> = ({ readonly ok: true } & T) | { readonly ok: false; readonly code: string; readonly message: string; readonly retryAfterMs?: number };

export type ChatPort = {
  post(channel: string, playerId: string, text: unknown): Promise<ChatOutcome<{ message: ChatPosted }>>;
  retract(channel: string, messageId: string, by: string, moderator: boolean): Promise<ChatOutcome>;
  mute(channel: string, playerId: string, by: string, moderator: boolean, forMs: number): Promise<ChatOutcome>;
  history(channel: string): Promise<readonly ChatPosted[]>;
  /** Who may join a channel's chat room, and whether they moderate it. Party channels are the party room's. */
  access(principal: Principal, channel: string): Promise<{ ok: true; moderator: boolean } | { ok: false; code: string; message: string }>;
  /** Live messages of a channel, from whichever process recorded them; returns the unsubscribe. */
  subscribe(channel: string, listener: (event: { type: 'posted'; message: ChatPosted } | { type: 'retracted'; messageId: string }) => void): () => void;
};

/** A party invite, kept where the invitee reads it (GET /players/:id/party-invites). */
export type PartyInvite = { readonly partyId: string; readonly from: string; readonly at: number };

export type SocialRoomServices = {
  presence: PresencePort;
  friends: { relation(viewer: string, other: string): Promise<FriendRelation> };
  /** The player a linked Discord user is, if any. */
  discordPlayer(discordUserId: string): Promise<string | null>;
  chat: ChatPort;
  invites: { add(playerId: string, invite: PartyInvite): Promise<void>; remove(playerId: string, partyId: string): Promise<void> };
  /** The legion a player belongs to, for legion-vs-legion queues. */
  legionOf?(playerId: string): Promise<string | null>;
};
