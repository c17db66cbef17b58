// The friends service: runs a player's friendship commands through handleCommand against
// the pair's stream, and answers where two players stand (what rooms and routes ask before
// an invite, a message or a presence read).
import { handleCommand, load, stateCache, type StateCache } from '../../events/commandHandler.ts';
import type { EventStore } from '../../events/store.ts';
import type { FriendsEvent } from './events.ts';
import { friendshipStreamId, PlayerId, type Relation } from './model.ts';
import { friendshipDecider, relationOf, type FriendshipState, type FriendsCommandType } from './rules.ts';

export type FriendsResult =
  | { readonly ok: true; readonly relation: Relation; readonly events: readonly FriendsEvent[] }
  | { readonly ok: false; readonly code: string; readonly message: string };

export class FriendsService {
  readonly #store: EventStore;
  readonly #cache: StateCache<FriendshipState> = stateCache(10_000);

  constructor(options: { store: EventStore }) {
    this.#store = options.store;
  }

  /** `by` acts towards `other`: Request, Accept, Decline, Remove, Block, Unblock. */
  async act(type: FriendsCommandType, by: string, other: string): Promise<FriendsResult> {
    PlayerId.parse(by);
    PlayerId.parse(other);
    const handled = await handleCommand(this.#store, friendshipStreamId(by, other), friendshipDecider, { type, by, other }, {
      cache: this.#cache,
      metadata: { actor: by },
    });
    if (!handled.ok) return { ok: false, code: handled.refusal.code, message: handled.refusal.message };
    return { ok: true, relation: relationOf(handled.state, by), events: handled.events.map((e) => ({ type: e.type, data: e.data }) as FriendsEvent) };
  }

  /** Where `viewer` and `other` stand now (read from the pair's stream, not a read model). */
  async relation(viewer: string, other: string): Promise<Relation> {
    if (viewer === other) return { friends: false, pending: null, blocking: false, blockedBy: false };
    const { state } = await load(this.#store, friendshipStreamId(viewer, other), friendshipDecider, undefined, this.#cache);
    return relationOf(state, viewer);
  }

  /** Either of the two blocks the other. */
  async blocked(a: string, b: string): Promise<boolean> {
    const relation = await this.relation(a, b);
    return relation.blocking || relation.blockedBy;
  }
}
