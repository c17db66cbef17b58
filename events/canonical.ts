// Canonical encoding (RFC 8785, JSON Canonicalization Scheme) and SHA-256 hashing.
// Hashes in the log and state hashes are computed over this encoding, so the same
// value always hashes the same, whatever the key order it was built with.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export function canonicalJson(value: unknown): string {
  const encoded = canonicalize(value);
  if (encoded === undefined) throw new TypeError('value has no canonical JSON encoding');
  return encoded;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
