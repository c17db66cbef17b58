// Event ids derived from a name, so that recording the same fact twice (an audit of the
// same stream at the same version, a ghost submitted again) appends the same ids and the
// store's idempotency turns the second append into a no-op.
import { createHash } from 'node:crypto';

/** A UUID (version 8, RFC 9562 "custom") from the SHA-256 of `name`. */
export function nameBasedUuid(name: string): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
