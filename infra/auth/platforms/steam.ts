// Steam sign-in: the client sends the session ticket it got from the Steamworks SDK
// (GetAuthTicketForWebApi / GetAuthSessionTicket, hex-encoded) and the server asks Steam's
// Web API who it belongs to: GET ISteamUserAuth/AuthenticateUserTicket/v1 with the
// publisher key and the app id. Steam answers `{response:{params:{result:'OK', steamid, …}}}`
// or `{response:{error:{errorcode, errordesc}}}` (101 "Invalid ticket" for a bad or expired one).
import { z } from 'zod';
import type { Logger } from '../../logger.ts';
import { callPlatform, PlatformRefused, platformCodes, type Vouched } from './platform.ts';

export const SteamTicket = z.string().regex(/^[0-9A-Fa-f]{16,4096}$/, 'a Steam session ticket is 16-4096 hexadecimal characters');

const SteamAnswer = z.object({
  response: z.object({
    params: z
      .object({
        result: z.string(),
        steamid: z.string().regex(/^[0-9]{17}$/),
        ownersteamid: z.string().optional(),
        vacbanned: z.boolean().optional(),
        publisherbanned: z.boolean().optional(),
      })
      .optional(),
    error: z.object({ errorcode: z.number(), errordesc: z.string() }).optional(),
  }),
});

export type SteamOptions = {
  baseUrl: string;
  webApiKey: string | undefined;
  appId: number | undefined;
  /** Passed as `identity`: the service name the client's GetAuthTicketForWebApi named, if any. */
  identity?: string;
  timeoutMs?: number;
  logger: Logger;
};

export type SteamVerifier = { verify(ticket: string): Promise<Vouched> };

export function steamVerifier(options: SteamOptions): SteamVerifier {
  const timeoutMs = options.timeoutMs ?? 5000;
  return {
    async verify(ticket) {
      if (!options.webApiKey || options.appId === undefined) {
        throw new PlatformRefused(platformCodes.notConfigured, 'Steam sign-in is not configured on this server (STEAM_WEB_API_KEY, STEAM_APP_ID)');
      }
      const url = new URL('ISteamUserAuth/AuthenticateUserTicket/v1/', options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
      url.searchParams.set('key', options.webApiKey);
      url.searchParams.set('appid', String(options.appId));
      url.searchParams.set('ticket', ticket);
      if (options.identity) url.searchParams.set('identity', options.identity);
      const { status, body } = await callPlatform('Steam', url.toString(), { method: 'GET', headers: { accept: 'application/json' } }, timeoutMs);
      if (status === 401 || status === 403) {
        // Our key is wrong or lacks the permission: an operator problem, not the player's.
        options.logger.error({ component: 'auth', platform: 'steam', status }, 'Steam refused the web API key');
        throw new PlatformRefused(platformCodes.unavailable, 'Steam sign-in is unavailable right now');
      }
      const answer = SteamAnswer.safeParse(body);
      if (!answer.success) throw new PlatformRefused(platformCodes.unavailable, `Steam answered in an unexpected shape (HTTP ${status})`);
      const { params, error } = answer.data.response;
      if (error || !params || params.result !== 'OK') {
        throw new PlatformRefused(platformCodes.rejected, `Steam did not accept the ticket${error ? `: ${error.errordesc} (${error.errorcode})` : ''}`);
      }
      if (params.publisherbanned) throw new PlatformRefused(platformCodes.banned, 'this Steam account is banned from the game');
      return { identity: { provider: 'steam', subject: params.steamid }, displayName: null };
    },
  };
}
