// Ids for events and the things they name. Two kinds:
//   - uuidv7: a fresh id, time-ordered (the id index grows at its right edge) and monotonic
//     within a millisecond, so ids made one after another sort in creation order;
//   - nameBasedUuid: an id derived from what identifies a fact (a command's stream and
//     idempotency key, an audited stream and version), so recording the same fact again,
//     from any process, appends the same id and the store's idempotent append catches it.
import { createHash } from 'node:crypto';
import { v7 } from 'uuid';

/** A fresh RFC 9562 version-7 UUID; `now` (ms since the epoch) only for tests. */
export function uuidv7(now?: number): string {
  return now === undefined ? v7() : v7({ msecs: now });
}

/**
 * A name-based UUID: SHA-256 over the parts, formatted as an RFC 9562 version 8 UUID (the
 * version RFC 9562 gives to hash-based ids with a hash other than MD5 or SHA-1). The parts
 * are length-prefixed, so ('ab', 'c') and ('a', 'bc') never collide.
 */
export function nameBasedUuid(...parts: readonly string[]): string {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(`${Buffer.byteLength(part)}:${part};`);
  const b = digest.digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
