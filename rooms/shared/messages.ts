// The wire protocol every event-sourced room shares (see docs/protocol.md): what a
// client sends and the typed messages it gets back.
import { z } from 'zod';

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
} as const;

/**
 * Client-chosen text as the log may hold it: one line (line breaks become `; `, so a refusal
 * reads as one line in every timeline and log), at most `max` UTF-16 units, and well-formed (a
 * cut through a surrogate pair, or a lone surrogate sent on purpose, becomes U+FFFD), since the
 * log hashes canonical JSON, which has no encoding for lone surrogates.
 */
export function loggableText(text: string, max: number): string {
  return text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, '; ').slice(0, max).replace(loneSurrogates, '\uFFFD');
}

/**
 * Text a player chooses (an oracle's name, a display name): kept verbatim — quotes, SQL,
 * RTL marks, zero-width joiners, emoji — but well-formed and without control characters,
 * which the log cannot hash (lone surrogates) or read models' text columns cannot hold (NUL).
 */
export function playerText(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .refine((text) => isWellFormedText(text), 'must be well-formed Unicode (no lone surrogates)')
    .refine((text) => !/\p{Cc}/u.test(text), 'must not hold control characters');
}

// (String.prototype.isWellFormed is ES2024; the project targets ES2023.)
const loneSurrogates = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A message's type as text. Colyseus decodes it from the client's bytes as a string or a
 * number, and a malformed frame can make that anything: never trust it to stringify.
 */
export function messageTypeOf(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'bigint') return String(raw);
  return `<${raw === null ? 'null' : typeof raw}>`;
}

/** No lone surrogates: the string has a UTF-8 (and a canonical JSON) encoding. */
export function isWellFormedText(text: string): boolean {
  loneSurrogates.lastIndex = 0;
  return !loneSurrogates.test(text);
}
