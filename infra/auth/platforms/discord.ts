// Discord sign-in (OAuth2 authorization code grant): the client sends the `code` Discord
// redirected it with; the server exchanges it (POST /oauth2/token, form-encoded, with the
// app's client id and secret and the same redirect URI) for an access token, then asks
// GET /users/@me who it belongs to. A bad, reused or expired code: 400 `invalid_grant`.
import { z } from 'zod';
import type { Logger } from '../../logger.ts';
import { callPlatform, PlatformRefused, platformCodes, type Vouched } from './platform.ts';
import { DisplayName } from '../../../commands/account/model.ts';

export const DiscordCode = z.string().regex(/^[A-Za-z0-9_-]{10,128}$/, 'a Discord authorization code is 10-128 characters of A-Z a-z 0-9 _ -');

const TokenAnswer = z.object({ access_token: z.string().min(1).max(4096), token_type: z.string() });
const TokenError = z.object({ error: z.string(), error_description: z.string().optional() });
const User = z.object({
  id: z.string().regex(/^[0-9]{15,21}$/),
  username: z.string(),
  global_name: z.string().nullable().optional(),
});

export type DiscordOptions = {
  baseUrl: string;
  clientId: string | undefined;
  clientSecret: string | undefined;
  redirectUri: string | undefined;
  timeoutMs?: number;
  logger: Logger;
};

export type DiscordVerifier = { verify(code: string): Promise<Vouched> };

export function discordVerifier(options: DiscordOptions): DiscordVerifier {
  const timeoutMs = options.timeoutMs ?? 5000;
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  return {
    async verify(code) {
      const { clientId, clientSecret, redirectUri } = options;
      if (!clientId || !clientSecret || !redirectUri) {
        throw new PlatformRefused(platformCodes.notConfigured, 'Discord sign-in is not configured on this server (DISCORD_CLIENT_ID, DISCORD_CLIENT_SECRET, DISCORD_REDIRECT_URI)');
      }
      const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId, client_secret: clientSecret });
      const exchanged = await callPlatform('Discord', new URL('oauth2/token', base).toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      }, timeoutMs);
      if (exchanged.status !== 200) {
        const error = TokenError.safeParse(exchanged.body);
        if (exchanged.status === 401 || (error.success && error.data.error === 'invalid_client')) {
          options.logger.error({ component: 'auth', platform: 'discord', status: exchanged.status }, 'Discord refused the client credentials');
          throw new PlatformRefused(platformCodes.unavailable, 'Discord sign-in is unavailable right now');
        }
        throw new PlatformRefused(platformCodes.rejected, `Discord did not accept the code${error.success ? `: ${error.data.error}` : ` (HTTP ${exchanged.status})`}`);
      }
      const token = TokenAnswer.safeParse(exchanged.body);
      if (!token.success) throw new PlatformRefused(platformCodes.unavailable, 'Discord answered the code exchange in an unexpected shape');
      const me = await callPlatform('Discord', new URL('users/@me', base).toString(), {
        method: 'GET',
        headers: { authorization: `Bearer ${token.data.access_token}`, accept: 'application/json' },
      }, timeoutMs);
      if (me.status === 401) throw new PlatformRefused(platformCodes.rejected, 'Discord did not accept the access token it just issued');
      const user = User.safeParse(me.body);
      if (me.status !== 200 || !user.success) throw new PlatformRefused(platformCodes.unavailable, `Discord answered /users/@me unexpectedly (HTTP ${me.status})`);
      // Discord's names are the person's own text: kept verbatim if they are storable, else dropped.
      const name = DisplayName.safeParse(user.data.global_name ?? user.data.username);
      return { identity: { provider: 'discord', subject: user.data.id }, displayName: name.success ? name.data : null };
    },
  };
}
