// Who acts in the log, and the text players write into it. One definition each, used by
// tokens, rooms, wallets, accounts and read models alike.
import { z } from 'zod';

/** The longest player id anything accepts. */
export const PLAYER_ID_MAX = 64;

/** Player ids: canonical ids are UUIDv7; the charset keeps them safe inside stream ids (`wallet-<id>`). */
export const PlayerId = z.string().regex(new RegExp(`^[A-Za-z0-9_.:@-]{1,${PLAYER_ID_MAX}}$`), `player ids are 1-${PLAYER_ID_MAX} characters of A-Z a-z 0-9 _ . : @ -`);
export type PlayerId = z.infer<typeof PlayerId>;

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

/** No lone surrogates: the string has a UTF-8 (and a canonical JSON) encoding. */
export function isWellFormedText(text: string): boolean {
  loneSurrogates.lastIndex = 0;
  return !loneSurrogates.test(text);
}
