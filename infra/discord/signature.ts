// Discord signs every interaction it sends: Ed25519 over `timestamp + raw body`, with the
// signature (hex) in X-Signature-Ed25519 and the timestamp (unix seconds) in
// X-Signature-Timestamp. Anything that does not verify is refused before it is parsed.
// node:crypto verifies Ed25519 once the raw 32-byte key is wrapped as an SPKI DER key.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/** DER SPKI header of an Ed25519 public key (RFC 8410); the 32 raw key bytes follow. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** How far a signed timestamp may be from our clock: older requests are replays. */
export const MAX_SIGNATURE_AGE_SECONDS = 300;

export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('an Ed25519 public key is 64 hex characters');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

export const SignatureHeaders = z.object({
  signature: z.string().regex(/^[0-9a-fA-F]{128}$/),
  timestamp: z.string().regex(/^\d{1,12}$/),
});

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'invalid' };

export function verifyInteraction(input: {
  publicKey: KeyObject;
  signature: string | null;
  timestamp: string | null;
  body: Buffer;
  nowMs: number;
  maxAgeSeconds?: number;
}): SignatureCheck {
  if (input.signature === null || input.timestamp === null) return { ok: false, reason: 'missing' };
  const headers = SignatureHeaders.safeParse({ signature: input.signature, timestamp: input.timestamp });
  if (!headers.success) return { ok: false, reason: 'malformed' };
  const age = Math.abs(input.nowMs / 1000 - Number(headers.data.timestamp));
  if (age > (input.maxAgeSeconds ?? MAX_SIGNATURE_AGE_SECONDS)) return { ok: false, reason: 'stale' };
  const message = Buffer.concat([Buffer.from(headers.data.timestamp, 'utf8'), input.body]);
  const valid = verify(null, message, input.publicKey, Buffer.from(headers.data.signature, 'hex'));
  return valid ? { ok: true } : { ok: false, reason: 'invalid' };
}
