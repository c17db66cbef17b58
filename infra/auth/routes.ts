// The HTTP face of sign-in and accounts: POST /auth/{guest,steam,discord,spectator,refresh,
// logout}, and a player's own account (GET, link, unlink) under /players/:playerId.
import { z } from 'zod';
import { accountCodes, DisplayName, Identity, PlayerId, Provider, subjectFormats } from '../../commands/account/model.ts';
import { AccountRefused, type AccountService } from '../../commands/account/service.ts';
import { Role } from '../../rooms/shared/access.ts';
import { defineRoute, HttpError, type Route } from '../http/route.ts';
import { DiscordCode } from './platforms/discord.ts';
import { PlatformRefused, platformCodes, type Vouched } from './platforms/platform.ts';
import { SteamTicket } from './platforms/steam.ts';
import type { SessionService } from './sessions.ts';

const DeviceId = z.string().regex(subjectFormats.guest.pattern, `a device id is ${subjectFormats.guest.example}`);
const RefreshToken = z.string().min(1).max(200);

const SessionBody = z.object({
  playerId: z.string(),
  roles: z.array(Role),
  displayName: z.string().nullable(),
  created: z.boolean(),
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.int().describe('seconds'),
  refreshToken: z.string(),
  refreshExpiresIn: z.int().describe('seconds'),
});

const AccountBody = z.object({
  playerId: z.string(),
  displayName: z.string().nullable(),
  identities: z.array(z.object({ provider: Provider, subject: z.string(), displayName: z.string().nullable(), linkedAt: z.string() })),
});

const PlayerParams = z.strictObject({ playerId: PlayerId });

const statusOf: Record<string, number> = {
  [accountCodes.notFound]: 404,
  [accountCodes.notLinked]: 404,
  [accountCodes.identityTaken]: 409,
  [accountCodes.lastIdentity]: 409,
  [accountCodes.tooManyIdentities]: 409,
  'account/busy': 503,
  [platformCodes.rejected]: 401,
  [platformCodes.banned]: 403,
  [platformCodes.unavailable]: 503,
  [platformCodes.notConfigured]: 503,
};

/** Account and platform refusals as HTTP errors with their codes. */
async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AccountRefused || error instanceof PlatformRefused) {
      const status = statusOf[error.code] ?? 400;
      throw new HttpError(status, error.code, error.message, status === 503 ? { 'retry-after': '5' } : {});
    }
    throw error;
  }
}

const signInRefusals = {
  401: 'The platform did not vouch for the ticket or code (auth/platform_rejected)',
  403: 'The platform bans this account from the game (auth/platform_banned)',
  429: 'Too many sign-ins from this address or for this identity (rate/limited); see Retry-After',
  503: 'The platform cannot be reached, or its sign-in is not configured here (auth/platform_unavailable, auth/platform_not_configured)',
};

export function authRoutes(sessions: SessionService, accounts: AccountService): Route[] {
  return [
    defineRoute({
      name: 'signInGuest',
      method: 'POST',
      path: '/auth/guest',
      summary: 'Sign in as a guest by device id (a new player the first time)',
      tags: ['auth'],
      access: 'public',
      body: z.strictObject({ deviceId: DeviceId, displayName: DisplayName.optional() }),
      response: SessionBody,
      refusals: { 429: signInRefusals[429] },
      handle: ({ body, ip }) => answering(() => sessions.guest(body.deviceId, body.displayName ?? null, ip)),
    }),
    defineRoute({
      name: 'signInSteam',
      method: 'POST',
      path: '/auth/steam',
      summary: 'Sign in with a Steam session ticket (hex), verified with Steam',
      tags: ['auth'],
      access: 'public',
      body: z.strictObject({ ticket: SteamTicket }),
      response: SessionBody,
      refusals: signInRefusals,
      handle: ({ body, ip }) => answering(() => sessions.steam(body.ticket, ip)),
    }),
    defineRoute({
      name: 'signInDiscord',
      method: 'POST',
      path: '/auth/discord',
      summary: 'Sign in with a Discord OAuth2 authorization code',
      tags: ['auth'],
      access: 'public',
      body: z.strictObject({ code: DiscordCode }),
      response: SessionBody,
      refusals: signInRefusals,
      handle: ({ body, ip }) => answering(() => sessions.discord(body.code, ip)),
    }),
    defineRoute({
      name: 'signInSpectator',
      method: 'POST',
      path: '/auth/spectator',
      summary: 'A watch-only session token, no account needed (rooms accept it with { spectator: true })',
      tags: ['auth'],
      access: 'public',
      response: z.object({ playerId: z.string(), roles: z.array(Role), accessToken: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.int() }),
      refusals: { 429: signInRefusals[429] },
      handle: ({ ip }) => sessions.spectator(ip),
    }),
    defineRoute({
      name: 'refreshSession',
      method: 'POST',
      path: '/auth/refresh',
      summary: 'Spend a refresh token for a new session (the old refresh token is then void)',
      tags: ['auth'],
      access: 'public',
      body: z.strictObject({ refreshToken: RefreshToken }),
      response: SessionBody,
      refusals: { 401: 'Unknown, expired or revoked refresh token (auth/invalid_refresh_token), or one used twice (auth/refresh_token_reused: that sign-in is revoked)', 429: 'rate/limited' },
      handle: ({ body, ip }) => sessions.refresh(body.refreshToken, ip),
    }),
    defineRoute({
      name: 'signOut',
      method: 'POST',
      path: '/auth/logout',
      summary: 'Revoke the sign-in a refresh token belongs to',
      tags: ['auth'],
      access: 'public',
      body: z.strictObject({ refreshToken: RefreshToken }),
      response: z.object({ revoked: z.boolean() }),
      handle: async ({ body }) => ({ revoked: await sessions.signOut(body.refreshToken) }),
    }),
    defineRoute({
      name: 'account',
      method: 'GET',
      path: '/players/:playerId/account',
      summary: 'A player’s account and the identities linked to it',
      tags: ['accounts'],
      access: 'player',
      params: PlayerParams,
      response: AccountBody,
      refusals: { 404: 'No such player (account/not_found)' },
      handle: async ({ params }) => {
        const account = await accounts.account(params.playerId);
        if (!account) throw new HttpError(404, accountCodes.notFound, `no player ${params.playerId}`);
        return account;
      },
    }),
    linkRoute('guest', z.strictObject({ deviceId: DeviceId, displayName: DisplayName.optional() }), sessions, accounts, (body, ip) => sessions.vouchGuest(body.deviceId, body.displayName ?? null, ip)),
    linkRoute('steam', z.strictObject({ ticket: SteamTicket }), sessions, accounts, (body, ip) => sessions.vouchSteam(body.ticket, ip)),
    linkRoute('discord', z.strictObject({ code: DiscordCode }), sessions, accounts, (body, ip) => sessions.vouchDiscord(body.code, ip)),
    defineRoute({
      name: 'unlinkIdentity',
      method: 'DELETE',
      path: '/players/:playerId/identities/:provider/:subject',
      summary: 'Unlink a platform identity (never the last one)',
      tags: ['accounts'],
      access: 'player',
      params: z.strictObject({ playerId: PlayerId, provider: Provider, subject: z.string().min(1).max(128) }),
      response: AccountBody,
      refusals: { 404: 'Not linked to this player (account/not_linked)', 409: 'The only identity left (account/last_identity)', 429: 'rate/limited' },
      handle: async ({ params }) => {
        await sessions.limit('account.player', params.playerId);
        const identity = Identity.safeParse({ provider: params.provider, subject: params.subject });
        if (!identity.success) throw new HttpError(404, accountCodes.notLinked, `no such ${params.provider} identity is linked`);
        return answering(() => accounts.unlink(params.playerId, identity.data));
      },
    }),
  ];
}

function linkRoute<B extends z.ZodType>(
  provider: Provider,
  body: B,
  sessions: SessionService,
  accounts: AccountService,
  vouch: (body: z.output<B>, ip: string | undefined) => Promise<Vouched>,
): Route {
  return defineRoute({
    name: `link${provider[0]!.toUpperCase()}${provider.slice(1)}`,
    method: 'POST',
    path: `/players/:playerId/identities/${provider}`,
    summary: `Link a ${provider} identity to this player (proved the same way as signing in with it)`,
    tags: ['accounts'],
    access: 'player',
    params: PlayerParams,
    body,
    response: AccountBody,
    refusals: { 409: 'Linked to another player already (account/identity_taken)', ...signInRefusals },
    handle: async ({ params, body: input, ip }) => {
      await sessions.limit('account.player', params.playerId);
      return answering(async () => {
        const vouched = await vouch(input, ip);
        return accounts.link(params.playerId, vouched.identity, vouched.displayName);
      });
    },
  });
}
