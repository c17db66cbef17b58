// Test support: Discord's side of interaction signing. A real Ed25519 key pair (node:crypto),
// the public key as the hex Discord shows in the Developer Portal, and the headers Discord
// sends with a body it signed.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export type DiscordKeys = { publicKeyHex: string; privateKey: KeyObject };

export function discordKeys(): DiscordKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // The SPKI DER is a 12-byte header and the 32 raw key bytes.
  const publicKeyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
  return { publicKeyHex, privateKey };
}

export function signatureHeaders(privateKey: KeyObject, body: string, timestampSeconds: number): Record<string, string> {
  const timestamp = String(timestampSeconds);
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
  return { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp };
}
