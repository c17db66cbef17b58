// Friends: the value shapes and the stream a relationship lives in. One stream per pair of
// players (`friendship-<pair>`): every decision about two people (a request, its answer, a
// block) is taken against that one stream's version, so two players acting at once never
// leave the pair half-friends. The pair id is a name-based UUID of the two sorted ids, so
// it is the same from either side and two different pairs never share one.
import { nameBasedUuid } from '../../events/ids.ts';
import { PlayerId } from '../../events/players.ts';

export { PlayerId };

export const pairOf = (a: string, b: string): readonly [string, string] => (a < b ? [a, b] : [b, a]);
export const friendshipStreamId = (a: string, b: string): string => `friendship-${nameBasedUuid('pantheon.friendship', ...pairOf(a, b))}`;

export const friendsCodes = {
  self: 'friends/self',
  blocked: 'friends/blocked',
  alreadyFriends: 'friends/already_friends',
  alreadyRequested: 'friends/already_requested',
  noRequest: 'friends/no_request',
  notFriends: 'friends/not_friends',
  notBlocked: 'friends/not_blocked',
} as const;
export type FriendsCode = (typeof friendsCodes)[keyof typeof friendsCodes];

/** Where two players stand, as one of them sees it. */
export type Relation = {
  readonly friends: boolean;
  /** A request waits: `outgoing` the viewer sent it, `incoming` the other did. */
  readonly pending: 'incoming' | 'outgoing' | null;
  /** The viewer blocked the other. */
  readonly blocking: boolean;
  /** The other blocked the viewer. */
  readonly blockedBy: boolean;
};
