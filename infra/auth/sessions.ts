// Sign-in, refresh and sign-out: a platform vouches for an identity, the account service
// resolves it to the one player it belongs to, and the player gets a session: a 15-minute
// access token and a rotating refresh token. Every attempt is counted against the caller's
// address first (before any platform is asked), then against the identity.
import { randomUUID } from 'node:crypto';
import type { AccountService } from '../../commands/account/service.ts';
import type { Identity } from '../../commands/account/model.ts';
import { AccessDenied, accessCodes, type Principal, type Role } from '../../rooms/shared/access.ts';
import type { Logger } from '../logger.ts';
import type { DiscordVerifier } from './platforms/discord.ts';
import type { Vouched } from './platforms/platform.ts';
import type { SteamVerifier } from './platforms/steam.ts';
import type { RateLimiter, RateLimitName } from './rateLimit.ts';
import type { RefreshTokenStore } from './refreshTokens.ts';
import { rolesOf, type AccessTokens } from './tokens.ts';

export type Session = {
  playerId: string;
  roles: Role[];
  displayName: string | null;
  /** True when this sign-in registered a new player. */
  created: boolean;
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds. */
  expiresIn: number;
  refreshToken: string;
  /** Seconds. */
  refreshExpiresIn: number;
};

export type SpectatorSession = { playerId: string; roles: Role[]; accessToken: string; tokenType: 'Bearer'; expiresIn: number };

export const sessionCodes = {
  invalidRefresh: 'auth/invalid_refresh_token',
  refreshReused: 'auth/refresh_token_reused',
} as const;

export type SessionServiceOptions = {
  accounts: AccountService;
  tokens: AccessTokens;
  refresh: RefreshTokenStore;
  limiter: RateLimiter;
  steam: SteamVerifier;
  discord: DiscordVerifier;
  grants: { admins: ReadonlySet<string>; auditors: ReadonlySet<string> };
  logger: Logger;
};

export class SessionService {
  readonly #o: SessionServiceOptions;
  readonly #log: Logger;

  constructor(options: SessionServiceOptions) {
    this.#o = options;
    this.#log = options.logger.child({ component: 'auth' });
  }

  /** Throws `rate/limited` (with the wait) once `subject` has used up `name`. */
  async limit(name: RateLimitName, subject: string): Promise<void> {
    const decision = await this.#o.limiter.take(name, subject);
    if (!decision.allowed) throw new AccessDenied(accessCodes.rateLimited, `too many requests (${name})`, decision.retryAfterMs);
  }

  async guest(deviceId: string, displayName: string | null, ip: string | undefined): Promise<Session> {
    return this.#signIn(await this.vouchGuest(deviceId, displayName, ip));
  }

  async steam(ticket: string, ip: string | undefined): Promise<Session> {
    return this.#signIn(await this.vouchSteam(ticket, ip));
  }

  async discord(code: string, ip: string | undefined): Promise<Session> {
    return this.#signIn(await this.vouchDiscord(code, ip));
  }

  // An identity proved the way signing in proves it, with the sign-in limits counted: for
  // signing in, and for linking it to a signed-in player.
  async vouchGuest(deviceId: string, displayName: string | null, ip: string | undefined): Promise<Vouched> {
    // No platform to ask: the address and the device are counted together.
    const decision = await this.#o.limiter.takeAll([...(ip ? [['signin.ip', ip] as const] : []), ['signin.identity', `guest.${deviceId}`]]);
    if (!decision.allowed) throw new AccessDenied(accessCodes.rateLimited, 'too many sign-ins', decision.retryAfterMs);
    return { identity: { provider: 'guest', subject: deviceId }, displayName };
  }

  vouchSteam(ticket: string, ip: string | undefined): Promise<Vouched> {
    return this.#vouch(ip, () => this.#o.steam.verify(ticket));
  }

  vouchDiscord(code: string, ip: string | undefined): Promise<Vouched> {
    return this.#vouch(ip, () => this.#o.discord.verify(code));
  }

  /** A watch-only token for someone without an account (Discord spectators, web viewers); no refresh. */
  async spectator(ip: string | undefined): Promise<SpectatorSession> {
    if (ip) {
      const decision = await this.#o.limiter.takeAll([['signin.ip', ip], ['spectator.ip', ip]]);
      if (!decision.allowed) throw new AccessDenied(accessCodes.rateLimited, 'too many watch-only tokens from this address', decision.retryAfterMs);
    }
    const principal: Principal = { playerId: `spectator:${randomUUID()}`, roles: ['spectator'] };
    const access = await this.#o.tokens.issue(principal);
    return { playerId: principal.playerId, roles: principal.roles, accessToken: access.token, tokenType: 'Bearer', expiresIn: access.expiresIn };
  }

  /** Spends a refresh token for a new session; a token presented twice signs its whole family out. */
  async refresh(refreshToken: string, ip: string | undefined): Promise<Session> {
    if (ip) await this.limit('refresh.ip', ip);
    const rotated = await this.#o.refresh.rotate(refreshToken);
    if (!rotated.ok) {
      if (rotated.reason === 'reused') {
        this.#log.warn({ ip }, 'a refresh token was presented twice; its session family is revoked');
        throw new AccessDenied(sessionCodes.refreshReused, 'this refresh token was already used; every session of that sign-in is revoked, sign in again');
      }
      throw new AccessDenied(sessionCodes.invalidRefresh, 'the refresh token is unknown, expired or revoked; sign in again');
    }
    const account = await this.#o.accounts.account(rotated.record.playerId);
    if (!account) throw new AccessDenied(sessionCodes.invalidRefresh, 'the refresh token names no player; sign in again');
    return this.#session(account.playerId, account.displayName, false, rotated.token);
  }

  async signOut(refreshToken: string): Promise<boolean> {
    return this.#o.refresh.revoke(refreshToken);
  }

  /** The address is counted before the platform is asked; the identity once it vouched. */
  async #vouch(ip: string | undefined, platform: () => Promise<Vouched>): Promise<Vouched> {
    if (ip) await this.limit('signin.ip', ip);
    const vouched = await platform();
    await this.limit('signin.identity', `${vouched.identity.provider}.${vouched.identity.subject}`);
    return vouched;
  }

  async #signIn({ identity, displayName }: Vouched): Promise<Session> {
    const signedIn = await this.#o.accounts.signIn(identity as Identity, displayName);
    this.#log.info({ player: signedIn.playerId, provider: identity.provider, created: signedIn.created }, 'signed in');
    return this.#session(signedIn.playerId, signedIn.displayName, signedIn.created);
  }

  async #session(playerId: string, displayName: string | null, created: boolean, refreshToken?: string): Promise<Session> {
    const principal: Principal = { playerId, roles: rolesOf(playerId, this.#o.grants) };
    const [access, refresh] = await Promise.all([this.#o.tokens.issue(principal), refreshToken ?? this.#o.refresh.issue(playerId)]);
    return {
      playerId,
      roles: principal.roles,
      displayName,
      created,
      accessToken: access.token,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
      refreshToken: refresh,
      refreshExpiresIn: Math.floor(this.#o.refresh.ttlMs / 1000),
    };
  }
}
