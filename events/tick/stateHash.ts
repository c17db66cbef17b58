// The state hash a room appends every N ticks: SHA-256 over the canonical (RFC 8785)
// encoding of the rules' state, so any process folding the same stream gets the same hash.
import { canonicalJson, sha256Hex } from '../canonical.ts';

export function stateHash(state: unknown): string {
  return sha256Hex(canonicalJson(state));
}
