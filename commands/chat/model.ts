// Chat: channels, messages and the codes a post or a moderation step is refused with.
// A channel is `<kind>:<id>`: `party:<partyRoomId>`, `legion:<legionId>`, `match:<gameRoomId>`
// (players and spectators of one match) or `direct:<pair>` (two players). Each channel's
// history is the stream `chat-<channel>`.
import { z } from 'zod';
import { nameBasedUuid } from '../../events/ids.ts';
import { PlayerId, playerText } from '../../events/players.ts';

export { PlayerId };

export const channelKinds = ['party', 'legion', 'match', 'direct'] as const;
export const ChannelKind = z.enum(channelKinds);
export type ChannelKind = z.infer<typeof ChannelKind>;

export const ChannelId = z
  .string()
  .regex(/^(party|legion|match|direct):[A-Za-z0-9_-]{1,64}$/, 'channels look like <party|legion|match|direct>:<id>, e.g. legion:0193f0a2-…');
export type ChannelId = z.infer<typeof ChannelId>;

export const kindOf = (channel: ChannelId): ChannelKind => channel.slice(0, channel.indexOf(':')) as ChannelKind;
export const idOf = (channel: ChannelId): string => channel.slice(channel.indexOf(':') + 1);
export const chatStreamId = (channel: ChannelId): string => `chat-${channel}`;
/** The direct channel of two players: the same from either side. */
export const directChannel = (a: string, b: string): ChannelId => `direct:${nameBasedUuid('pantheon.direct', ...(a < b ? [a, b] : [b, a]))}`;

/** What a player may write: 1-500 UTF-16 units, well-formed, no control characters. */
export const MessageText = playerText(500);
export const MessageId = z.uuid();

/** Messages a channel's state keeps for its history (older ones stay in the stream). */
export const HISTORY_SIZE = 100;
/** Longest a moderator may mute someone in one go: a week, in milliseconds. */
export const MAX_MUTE_MS = 7 * 24 * 3600 * 1000;

export const chatCodes = {
  invalid: 'chat/invalid',
  flagged: 'chat/flagged',
  muted: 'chat/muted',
  rateLimited: 'chat/rate_limited',
  notMember: 'chat/not_member',
  blocked: 'chat/blocked',
  notModerator: 'chat/not_moderator',
  unknownMessage: 'chat/unknown_message',
} as const;
export type ChatCode = (typeof chatCodes)[keyof typeof chatCodes];

/** A message as readers see it. */
export type ChatMessage = { readonly messageId: string; readonly channel: string; readonly playerId: string; readonly text: string; readonly at: number };
