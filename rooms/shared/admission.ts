// Who a match room lets in, and on what terms (docs/protocol.md, "Admission"): a seated
// player always gets their seat, one live connection each; watchers have an allowance of
// their own beside the players and never take a player's place; a connection that broke
// the protocol leaves no seat held behind it.
import type { Client } from '@colyseus/core';

export const admissionCodes = {
  /** A watcher asked a match room whose watcher allowance is taken: its places are the players'. */
  seatReserved: 'room/seat_reserved',
  /** The connection was closed because the same player joined again from another one. */
  replaced: 'room/replaced',
  /** Too many watch connections for this token, address or account (infra/auth/watchLimits.ts). */
  watchLimit: 'spectate/limit',
} as const;

/** Watchers a match room admits beside its players; more watch through `spectator` rooms. */
export const SPECTATORS_PER_ROOM = 16;

/** Close code of a connection a newer one of the same player replaced (no seat is held for it). */
export const CLOSE_REPLACED = 4005;

/**
 * The mark the transport (infra/transport.ts) puts on a raw socket that broke the protocol
 * (an oversize frame, invalid UTF-8, a bad opcode): the reason, e.g. `WS_ERR_UNSUPPORTED_MESSAGE_LENGTH`.
 * A registered symbol, so the room reads it without importing the transport.
 */
export const PROTOCOL_ABUSE = Symbol.for('pantheon.protocolAbuse');

/** Why the client's socket was closed for breaking the protocol, if it was. */
export function closedForAbuse(client: Client): string | undefined {
  const socket = (client as { ref?: object }).ref as Record<symbol, unknown> | undefined;
  const mark = socket?.[PROTOCOL_ABUSE];
  return typeof mark === 'string' ? mark : undefined;
}
