// The wire protocol every event-sourced room shares (see docs/protocol.md): what a
// client sends and the typed messages it gets back.
import { z } from 'zod';

/** Join options: who the client is, and whether they only watch. (The creator's also carry the setup.) */
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

/** A client may tag a command with its own reference, echoed in `refused` and in its seat's `lastRef`. */
export const CommandRef = z.string().min(1).max(64);

/** Server -> client: one of this client's inputs was refused. */
export type Refused = { code: string; message: string; commandType: string; ref?: string };
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
} as const;
