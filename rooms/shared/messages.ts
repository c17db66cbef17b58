// The wire protocol every event-sourced room shares (see docs/protocol.md): what a
// client sends and the typed messages it gets back.
import { z } from 'zod';
import { isWellFormedText } from '../../events/players.ts';

/**
 * Join options. Who the client is comes from its session token (`client.auth.token`), never
 * from here: `playerId`, if given, must be the token's own player. `spectator: true` watches.
 * (The creator's options also carry the setup.)
 */
export const JoinOptions = z.object({
  playerId: z.string().min(1).max(64).optional(),
  spectator: z.boolean().optional(),
});

/**
 * Create options: a new room from a setup, or (server-side only, proven by the process's
 * resume key) the resume of an existing stream. The creator's join options ride along.
 */
export const CreateOptions = z.union([
  z.object({ resume: z.strictObject({ roomId: z.string().min(1).max(100), key: z.string().min(16) }) }),
  z.object({ setup: z.unknown() }),
]);

/** Largest command payload a room accepts, as JSON, in bytes; larger ones are refused with a code. */
export const MAX_COMMAND_BYTES = 4096;

/**
 * A client may tag a command with its own reference, echoed in `refused` and in its seat's `lastRef`.
 * Well-formed Unicode only: a lone surrogate has no canonical JSON, so the log could not hash it.
 */
export const CommandRef = z.string().min(1).max(64).refine((ref) => isWellFormedText(ref), 'must be well-formed Unicode');

/** Server -> client: one of this client's inputs was refused. `retryAfterMs` comes with `rate/limited`. */
export type Refused = { code: string; message: string; commandType: string; ref?: string; retryAfterMs?: number };
/** Server -> client: the room stopped or resumed taking commands. */
export type RoomStatusMessage = { status: 'running' | 'store_unavailable' | 'over'; code?: string; message?: string };

export const refusalCodes = {
  invalid: 'command/invalid',
  unknown: 'command/unknown',
  tooLarge: 'command/too_large',
  spectator: 'room/spectator_read_only',
  unavailable: 'room/store_unavailable',
  over: 'room/over',
  notParticipant: 'room/not_participant',
  badJoin: 'room/invalid_join',
  rateLimited: 'rate/limited',
  createFailed: 'room/create_failed',
  /** The room's process lost its lease: another process hosts the room now (rejoin by room id). */
  moved: 'room/moved',
} as const;

/**
 * A message's type as text. Colyseus decodes it from the client's bytes as a string or a
 * number, and a malformed frame can make that anything: never trust it to stringify.
 */
export function messageTypeOf(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'bigint') return String(raw);
  return `<${raw === null ? 'null' : typeof raw}>`;
}

