// The social layer composed: friends, chat, legions and presence over the store, the
// wallets and Redis (REDIS_URL: presence, invites and chat rates shared by every game
// process; without it, kept in this process). Hands the rooms their ports
// (rooms/social/ports.ts) and the HTTP API its routes.
import { matchMaker } from '@colyseus/core';
import { Redis } from 'ioredis';
import { AccountService } from '../../commands/account/service.ts';
import { ChatService } from '../../commands/chat/service.ts';
import { ChannelId, chatCodes, idOf, kindOf } from '../../commands/chat/model.ts';
import { FriendsService } from '../../commands/friends/service.ts';
import { LegionService } from '../../commands/legions/service.ts';
import { runsLegion } from '../../commands/legions/model.ts';
import type { WalletService } from '../../commands/wallet/service.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import type { EventStore } from '../../events/store.ts';
import { legionOfPlayer } from '../../projections/legions/index.ts';
import { hasRole, type Principal } from '../../rooms/shared/access.ts';
import type { ChatPort, ChatPosted, PartyInvite, SocialRoomServices } from '../../rooms/social/ports.ts';
import { memoryRateLimiter, rateLimits, redisRateLimiter, type RateLimits } from '../auth/rateLimit.ts';
import type { Logger } from '../logger.ts';
import { chatModeration, chatRateLimit } from './chatLimits.ts';
import { createPresence, type PresenceService } from './presence.ts';

export type SocialOptions = {
  store: EventStore;
  db: SqlQueryable;
  schema: string;
  wallets: WalletService;
  logger: Logger;
  redisUrl?: string | undefined;
  redisPrefix: string;
  limits?: Partial<RateLimits> | undefined;
  /** More words the chat's moderation holds back. */
  chatWords?: readonly string[] | undefined;
};

export type Social = {
  friends: FriendsService;
  chat: ChatService;
  legions: LegionService;
  presence: PresenceService;
  invites: { list(playerId: string): Promise<PartyInvite[]> };
  rooms: SocialRoomServices;
  db: SqlQueryable;
  schema: string;
  close(): Promise<void>;
};

const INVITE_TTL_MS = 10 * 60_000;
const liveChannel = (channel: string) => `pantheon:chat:${channel}`;

export async function createSocial(options: SocialOptions): Promise<Social> {
  const { store, logger } = options;
  const log = logger.child({ component: 'social' });
  let redis: Redis | undefined;
  if (options.redisUrl) {
    redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, enableAutoPipelining: true });
    redis.on('error', () => {});
    await redis.connect().catch((error: unknown) => log.warn({ err: error }, 'Redis does not answer yet: presence and invites wait for it'));
  }
  const limits = rateLimits(options.limits);
  const limiter = redis ? redisRateLimiter(redis, limits, { prefix: options.redisPrefix, logger: log }) : memoryRateLimiter(limits);
  const friends = new FriendsService({ store });
  const accounts = new AccountService({ store });
  const legions = new LegionService({ store, wallets: options.wallets, friends });
  const presence = createPresence({ ...(redis ? { redis } : {}), prefix: options.redisPrefix });
  const chat = new ChatService({
    store,
    moderation: chatModeration(options.chatWords),
    rateLimit: chatRateLimit(limiter),
    listener: {
      // Live readers may sit in a room of another process: Colyseus' presence (Redis with REDIS_URL) carries it there.
      posted: (message) => void matchMaker.presence?.publish(liveChannel(message.channel), { type: 'posted', message }),
      retracted: (channel, messageId) => void matchMaker.presence?.publish(liveChannel(channel), { type: 'retracted', messageId }),
    },
  });
  const invites = invitesStore(redis, options.redisPrefix);

  /** Who may read and write a channel, and moderate it. */
  const access: ChatPort['access'] = async (principal: Principal, raw: string) => {
    const parsed = ChannelId.safeParse(raw);
    if (!parsed.success) return { ok: false, code: chatCodes.invalid, message: parsed.error.issues[0]!.message };
    const channel = parsed.data;
    const admin = hasRole(principal, 'admin');
    switch (kindOf(channel)) {
      case 'legion': {
        const role = await legions.roleOf(idOf(channel), principal.playerId);
        if (!role && !admin) return { ok: false, code: chatCodes.notMember, message: 'only members read and write their legion channel' };
        return { ok: true, moderator: admin || runsLegion(role) };
      }
      case 'match':
        // Players and spectators of a match share its channel.
        return { ok: true, moderator: admin };
      case 'party':
        return { ok: false, code: chatCodes.notMember, message: 'party chat is in the party room' };
      case 'direct':
        return { ok: false, code: chatCodes.notMember, message: 'direct messages go through /players/:playerId/direct/:otherId' };
    }
  };

  const rooms: SocialRoomServices = {
    presence,
    friends: { relation: (viewer, other) => friends.relation(viewer, other) },
    discordPlayer: (subject) => accounts.holderOf({ provider: 'discord', subject }),
    chat: {
      post: (channel, playerId, text) => chat.post(channel, playerId, text),
      retract: (channel, messageId, by, moderator) => chat.retract(ChannelId.parse(channel), messageId, by, moderator),
      mute: (channel, playerId, by, moderator, forMs) => chat.mute(ChannelId.parse(channel), playerId, by, moderator, forMs),
      history: (channel) => chat.history(ChannelId.parse(channel)),
      access,
      subscribe(channel, listener) {
        const callback = (event: { type: 'posted'; message: ChatPosted } | { type: 'retracted'; messageId: string }) => listener(event);
        void matchMaker.presence.subscribe(liveChannel(channel), callback);
        return () => void matchMaker.presence.unsubscribe(liveChannel(channel), callback);
      },
    },
    invites,
    legionOf: (playerId) => legionOfPlayer(options.db, options.schema, playerId),
  };

  return {
    friends, chat, legions, presence, invites, rooms, db: options.db, schema: options.schema,
    async close() {
      redis?.disconnect();
    },
  };
}

function invitesStore(redis: Redis | undefined, prefix: string): SocialRoomServices['invites'] & { list(playerId: string): Promise<PartyInvite[]> } {
  const keyOf = (playerId: string) => `${prefix}party-invites:${playerId}`;
  const memory = new Map<string, Map<string, PartyInvite>>();
  const fresh = (invite: PartyInvite) => invite.at + INVITE_TTL_MS > Date.now();
  return {
    async add(playerId, invite) {
      if (!redis) {
        memory.set(playerId, (memory.get(playerId) ?? new Map()).set(invite.partyId, invite));
        return;
      }
      await redis.multi().hset(keyOf(playerId), invite.partyId, JSON.stringify(invite)).pexpire(keyOf(playerId), INVITE_TTL_MS).exec();
    },
    async remove(playerId, partyId) {
      if (!redis) {
        memory.get(playerId)?.delete(partyId);
        return;
      }
      await redis.hdel(keyOf(playerId), partyId);
    },
    async list(playerId) {
      const all = redis ? Object.values(await redis.hgetall(keyOf(playerId))).map((raw) => JSON.parse(raw) as PartyInvite) : [...(memory.get(playerId)?.values() ?? [])];
      return all.filter(fresh).sort((a, b) => a.at - b.at);
    },
  };
}
