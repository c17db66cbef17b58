// Session tokens: what verifies, and what each kind of bad token is refused as.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import { AccessDenied } from '../../rooms/shared/access.ts';
import { AccessTokens, rolesOf } from './tokens.ts';

const secret = randomBytes(32);
let clock = Date.parse('2026-11-01T12:00:00Z');
const tokens = new AccessTokens({ secret, now: () => clock });

async function refusal(token: string | undefined): Promise<string> {
  try {
    await tokens.verify(token);
  } catch (error) {
    assert.ok(error instanceof AccessDenied);
    return error.code;
  }
  assert.fail('the token was accepted');
}

const signed = (claims: Record<string, unknown>, header: { alg: string; typ?: string } = { alg: 'HS256', typ: 'at+jwt' }, key: Uint8Array = secret) =>
  new SignJWT(claims).setProtectedHeader(header).setIssuedAt(Math.floor(clock / 1000)).setExpirationTime(Math.floor(clock / 1000) + 60).sign(key);

test('a token names its player and roles, for 15 minutes', async () => {
  const { token, expiresIn } = await tokens.issue({ playerId: '0190f2c4-7c1e-7a51-9a3b-2f1d5e6c7b80', roles: ['player', 'admin'] });
  assert.equal(expiresIn, 900);
  assert.deepEqual(await tokens.verify(token), { playerId: '0190f2c4-7c1e-7a51-9a3b-2f1d5e6c7b80', roles: ['player', 'admin'] });
  clock += 899_000;
  assert.equal((await tokens.verify(token)).playerId, '0190f2c4-7c1e-7a51-9a3b-2f1d5e6c7b80');
  clock += 2_000;
  assert.equal(await refusal(token), 'auth/expired_token');
});

test('missing, foreign, forged and malformed tokens are refused', async () => {
  const base = { sub: 'ana', roles: ['player'], iss: 'pantheon', aud: 'pantheon' };
  assert.equal(await refusal(undefined), 'auth/missing_token');
  assert.equal(await refusal(''), 'auth/missing_token');
  assert.equal(await refusal('x'.repeat(5000)), 'auth/invalid_token');
  assert.equal(await refusal('a.b.c'), 'auth/invalid_token');
  assert.equal(await refusal(await signed(base, undefined, randomBytes(32))), 'auth/invalid_token');
  assert.equal(await refusal(await signed(base, { alg: 'HS512', typ: 'at+jwt' })), 'auth/invalid_token');
  assert.equal(await refusal(await signed(base, { alg: 'HS256', typ: 'JWT' })), 'auth/invalid_token');
  assert.equal(await refusal(await signed({ ...base, aud: 'someone-else' })), 'auth/invalid_token');
  assert.equal(await refusal(await signed({ ...base, iss: 'evil' })), 'auth/invalid_token');
  assert.equal(await refusal(await signed({ ...base, roles: ['god'] })), 'auth/invalid_token');
  assert.equal(await refusal(await signed({ ...base, sub: "ana' OR '1'='1" })), 'auth/invalid_token');
  assert.equal(await refusal(await signed({ roles: ['player'], iss: 'pantheon', aud: 'pantheon' })), 'auth/invalid_token');
  const payload = Buffer.from(JSON.stringify({ ...base, exp: Math.floor(clock / 1000) + 60, iat: Math.floor(clock / 1000) })).toString('base64url');
  assert.equal(await refusal(`${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${payload}.`), 'auth/invalid_token');
});

test('roles come from the operator’s lists', () => {
  const grants = { admins: new Set(['root']), auditors: new Set(['root', 'eve']) };
  assert.deepEqual(rolesOf('ana', grants), ['player']);
  assert.deepEqual(rolesOf('eve', grants), ['player', 'auditor']);
  assert.deepEqual(rolesOf('root', grants), ['player', 'auditor', 'admin']);
});
