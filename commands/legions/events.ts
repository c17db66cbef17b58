// A legion's events: founding, membership (invited, asked to join, joined, left, removed),
// roles and leadership. The treasury's movements are wallet events in its own wallet stream.
import { z } from 'zod';
import { defineEvent, type EventOf } from '../../events/catalog.ts';
import { LegionId, LegionName, LegionRole, LegionTag, PlayerId } from './model.ts';

export const LegionFounded = defineEvent('LegionFounded', z.strictObject({ legionId: LegionId, name: LegionName, tag: LegionTag, leader: PlayerId }));
export const LegionInviteSent = defineEvent('LegionInviteSent', z.strictObject({ legionId: LegionId, playerId: PlayerId, by: PlayerId }));
export const LegionJoinRequested = defineEvent('LegionJoinRequested', z.strictObject({ legionId: LegionId, playerId: PlayerId }));
export const LegionJoinRequestDeclined = defineEvent('LegionJoinRequestDeclined', z.strictObject({ legionId: LegionId, playerId: PlayerId, by: PlayerId }));
/** `by`: who let them in (the invitee themself when accepting an invite). */
export const LegionMemberJoined = defineEvent('LegionMemberJoined', z.strictObject({ legionId: LegionId, playerId: PlayerId, by: PlayerId }));
/** `by` is the member for leaving, an officer or the leader for a removal. */
export const LegionMemberLeft = defineEvent('LegionMemberLeft', z.strictObject({ legionId: LegionId, playerId: PlayerId, by: PlayerId }));
/** A leader handing over becomes an officer. */
export const LegionRoleChanged = defineEvent('LegionRoleChanged', z.strictObject({ legionId: LegionId, playerId: PlayerId, role: LegionRole, by: PlayerId }));

export const legionEventDefinitions = [LegionFounded, LegionInviteSent, LegionJoinRequested, LegionJoinRequestDeclined, LegionMemberJoined, LegionMemberLeft, LegionRoleChanged] as const;
export type LegionEvent = EventOf<(typeof legionEventDefinitions)[number]>;
export const legionEventTypes = legionEventDefinitions.map((d) => d.type);
