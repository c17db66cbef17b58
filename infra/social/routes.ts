// HTTP routes of friends, presence, party invites and chat. Refusals answer
// `{ error: { code, message } }` with the codes of docs/protocol.md (Friends, Chat).
import { z } from 'zod';
import { ChannelId, directChannel, chatCodes } from '../../commands/chat/model.ts';
import { PlayerId } from '../../events/players.ts';
import { FriendsView, friendsOf } from '../../projections/friends/index.ts';
import { hasRole } from '../../rooms/shared/access.ts';
import { defineRoute, HttpError, type Route } from '../http/route.ts';
import type { Social } from './index.ts';

const PresenceView = z.object({
  playerId: z.string(),
  status: z.enum(['online', 'in_queue', 'in_match', 'offline']),
  roomId: z.string().optional(),
  mode: z.string().optional(),
  spectate: z.object({ roomName: z.literal('spectator'), match: z.string() }).optional(),
  text: z.string(),
});
const Message = z.object({ messageId: z.string(), channel: z.string(), playerId: z.string(), text: z.string(), at: z.int() });
const Ok = z.object({ ok: z.literal(true) });

/** The status a refusal code is answered with. */
export function statusOf(code: string): number {
  if (code.endsWith('/not_found')) return 404;
  if (code === chatCodes.rateLimited) return 429;
  if (code === chatCodes.flagged) return 422;
  if (code === chatCodes.invalid) return 400;
  if (/\/(blocked|not_member|not_officer|not_leader|not_moderator|muted|hidden)$/.test(code)) return 403;
  return 409;
}

export function refusal(result: { code: string; message: string; retryAfterMs?: number }): HttpError {
  const headers: Record<string, string> = result.retryAfterMs ? { 'retry-after': String(Math.ceil(result.retryAfterMs / 1000)) } : {};
  return new HttpError(statusOf(result.code), result.code, result.message, headers);
}

const friendActions = { request: 'Request', accept: 'Accept', decline: 'Decline', remove: 'Remove', block: 'Block', unblock: 'Unblock' } as const;

export function socialRoutes(social: Social): Route[] {
  const withPresence = async (view: FriendsView) => {
    const presence = await social.presence.read(view.friends.map((f) => f.playerId));
    return { ...view, friends: view.friends.map((f) => ({ ...f, presence: presence.get(f.playerId)! })) };
  };
  return [
    defineRoute({
      name: 'getFriends',
      method: 'GET',
      path: '/players/:playerId/friends',
      summary: "A player's friends (mutual only) with their presence, requests both ways, and whom they block",
      tags: ['friends'],
      access: 'player',
      params: z.object({ playerId: PlayerId }),
      response: FriendsView.extend({ friends: z.array(z.object({ playerId: z.string(), since: z.string(), presence: PresenceView })) }),
      handle: async ({ params }) => withPresence(await friendsOf(social.db, social.schema, params.playerId)),
    }),
    defineRoute({
      name: 'actOnFriend',
      method: 'POST',
      path: '/players/:playerId/friends/:otherId/:action',
      summary: 'Ask someone to be friends, accept or decline their request (or withdraw yours), end a friendship, block or unblock',
      tags: ['friends'],
      access: 'player',
      params: z.object({ playerId: PlayerId, otherId: PlayerId, action: z.enum(['request', 'accept', 'decline', 'remove', 'block', 'unblock']) }),
      response: z.object({ playerId: z.string(), otherId: z.string(), friends: z.boolean(), pending: z.enum(['incoming', 'outgoing']).nullable(), blocking: z.boolean() }),
      refusals: { 409: 'friends/already_friends, friends/already_requested, friends/no_request, friends/not_friends, friends/not_blocked, friends/self', 403: 'friends/blocked' },
      handle: async ({ params }) => {
        const result = await social.friends.act(friendActions[params.action], params.playerId, params.otherId);
        if (!result.ok) throw refusal(result);
        return { playerId: params.playerId, otherId: params.otherId, friends: result.relation.friends, pending: result.relation.pending, blocking: result.relation.blocking };
      },
    }),
    defineRoute({
      name: 'getPresence',
      method: 'GET',
      path: '/presence/:playerId',
      summary: "Where a player is (online, in a queue, in a match with its spectate link): for themself and their friends only; never for someone they block",
      tags: ['friends'],
      access: 'authenticated',
      params: z.object({ playerId: PlayerId }),
      response: PresenceView,
      refusals: { 403: 'presence/hidden' },
      handle: async ({ params, principal }) => {
        const viewer = principal!.playerId;
        if (viewer !== params.playerId && !hasRole(principal!, 'admin')) {
          const relation = await social.friends.relation(viewer, params.playerId);
          if (!relation.friends || relation.blockedBy || relation.blocking) throw new HttpError(403, 'presence/hidden', `only friends of ${params.playerId} see where they are`);
        }
        return (await social.presence.read([params.playerId])).get(params.playerId)!;
      },
    }),
    defineRoute({
      name: 'getPartyInvites',
      method: 'GET',
      path: '/players/:playerId/party-invites',
      summary: 'Parties this player was invited to in the last ten minutes: join one with joinById(partyId)',
      tags: ['friends'],
      access: 'player',
      params: z.object({ playerId: PlayerId }),
      response: z.object({ invites: z.array(z.object({ partyId: z.string(), from: z.string(), at: z.int() })) }),
      handle: async ({ params }) => ({ invites: await social.invites.list(params.playerId) }),
    }),
    defineRoute({
      name: 'getChannelMessages',
      method: 'GET',
      path: '/chat/:channel/messages',
      summary: "A legion's or a match's latest messages, oldest first (retracted ones gone)",
      tags: ['chat'],
      access: 'authenticated',
      params: z.object({ channel: ChannelId }),
      response: z.object({ channel: z.string(), messages: z.array(Message) }),
      refusals: { 403: 'chat/not_member' },
      handle: async ({ params, principal }) => {
        const allowed = await social.rooms.chat.access(principal!, params.channel);
        if (!allowed.ok) throw refusal(allowed);
        return { channel: params.channel, messages: [...(await social.chat.history(params.channel))] };
      },
    }),
    defineRoute({
      name: 'postChannelMessage',
      method: 'POST',
      path: '/chat/:channel/messages',
      summary: 'Posts to a legion or match channel; moderated and rate-limited before it is recorded, then delivered live in its chat room',
      tags: ['chat'],
      access: { roles: ['player'] },
      params: z.object({ channel: ChannelId }),
      body: z.strictObject({ text: z.string().max(2000) }),
      response: z.object({ message: Message }),
      refusals: { 403: 'chat/not_member, chat/muted', 422: 'chat/flagged', 429: 'chat/rate_limited' },
      handle: async ({ params, body, principal }) => {
        const allowed = await social.rooms.chat.access(principal!, params.channel);
        if (!allowed.ok) throw refusal(allowed);
        const posted = await social.chat.post(params.channel, principal!.playerId, body.text);
        if (!posted.ok) throw refusal(posted);
        return { message: posted.message };
      },
    }),
    defineRoute({
      name: 'moderateChannel',
      method: 'POST',
      path: '/chat/:channel/moderation',
      summary: "A channel's moderators (legion officers, admins) retract a message or mute a player for some seconds",
      tags: ['chat'],
      access: 'authenticated',
      params: z.object({ channel: ChannelId }),
      body: z.discriminatedUnion('action', [
        z.strictObject({ action: z.literal('retract'), messageId: z.uuid() }),
        z.strictObject({ action: z.literal('mute'), playerId: PlayerId, seconds: z.int().min(1).max(7 * 24 * 3600) }),
        z.strictObject({ action: z.literal('unmute'), playerId: PlayerId }),
      ]),
      response: Ok,
      refusals: { 403: 'chat/not_moderator, chat/not_member', 409: 'chat/unknown_message' },
      handle: async ({ params, body, principal }) => {
        const allowed = await social.rooms.chat.access(principal!, params.channel);
        if (!allowed.ok) throw refusal(allowed);
        const by = principal!.playerId;
        const result = body.action === 'retract'
          ? await social.chat.retract(params.channel, body.messageId, by, allowed.moderator)
          : body.action === 'mute'
            ? await social.chat.mute(params.channel, body.playerId, by, allowed.moderator, body.seconds * 1000)
            : await social.chat.unmute(params.channel, body.playerId, by, allowed.moderator);
        if (!result.ok) throw refusal(result);
        return { ok: true as const };
      },
    }),
    defineRoute({
      name: 'directMessages',
      method: 'GET',
      path: '/players/:playerId/direct/:otherId',
      summary: 'The latest direct messages between two players',
      tags: ['chat'],
      access: 'player',
      params: z.object({ playerId: PlayerId, otherId: PlayerId }),
      response: z.object({ channel: z.string(), messages: z.array(Message) }),
      handle: async ({ params }) => {
        const channel = directChannel(params.playerId, params.otherId);
        return { channel, messages: [...(await social.chat.history(channel))] };
      },
    }),
    defineRoute({
      name: 'sendDirectMessage',
      method: 'POST',
      path: '/players/:playerId/direct/:otherId',
      summary: 'Sends a direct message; refused when either blocks the other',
      tags: ['chat'],
      access: 'player',
      params: z.object({ playerId: PlayerId, otherId: PlayerId }),
      body: z.strictObject({ text: z.string().max(2000) }),
      response: z.object({ message: Message }),
      refusals: { 403: 'chat/blocked, chat/muted', 422: 'chat/flagged', 429: 'chat/rate_limited' },
      handle: async ({ params, body }) => {
        if (params.playerId === params.otherId) throw new HttpError(400, chatCodes.invalid, 'a direct message goes to someone else');
        if (await social.friends.blocked(params.playerId, params.otherId)) throw new HttpError(403, chatCodes.blocked, `you and ${params.otherId} cannot message each other`);
        const posted = await social.chat.post(directChannel(params.playerId, params.otherId), params.playerId, body.text);
        if (!posted.ok) throw refusal(posted);
        return { message: posted.message };
      },
    }),
  ];
}
