// Interaction signatures with real Ed25519 keys: what Discord signed verifies; a tampered
// body, another application's key, a stale timestamp or a missing header does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { publicKeyFromHex, verifyInteraction } from './signature.ts';
import { discordKeys, signatureHeaders } from './testing/sign.ts';

const ours = discordKeys();
const theirs = discordKeys();
const publicKey = publicKeyFromHex(ours.publicKeyHex);
const nowMs = 1_750_000_000_000;
const body = JSON.stringify({ type: 1, id: '1310000000000000001', application_id: '1310000000000000002', token: 'tok', version: 1 });

function check(signedBody: string, sentBody: string, signer = ours, at = nowMs / 1000) {
  const headers = signatureHeaders(signer.privateKey, signedBody, at);
  return verifyInteraction({ publicKey, signature: headers['x-signature-ed25519']!, timestamp: headers['x-signature-timestamp']!, body: Buffer.from(sentBody), nowMs });
}

test('a body Discord signed with the application key verifies', () => {
  assert.deepEqual(check(body, body), { ok: true });
});

test('a body changed after signing does not', () => {
  assert.deepEqual(check(body, body.replace('"type":1', '"type":2')), { ok: false, reason: 'invalid' });
});

test('a signature made with another key does not', () => {
  assert.deepEqual(check(body, body, theirs), { ok: false, reason: 'invalid' });
});

test('a stale timestamp is refused even with a good signature', () => {
  assert.deepEqual(check(body, body, ours, nowMs / 1000 - 3600), { ok: false, reason: 'stale' });
});

test('a missing or malformed header is refused', () => {
  assert.deepEqual(verifyInteraction({ publicKey, signature: null, timestamp: '1', body: Buffer.from(body), nowMs }), { ok: false, reason: 'missing' });
  assert.deepEqual(verifyInteraction({ publicKey, signature: 'zz', timestamp: String(nowMs / 1000), body: Buffer.from(body), nowMs }), { ok: false, reason: 'malformed' });
});

test('the public key must be 32 bytes of hex', () => {
  assert.throws(() => publicKeyFromHex('abcd'), /64 hex characters/);
});
