// Test support: SDK clients that join rooms with real session tokens. Tests write joins as
// a client would have before sign-in existed (`{ playerId: 'ana' }`); the client carries a
// token for exactly that player, minted with the server's key, so every join passes the
// server's real token check and the player acts only as themself.
import { randomBytes } from 'node:crypto';
import { Client, type Room } from '@colyseus/sdk';
import type { Role } from '../../rooms/shared/access.ts';
import { AccessTokens } from '../auth/tokens.ts';

/**
 * The key child server processes started by tests sign tokens with (startServerProcess sets
 * it unless a test gives its own), so a test can mint tokens they accept.
 */
export const testJwtSecret = randomBytes(32).toString('base64url');

type JoinOptionsSeen = { playerId?: unknown; spectator?: unknown };
export type TokenFor = (playerId: string, roles?: Role[]) => Promise<string>;

/** Tokens as a server with this secret issues them. */
export function tokenMinter(secret: string = testJwtSecret): TokenFor {
  const tokens = new AccessTokens({ secret: new TextEncoder().encode(secret) });
  return async (playerId, roles = ['player']) => (await tokens.issue({ playerId, roles })).token;
}

/** An SDK client that signs each join in as the player its options name, or as a watcher for `{ spectator: true }`. */
export class SignedInClient extends Client {
  readonly #tokenFor: TokenFor;

  constructor(url: string, tokenFor: TokenFor = tokenMinter()) {
    super(url);
    this.#tokenFor = tokenFor;
  }

  // biome-ignore lint: the SDK's own signature takes untyped join options and schema.
  protected override async createMatchMakeRequest<T>(method: string, roomName: string, options?: any, rootSchema?: any): Promise<Room<any, T>> {
    if (method !== 'reconnect') {
      const seen = (options ?? {}) as JoinOptionsSeen;
      if (typeof seen.playerId === 'string') this.auth.token = await this.#tokenFor(seen.playerId);
      else if (seen.spectator === true) this.auth.token = await this.#tokenFor(`watcher-${randomBytes(6).toString('hex')}`, ['spectator']);
    }
    return super.createMatchMakeRequest<T>(method, roomName, options, rootSchema);
  }
}
