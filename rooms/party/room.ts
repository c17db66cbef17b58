// The party room: friends gather here before they play. The creator leads; the leader
// invites friends (by player id, or by Discord user for players who linked it), and only
// the invited get in. Members pick oracles, talk (chat recorded in `chat-party:<roomId>`
// before anyone sees it), and the leader queues the party: the room reserves a seat for
// every member in the matchmaking room, all with the same party list, so the queue takes
// them as one ticket (rooms/matchmaking), and hands each member their seat. When the
// leader leaves, the longest-present member leads. Nothing here is recorded but the chat:
// a party is a gathering, not a match.
import { ErrorCode, matchMaker, Room, ServerError, type AuthContext, type Client } from '@colyseus/core';
import { z } from 'zod';
import { loggableText } from '../../events/players.ts';
import { modeShapes } from '../matchmaking/queue.ts';
import type { QueuedOracle } from '../matchmaking/room.ts';
import type { Principal } from '../shared/access.ts';
import { admitJoin, principalOf, type RoomServices } from '../shared/colyseusRoom.ts';
import { messageTypeOf, type Refused } from '../shared/messages.ts';
import type { SocialRoomServices } from '../social/ports.ts';
import { MAX_PARTY, partyCodes, PartyJoinOptions, partyPayloads, type PartyChat, type PartyQueued } from './model.ts';
import { PartyMemberView, PartyView } from './state.ts';

type Member = { client: Client; principal: Principal; playerId: string; rating: number; oracles: readonly QueuedOracle[]; view: PartyMemberView };

const refusal = (code: string, message: string) => new ServerError(ErrorCode.APPLICATION_ERROR, `${code}: ${message}`);
const PRESENCE_REFRESH_MS = 30_000;

export function partyRoom(services: Pick<RoomServices, 'log' | 'access' | 'social'>) {
  const social = (): SocialRoomServices => {
    if (!services.social) throw refusal(partyCodes.invalid, 'parties are not served by this process');
    return services.social;
  };

  return class PartyRoom extends Room<{ state: PartyView }> {
    readonly #members = new Map<string, Member>();
    #order = 0;
    #creator: string | null = null;

    static override async onAuth(token: string | undefined, options: unknown, context: AuthContext): Promise<Principal> {
      return admitJoin(services.access, 'party', token, options, context);
    }

    override async onCreate() {
      social();
      this.state = new PartyView();
      this.maxClients = MAX_PARTY;
      // Parties are joined by invite and room id, never found by joinOrCreate.
      await this.setPrivate(true);
      this.maxMessagesPerSecond = 20;
      this.onMessage('*', (client, type, payload) => void this.#receive(client, messageTypeOf(type), payload));
      this.clock.setInterval(() => this.#refreshPresence(), PRESENCE_REFRESH_MS);
      services.log.info({ room: this.roomId }, 'party opened');
    }

    override async onJoin(client: Client, rawOptions: unknown) {
      const principal = principalOf(client);
      const options = PartyJoinOptions.safeParse(rawOptions ?? {});
      if (!options.success) throw refusal(partyCodes.invalid, z.prettifyError(options.error));
      const playerId = principal.playerId;
      this.#creator ??= playerId;
      const invited = this.state.invited.toArray().includes(playerId);
      if (this.#members.has(playerId)) throw refusal(partyCodes.alreadyMember, 'you are in this party already');
      if (playerId !== this.#creator && !invited) throw refusal(partyCodes.notInvited, 'you need an invite to join this party');
      if (this.#members.size >= MAX_PARTY) throw refusal(partyCodes.full, `a party holds at most ${MAX_PARTY} players`);
      const view = new PartyMemberView();
      view.playerId = playerId;
      view.rating = options.data.rating;
      view.oracles = options.data.oracles?.length ?? 0;
      view.order = ++this.#order;
      this.#members.set(playerId, { client, principal, playerId, rating: options.data.rating, oracles: options.data.oracles ?? [], view });
      this.state.members.set(playerId, view);
      if (invited) {
        this.state.invited.splice(this.state.invited.indexOf(playerId), 1);
        void social().invites.remove(playerId, this.roomId).catch(() => {});
      }
      if (!this.state.leader) this.state.leader = playerId;
      void social().presence.set(playerId, this.#source(), { status: 'online', roomId: this.roomId }).catch(() => {});
      const history = await social().chat.history(this.#channel()).catch(() => []);
      client.send('history', { messages: history });
      services.log.info({ room: this.roomId, player: playerId, leader: this.state.leader }, 'joined the party');
    }

    override onLeave(client: Client) {
      const member = [...this.#members.values()].find((m) => m.client.sessionId === client.sessionId);
      if (!member) return;
      this.#members.delete(member.playerId);
      this.state.members.delete(member.playerId);
      void social().presence.clear(member.playerId, this.#source()).catch(() => {});
      if (this.state.leader === member.playerId) {
        const next = [...this.#members.values()].sort((a, b) => a.view.order - b.view.order)[0];
        this.state.leader = next?.playerId ?? '';
        if (next) services.log.info({ room: this.roomId, from: member.playerId, to: next.playerId }, 'party lead handed over');
      }
    }

    override onDispose() {
      for (const playerId of this.state.invited.toArray()) void services.social?.invites.remove(playerId, this.roomId).catch(() => {});
    }

    async #receive(client: Client, type: string, payload: unknown) {
      const refuse = (code: string, message: string, retryAfterMs?: number) =>
        client.send('refused', { code, message, commandType: loggableText(type, 64), ...(retryAfterMs ? { retryAfterMs } : {}) } satisfies Refused);
      const member = [...this.#members.values()].find((m) => m.client.sessionId === client.sessionId);
      if (!member) return refuse(partyCodes.notMember, 'you are not in this party');
      if (!(type in partyPayloads)) return refuse(partyCodes.unknownMessage, `the party room takes ${Object.keys(partyPayloads).join(', ')}`);
      const schema = partyPayloads[type as keyof typeof partyPayloads];
      const parsed = schema.safeParse(payload ?? undefined);
      if (!parsed.success) return refuse(partyCodes.invalid, z.prettifyError(parsed.error));
      const leads = this.state.leader === member.playerId;
      try {
        switch (type) {
          case 'invite': {
            if (!leads) return refuse(partyCodes.notLeader, 'only the leader invites');
            const data = parsed.data as z.output<typeof partyPayloads.invite>;
            const playerId = 'playerId' in data ? data.playerId : await social().discordPlayer(data.discordUserId);
            if (!playerId) return refuse(partyCodes.unknownPlayer, 'no player linked that Discord account');
            if (this.#members.has(playerId)) return refuse(partyCodes.alreadyMember, `${playerId} is in the party`);
            if (this.#members.size + this.state.invited.length >= MAX_PARTY) return refuse(partyCodes.full, `a party holds at most ${MAX_PARTY} players`);
            const relation = await social().friends.relation(member.playerId, playerId);
            if (relation.blocking || relation.blockedBy) return refuse(partyCodes.blocked, `you cannot invite ${playerId}`);
            if (!relation.friends) return refuse(partyCodes.notFriends, `${playerId} is not your friend`);
            if (!this.state.invited.toArray().includes(playerId)) this.state.invited.push(playerId);
            await social().invites.add(playerId, { partyId: this.roomId, from: member.playerId, at: Date.now() });
            client.send('invited', { playerId });
            return;
          }
          case 'pick': {
            const data = parsed.data as z.output<typeof partyPayloads.pick>;
            member.oracles = data.oracles;
            member.view.oracles = data.oracles.length;
            if (data.rating !== undefined) member.rating = member.view.rating = data.rating;
            return;
          }
          case 'say': {
            const posted = await social().chat.post(this.#channel(), member.playerId, (parsed.data as { text: string }).text);
            if (!posted.ok) return refuse(posted.code, posted.message, posted.retryAfterMs);
            const { messageId, playerId, text, at } = posted.message;
            this.broadcast('chat', { messageId, playerId, text, at } satisfies PartyChat);
            return;
          }
          case 'promote': {
            if (!leads) return refuse(partyCodes.notLeader, 'only the leader hands the lead over');
            const { playerId } = parsed.data as { playerId: string };
            if (!this.#members.has(playerId)) return refuse(partyCodes.notMember, `${playerId} is not in the party`);
            this.state.leader = playerId;
            return;
          }
          case 'queue':
            if (!leads) return refuse(partyCodes.notLeader, 'only the leader queues the party');
            return await this.#queue((parsed.data as { mode: z.output<typeof partyPayloads.queue>['mode'] }).mode, refuse);
          case 'leave':
            client.leave();
            return;
        }
      } catch (error) {
        services.log.error({ room: this.roomId, player: member.playerId, type, err: error }, 'party message failed');
        return refuse(partyCodes.queueFailed, 'that did not go through; try again');
      }
    }

    /** Seats every member in the matchmaking room as one party, and hands each their seat. */
    async #queue(mode: z.output<typeof partyPayloads.queue>['mode'], refuse: (code: string, message: string) => void) {
      const members = [...this.#members.values()];
      const { sideSize } = modeShapes[mode];
      if (members.length > sideSize) return refuse(partyCodes.tooLarge, `${mode} takes parties of up to ${sideSize}; this one has ${members.length}`);
      const without = members.filter((m) => m.oracles.length === 0).map((m) => m.playerId);
      if (without.length > 0) return refuse(partyCodes.oraclesMissing, `still to pick oracles: ${without.join(', ')}`);
      const party = members.map((m) => m.playerId);
      // The queue is one shared room (joinOrCreate locks its creation; a party coming first opens it).
      const queue = (await matchMaker.findOneRoomAvailable('matchmaking', {})) ?? (await matchMaker.createRoom('matchmaking', {}));
      const seats = await Promise.all(members.map((m) =>
        matchMaker.reserveSeatFor(queue, { playerId: m.playerId, rating: m.rating, mode, party, oracles: m.oracles }, m.principal)));
      this.state.status = 'queued';
      this.state.mode = mode;
      members.forEach((m, i) => {
        if (this.#members.get(m.playerId) === m) m.client.send('queued', { mode, party, reservation: seats[i] } satisfies PartyQueued);
      });
      services.log.info({ room: this.roomId, queue: queue.roomId, mode, party }, 'party queued');
    }

    #refreshPresence() {
      for (const m of this.#members.values()) void services.social?.presence.set(m.playerId, this.#source(), { status: 'online', roomId: this.roomId }).catch(() => {});
    }

    #channel() {
      return `party:${this.roomId}`;
    }

    #source() {
      return `party:${this.roomId}`;
    }
  };
}
