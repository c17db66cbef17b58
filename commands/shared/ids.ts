// Deterministic event ids. A command's events get ids derived from what identifies the
// command (its stream and idempotency key), so a retry from any process appends the same
// ids and the store's idempotent append (unique first event id) catches it.
import { createHash } from 'node:crypto';

const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A name-based UUID: SHA-256 over the parts, formatted as an RFC 9562 version 8 UUID (the
 * version RFC 9562 gives to hash-based ids with a hash other than MD5 or SHA-1). The parts
 * are length-prefixed, so ('ab', 'c') and ('a', 'bc') never collide.
 */
export function nameBasedUuid(...parts: readonly string[]): string {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(`${Buffer.byteLength(part)}:${part};`);
  const b = digest.digest();
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = (i: number) => hex[b[i]!]!;
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}
