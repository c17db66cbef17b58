// A channel's history: messages posted (after moderation), retracted by a moderator, and
// players muted or unmuted. Times are milliseconds since the epoch, passed in by the service.
import { z } from 'zod';
import { defineEvent, type EventOf } from '../../events/catalog.ts';
import { ChannelId, MessageId, MessageText, PlayerId } from './model.ts';

const At = z.int().min(0);

export const ChatMessagePosted = defineEvent(
  'ChatMessagePosted',
  z.strictObject({ channel: ChannelId, messageId: MessageId, playerId: PlayerId, text: MessageText, at: At }),
);
export const ChatMessageRetracted = defineEvent(
  'ChatMessageRetracted',
  z.strictObject({ channel: ChannelId, messageId: MessageId, by: PlayerId, at: At }),
);
/** `playerId` may not post in the channel until `until`. */
export const ChatPlayerMuted = defineEvent(
  'ChatPlayerMuted',
  z.strictObject({ channel: ChannelId, playerId: PlayerId, by: PlayerId, until: At }),
);
export const ChatPlayerUnmuted = defineEvent('ChatPlayerUnmuted', z.strictObject({ channel: ChannelId, playerId: PlayerId, by: PlayerId }));

export const chatEventDefinitions = [ChatMessagePosted, ChatMessageRetracted, ChatPlayerMuted, ChatPlayerUnmuted] as const;
export type ChatEvent = EventOf<(typeof chatEventDefinitions)[number]>;
export const chatEventTypes = chatEventDefinitions.map((d) => d.type);
