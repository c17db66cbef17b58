// The account's value shapes: platform identities, player ids, display names, and the
// streams they live in. A person has one canonical player id (a UUIDv7 the server draws)
// and any number of platform identities linked to it; each identity has its own claim
// stream, whose expected-version check makes sure it is never held by two players.
import { z } from 'zod';
import { playerText } from '../../events/players.ts';
import { PlayerId } from '../../events/players.ts';

export const providers = ['guest', 'steam', 'discord'] as const;
export const Provider = z.enum(providers);
export type Provider = z.infer<typeof Provider>;

/** What a platform calls the person: a device id (guests), a SteamID64, a Discord user id (a snowflake). */
export const subjectFormats: Readonly<Record<Provider, { pattern: RegExp; example: string }>> = {
  guest: { pattern: /^[A-Za-z0-9_-]{16,128}$/, example: 'a 16-128 character device id of A-Z a-z 0-9 _ -' },
  steam: { pattern: /^[0-9]{17}$/, example: 'a 17-digit SteamID64' },
  discord: { pattern: /^[0-9]{15,21}$/, example: 'a Discord user id (15-21 digits)' },
};

export const Identity = z
  .strictObject({ provider: Provider, subject: z.string().min(1).max(128) })
  .superRefine((identity, ctx) => {
    const format = subjectFormats[identity.provider];
    if (!format.pattern.test(identity.subject)) ctx.addIssue({ code: 'custom', path: ['subject'], message: `a ${identity.provider} subject is ${format.example}` });
  });
export type Identity = z.infer<typeof Identity>;

export { PlayerId };

/** A name a person chose or a platform reported: 1-64 UTF-16 units, verbatim (see playerText). */
export const DisplayName = playerText(64);

export const playerStreamId = (playerId: string) => `player-${playerId}`;
export const identityKey = (identity: Identity) => `${identity.provider}.${identity.subject}`;
/** The claim stream of one platform identity: who holds it. */
export const identityStreamId = (identity: Identity) => `identity-${identityKey(identity)}`;

export const accountCodes = {
  notFound: 'account/not_found',
  alreadyRegistered: 'account/already_registered',
  identityTaken: 'account/identity_taken',
  notLinked: 'account/not_linked',
  lastIdentity: 'account/last_identity',
  tooManyIdentities: 'account/too_many_identities',
  notHolder: 'account/not_holder',
} as const;

/** Identities one player may hold at once. */
export const MAX_IDENTITIES = 16;
