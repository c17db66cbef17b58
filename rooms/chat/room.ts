// The chat room: one room per channel (`joinOrCreate('chat', { channel })`, filtered by
// channel, so every reader of a channel shares it whichever process they came through).
// Legion channels take the legion's members, match channels the match's players and
// spectators. A message is recorded by the chat service (moderated, rate-limited) before
// anyone sees it; messages recorded elsewhere (the HTTP API, another process) reach the
// room through the service's live feed. Moderators retract and mute.
import { ErrorCode, Room, ServerError, type AuthContext, type Client } from '@colyseus/core';
import { z } from 'zod';
import { loggableText, PlayerId } from '../../events/players.ts';
import type { Principal } from '../shared/access.ts';
import { admitJoin, principalOf, type RoomServices } from '../shared/colyseusRoom.ts';
import { messageTypeOf, type Refused } from '../shared/messages.ts';
import type { ChatPosted } from '../social/ports.ts';
import { ChatView } from './state.ts';

export const ChatJoinOptions = z.object({
  channel: z.string().regex(/^(legion|match):[A-Za-z0-9_-]{1,64}$/, 'join a legion:<id> or match:<roomId> channel (party chat is in the party room)'),
  playerId: PlayerId.optional(),
  spectator: z.boolean().optional(),
});

const payloads = {
  say: z.strictObject({ text: z.string().max(2000) }),
  retract: z.strictObject({ messageId: z.uuid() }),
  mute: z.strictObject({ playerId: PlayerId, seconds: z.int().min(1).max(7 * 24 * 3600) }),
} as const;

export const chatRoomCodes = { invalid: 'chat/invalid', unknownMessage: 'chat/unknown_message_type' } as const;

const refusal = (code: string, message: string) => new ServerError(ErrorCode.APPLICATION_ERROR, `${code}: ${message}`);

export function chatRoom(services: Pick<RoomServices, 'log' | 'access' | 'social'>) {
  return class ChatRoom extends Room<{ state: ChatView }> {
    readonly #moderators = new Set<string>();
    #unsubscribe: (() => void) | undefined;

    static override async onAuth(token: string | undefined, options: unknown, context: AuthContext): Promise<Principal> {
      return admitJoin(services.access, 'chat', token, options, context);
    }

    override onCreate(rawOptions: unknown) {
      const options = ChatJoinOptions.safeParse(rawOptions ?? {});
      if (!services.social) throw refusal(chatRoomCodes.invalid, 'chat is not served by this process');
      if (!options.success) throw refusal(chatRoomCodes.invalid, z.prettifyError(options.error));
      this.state = new ChatView();
      this.state.channel = options.data.channel;
      this.maxClients = 1000;
      this.maxMessagesPerSecond = 20;
      this.#unsubscribe = services.social.chat.subscribe(options.data.channel, (event) => {
        if (event.type === 'posted') this.broadcast('chat', event.message satisfies ChatPosted);
        else this.broadcast('retracted', { messageId: event.messageId });
      });
      this.onMessage('*', (client, type, payload) => void this.#receive(client, messageTypeOf(type), payload));
    }

    override async onJoin(client: Client, rawOptions: unknown) {
      const principal = principalOf(client);
      const options = ChatJoinOptions.safeParse(rawOptions ?? {});
      if (!options.success || options.data.channel !== this.state.channel) throw refusal(chatRoomCodes.invalid, `this room carries ${this.state.channel}`);
      const allowed = await services.social!.chat.access(principal, this.state.channel);
      if (!allowed.ok) throw refusal(allowed.code, allowed.message);
      if (allowed.moderator) this.#moderators.add(client.sessionId);
      this.state.readers = this.clients.length + 1;
      client.send('history', { channel: this.state.channel, messages: await services.social!.chat.history(this.state.channel) });
    }

    override onLeave(client: Client) {
      this.#moderators.delete(client.sessionId);
      this.state.readers = this.clients.length;
    }

    override onDispose() {
      this.#unsubscribe?.();
    }

    async #receive(client: Client, type: string, payload: unknown) {
      const refuse = (code: string, message: string, retryAfterMs?: number) =>
        client.send('refused', { code, message, commandType: loggableText(type, 64), ...(retryAfterMs ? { retryAfterMs } : {}) } satisfies Refused);
      if (!(type in payloads)) return refuse(chatRoomCodes.unknownMessage, `the chat room takes ${Object.keys(payloads).join(', ')}`);
      const parsed = payloads[type as keyof typeof payloads].safeParse(payload);
      if (!parsed.success) return refuse(chatRoomCodes.invalid, z.prettifyError(parsed.error));
      const principal = principalOf(client);
      const chat = services.social!.chat;
      const moderator = this.#moderators.has(client.sessionId);
      if (type === 'say' && !principal.roles.includes('player')) return refuse('auth/forbidden', 'this token may only read');
      // The service tells every room of the channel (this one included) through its live feed.
      const result = type === 'say'
        ? await chat.post(this.state.channel, principal.playerId, (parsed.data as { text: string }).text)
        : type === 'retract'
          ? await chat.retract(this.state.channel, (parsed.data as { messageId: string }).messageId, principal.playerId, moderator)
          : await chat.mute(this.state.channel, (parsed.data as { playerId: string }).playerId, principal.playerId, moderator, (parsed.data as { seconds: number }).seconds * 1000);
      if (!result.ok) return refuse(result.code, result.message, result.retryAfterMs);
      if (type !== 'say') client.send('done', { type });
    }
  };
}
