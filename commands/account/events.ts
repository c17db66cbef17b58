// The account's events. `player-<id>` holds a person's account: registration and every
// identity linked or unlinked. `identity-<provider>.<subject>` holds one platform identity's
// claims: which player holds it, and when it was let go. Every account event names the
// claim event it follows (`claimVersion`), so a half-done change (a crash between the two
// appends) is recognised and finished by whoever touches the identity next (service.ts).
import { z } from 'zod';
import { defineEvent, type EventOf } from '../../events/catalog.ts';
import { DisplayName, Identity, PlayerId } from './model.ts';

const ClaimVersion = z.int().min(0);

/** A new player, signed in for the first time with `identity` (claimed at `claimVersion`). */
export const PlayerRegistered = defineEvent(
  'PlayerRegistered',
  z.strictObject({ playerId: PlayerId, identity: Identity, displayName: DisplayName.nullable(), claimVersion: ClaimVersion }),
);

export const IdentityLinked = defineEvent(
  'IdentityLinked',
  z.strictObject({ playerId: PlayerId, identity: Identity, displayName: DisplayName.nullable(), claimVersion: ClaimVersion }),
);

/** The player let the identity go; its claim (at `claimVersion`) is released next. */
export const IdentityUnlinked = defineEvent(
  'IdentityUnlinked',
  z.strictObject({ playerId: PlayerId, identity: Identity, claimVersion: ClaimVersion }),
);

export const accountEvents = [PlayerRegistered, IdentityLinked, IdentityUnlinked] as const;
export type AccountEvent = EventOf<(typeof accountEvents)[number]>;

/** `playerId` holds the identity from now on. Appended only at the version that shows it free. */
export const IdentityClaimed = defineEvent(
  'IdentityClaimed',
  z.strictObject({ identity: Identity, playerId: PlayerId, displayName: DisplayName.nullable() }),
);

export const IdentityReleased = defineEvent('IdentityReleased', z.strictObject({ identity: Identity, playerId: PlayerId }));

export const claimEvents = [IdentityClaimed, IdentityReleased] as const;
export type ClaimEvent = EventOf<(typeof claimEvents)[number]>;

/** For the catalog (infra/catalog.ts). */
export const accountEventDefinitions = [...accountEvents, ...claimEvents] as const;
