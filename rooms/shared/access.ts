// Who may do what in a room: the principal a verified session token names, the roles it
// holds, and the port through which rooms have a join's token checked (infra/auth
// implements it; rooms never see keys, Redis or the clock).
import { z } from 'zod';
import { PlayerId } from '../../events/players.ts';
import type { RateRule } from './gcra.ts';

/**
 * `player`: plays their own seats. `spectator`: may only watch. `auditor`: reads logs and
 * operations views. `admin`: operates the service (rebuilds, content); never plays as someone else.
 */
export const Role = z.enum(['player', 'spectator', 'auditor', 'admin']);
export type Role = z.infer<typeof Role>;


/** Who a verified token speaks for. What onAuth returns becomes the client's `client.auth`. */
export const Principal = z.strictObject({ playerId: PlayerId, roles: z.array(Role).min(1).max(4) });
export type Principal = z.infer<typeof Principal>;

export const accessCodes = {
  missingToken: 'auth/missing_token',
  invalidToken: 'auth/invalid_token',
  expiredToken: 'auth/expired_token',
  forbidden: 'auth/forbidden',
  rateLimited: 'rate/limited',
} as const;

/** A join or request refused for who is asking (or how often). `retryAfterMs` with `rate/limited`. */
export class AccessDenied extends Error {
  readonly code: string;
  readonly retryAfterMs: number | undefined;
  constructor(code: string, message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'AccessDenied';
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Commands per player across rooms and processes (infra/auth/commandBudget.ts). */
export type CommandBudget = {
  /** Counts what players sent (player id → commands); answers the players now over budget, with how long until they may send again (ms). */
  spend(counts: ReadonlyMap<string, number>): Promise<Map<string, number>>;
};

/** One watch connection held against its token's, address's and account's limits; release it when the watcher leaves. */
export type WatchLease = { release(): void };

/** Concurrent watch connections per watch-only token, per address and per account, shared by every process (infra/auth/watchLimits.ts). */
export type WatchLimiter = {
  /** Holds a lease for connection `id`, or throws AccessDenied `spectate/limit` naming the limit reached. */
  acquire(id: string, principal: Principal, ip: string | undefined): Promise<WatchLease>;
};

export type RoomAccess = {
  /**
   * Verifies a join's bearer token and counts the join against the player's and the
   * address's join limits. Throws AccessDenied.
   */
  admit(token: string | undefined, where: { ip: string | undefined; roomName: string }): Promise<Principal>;
  /** Commands one player may send one room; beyond it they are refused with `rate/limited`, not recorded. */
  readonly commandRate: RateRule;
  /** Frames a connection may send per second before Colyseus drops it (4002): the flood ceiling. */
  readonly maxMessagesPerSecond: number;
  /** Concurrent watch connections; without it watchers are bounded per room only. */
  readonly watch?: WatchLimiter;
  /** The player's budget over all their rooms; without it each room limits alone. */
  readonly commandBudget?: CommandBudget;
  /**
   * The joining client's address, from what the transport can vouch for (infra/server.ts);
   * default: the header the HTTP edge stamps, else the transport's own.
   */
  peerOf?: (context: { headers?: Headers; ip?: string | string[] }) => string | undefined;
};

export const hasRole = (principal: Principal, role: Role): boolean => principal.roles.includes(role);

/** May take a seat: a player (an admin's token is a player's too, but only for their own seats). */
export const maySit = (principal: Principal): boolean => hasRole(principal, 'player');

/**
 * The checks a join's options get against its principal, before anything is created:
 * nobody names another player, a watch-only token only watches, and a client that creates
 * a room plays in it (admins may open rooms for others, as spectators).
 */
export function checkJoin(
  principal: Principal,
  options: { playerId?: string | undefined; spectator?: boolean | undefined },
  seatsOfSetup: readonly string[] | undefined,
): AccessDenied | undefined {
  if (options.playerId !== undefined && options.playerId !== principal.playerId) {
    return new AccessDenied(accessCodes.forbidden, `you are signed in as ${principal.playerId}; you may act only as yourself, not as ${options.playerId}`);
  }
  if (!options.spectator && !maySit(principal)) {
    return new AccessDenied(accessCodes.forbidden, 'this token may only watch: join with { spectator: true }');
  }
  if (seatsOfSetup !== undefined && !seatsOfSetup.includes(principal.playerId) && !hasRole(principal, 'admin')) {
    return new AccessDenied(accessCodes.forbidden, `you may only create a room you play in; ${principal.playerId} is not among its participants`);
  }
  return undefined;
}
