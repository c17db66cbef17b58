// The friendship events of one pair of players: facts in past tense, each naming who acted
// (`by`) and the other player (`other`), so a read model folds them for both sides.
import { z } from 'zod';
import { defineEvent, type EventOf } from '../../events/catalog.ts';
import { PlayerId } from './model.ts';

const pair = { by: PlayerId, other: PlayerId };

/** `by` asked `other` to be friends. */
export const FriendRequested = defineEvent('FriendRequested', z.strictObject(pair));
/** `by` accepted the request `other` sent: they are friends. */
export const FriendRequestAccepted = defineEvent('FriendRequestAccepted', z.strictObject(pair));
/** `by` declined the request `other` sent, or withdrew their own (`by` sent it). */
export const FriendRequestDeclined = defineEvent('FriendRequestDeclined', z.strictObject(pair));
/** `by` ended the friendship. */
export const FriendRemoved = defineEvent('FriendRemoved', z.strictObject(pair));
/** `by` blocked `other`: any friendship or request between them ends; `other` cannot invite, message or see `by`. */
export const PlayerBlocked = defineEvent('PlayerBlocked', z.strictObject(pair));
export const PlayerUnblocked = defineEvent('PlayerUnblocked', z.strictObject(pair));

export const friendsEventDefinitions = [FriendRequested, FriendRequestAccepted, FriendRequestDeclined, FriendRemoved, PlayerBlocked, PlayerUnblocked] as const;
export type FriendsEvent = EventOf<(typeof friendsEventDefinitions)[number]>;
export const friendsEventTypes = friendsEventDefinitions.map((d) => d.type);
