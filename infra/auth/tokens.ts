// Session (access) tokens: short-lived JWTs (jose, HS256) naming a player and their roles.
// Rooms and HTTP routes verify them without a round trip anywhere; revocation is by
// expiry (15 min), which is why refresh tokens (refreshTokens.ts) carry the long life.
import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { AccessDenied, accessCodes, Principal, Role } from '../../rooms/shared/access.ts';

export const ISSUER = 'pantheon';
export const AUDIENCE = 'pantheon';
/** RFC 9068's media type for JWT access tokens: a token of another kind cannot pass as one. */
const TOKEN_TYPE = 'at+jwt';
const ALGORITHM = 'HS256';

export type AccessTokenOptions = {
  /** The HMAC key: at least 32 bytes. */
  secret: Uint8Array;
  /** Seconds an access token lives; default 900. */
  ttlSeconds?: number;
  now?: () => number;
};

export type IssuedToken = { token: string; expiresIn: number };

export class AccessTokens {
  /** Imported once: jose would import raw bytes again on every sign and verify. */
  readonly #secret: KeyObject;
  readonly #now: () => number;
  readonly ttlSeconds: number;

  constructor(options: AccessTokenOptions) {
    if (options.secret.byteLength < 32) throw new Error('the token secret must be at least 32 bytes');
    this.#secret = createSecretKey(options.secret);
    this.#now = options.now ?? Date.now;
    this.ttlSeconds = options.ttlSeconds ?? 900;
  }

  async issue(principal: Principal, ttlSeconds: number = this.ttlSeconds): Promise<IssuedToken> {
    const issuedAt = Math.floor(this.#now() / 1000);
    const token = await new SignJWT({ roles: principal.roles })
      .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE })
      .setSubject(principal.playerId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttlSeconds)
      .setJti(randomUUID())
      .sign(this.#secret);
    return { token, expiresIn: ttlSeconds };
  }

  /** The principal a token names. Throws AccessDenied: `auth/missing_token`, `auth/expired_token` or `auth/invalid_token`. */
  async verify(token: string | undefined | null): Promise<Principal> {
    if (token === undefined || token === null || token === '') throw new AccessDenied(accessCodes.missingToken, 'sign in first: this needs a session token (Authorization: Bearer …)');
    if (token.length > 4096) throw new AccessDenied(accessCodes.invalidToken, 'the session token is not one this server issued');
    try {
      const { payload } = await jwtVerify(token, this.#secret, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        typ: TOKEN_TYPE,
        requiredClaims: ['sub', 'exp', 'iat'],
        currentDate: new Date(this.#now()),
      });
      const principal = Principal.safeParse({ playerId: payload.sub, roles: payload.roles });
      if (!principal.success) throw new AccessDenied(accessCodes.invalidToken, 'the session token names no valid player or roles');
      return principal.data;
    } catch (error) {
      if (error instanceof AccessDenied) throw error;
      if (error instanceof errors.JWTExpired) throw new AccessDenied(accessCodes.expiredToken, 'the session token has expired; refresh it (POST /auth/refresh) or sign in again');
      if (error instanceof errors.JOSEError) throw new AccessDenied(accessCodes.invalidToken, 'the session token is not one this server issued');
      throw error;
    }
  }
}

/** The roles a signed-in player holds: `player`, plus what the operator's lists grant. */
export function rolesOf(playerId: string, grants: { admins: ReadonlySet<string>; auditors: ReadonlySet<string> }): Role[] {
  const roles: Role[] = ['player'];
  if (grants.auditors.has(playerId)) roles.push('auditor');
  if (grants.admins.has(playerId)) roles.push('admin');
  return roles;
}
