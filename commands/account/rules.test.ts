// Specs for the account rules: registration, links, unlinks, claims, and which half-done
// change a pair of streams shows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAgainst } from '../../events/testing/ruleTesting.ts';
import { specFor } from '../../events/testing/specs.ts';
import { accountEventDefinitions, type AccountEvent, type ClaimEvent } from './events.ts';
import { DisplayName, Identity, identityStreamId, MAX_IDENTITIES } from './model.ts';
import { accountDecider, claimDecider, pendingRepair } from './rules.ts';
import { fold } from '../../events/decider.ts';

const account = specFor(accountDecider, { checkEvent: checkAgainst([...accountEventDefinitions]) });
const claims = specFor(claimDecider, { checkEvent: checkAgainst([...accountEventDefinitions]) });
const device = { provider: 'guest', subject: 'device-0123456789abcdef' } as const;
const steam = { provider: 'steam', subject: '76561197960287930' } as const;
const discord = { provider: 'discord', subject: '80351110224678912' } as const;
const registered: AccountEvent = { type: 'PlayerRegistered', data: { playerId: 'p1', identity: device, displayName: 'Ann', claimVersion: 0 } };
const steamLinked: AccountEvent = { type: 'IdentityLinked', data: { playerId: 'p1', identity: steam, displayName: null, claimVersion: 0 } };

test('a player registers once, with the identity they signed in with', () => {
  account([]).when({ type: 'Register', playerId: 'p1', identity: device, displayName: 'Ann', claimVersion: 0 }).then([registered]);
  account([registered]).when({ type: 'Register', playerId: 'p1', identity: steam, displayName: null, claimVersion: 0 }).thenRefused('account/already_registered');
});

test('links: recorded once per claim, refused before registration and beyond the cap', () => {
  account([registered]).when({ type: 'Link', playerId: 'p1', identity: steam, displayName: null, claimVersion: 0 }).then([steamLinked]);
  account([registered, steamLinked]).when({ type: 'Link', playerId: 'p1', identity: steam, displayName: null, claimVersion: 0 }).then([]);
  account([]).when({ type: 'Link', playerId: 'p1', identity: steam, displayName: null, claimVersion: 0 }).thenRefused('account/not_found');
  const many: AccountEvent[] = [registered];
  for (let i = 1; i < MAX_IDENTITIES; i++) {
    many.push({ type: 'IdentityLinked', data: { playerId: 'p1', identity: { provider: 'guest', subject: `device-${String(i).padStart(16, '0')}` }, displayName: null, claimVersion: 0 } });
  }
  account(many).when({ type: 'Link', playerId: 'p1', identity: steam, displayName: null, claimVersion: 0 }).thenRefused('account/too_many_identities');
});

test('unlinks: never the last identity, never one not linked', () => {
  account([registered, steamLinked]).when({ type: 'Unlink', playerId: 'p1', identity: steam })
    .then([{ type: 'IdentityUnlinked', data: { playerId: 'p1', identity: steam, claimVersion: 0 } }]);
  account([registered]).when({ type: 'Unlink', playerId: 'p1', identity: device }).thenRefused('account/last_identity');
  account([registered]).when({ type: 'Unlink', playerId: 'p1', identity: discord }).thenRefused('account/not_linked');
  account([]).when({ type: 'Unlink', playerId: 'p1', identity: device }).thenRefused('account/not_found');
});

test('a claim is held by one player until that player releases it', () => {
  const claimed: ClaimEvent = { type: 'IdentityClaimed', data: { identity: steam, playerId: 'p1', displayName: null } };
  claims([]).when({ type: 'Claim', identity: steam, playerId: 'p1', displayName: null }).then([claimed]);
  claims([claimed]).when({ type: 'Claim', identity: steam, playerId: 'p2', displayName: null }).thenRefused('account/identity_taken');
  claims([claimed]).when({ type: 'Claim', identity: steam, playerId: 'p1', displayName: null }).then([]);
  claims([claimed]).when({ type: 'Release', identity: steam, playerId: 'p2' }).thenRefused('account/not_holder');
  const released: ClaimEvent = { type: 'IdentityReleased', data: { identity: steam, playerId: 'p1' } };
  claims([claimed]).when({ type: 'Release', identity: steam, playerId: 'p1' }).then([released]);
  claims([claimed, released]).when({ type: 'Claim', identity: steam, playerId: 'p2', displayName: null })
    .then([{ type: 'IdentityClaimed', data: { identity: steam, playerId: 'p2', displayName: null } }]);
});

test('pendingRepair names the half of a change a crash left undone', () => {
  const held = (version: number) => ({ state: { holder: 'p1', displayName: null }, version });
  const folded = (...events: AccountEvent[]) => fold(accountDecider, accountDecider.initialState(), events);
  assert.equal(pendingRepair(steam, { state: { holder: null, displayName: null }, version: 1 }, folded(registered)), 'none');
  assert.equal(pendingRepair(device, held(0), folded()), 'register');
  assert.equal(pendingRepair(steam, held(0), folded(registered)), 'link');
  assert.equal(pendingRepair(steam, held(0), folded(registered, steamLinked)), 'none');
  const unlinked: AccountEvent = { type: 'IdentityUnlinked', data: { playerId: 'p1', identity: steam, claimVersion: 0 } };
  assert.equal(pendingRepair(steam, held(0), folded(registered, steamLinked, unlinked)), 'release');
  // Linked again later (claim version 2): an older unlink does not count.
  assert.equal(pendingRepair(steam, held(2), folded(registered, steamLinked, unlinked)), 'link');
});

test('identities, names and stream ids are validated before anything is stored', () => {
  assert.equal(Identity.safeParse({ provider: 'steam', subject: '7656' }).success, false);
  assert.equal(Identity.safeParse({ provider: 'guest', subject: "x'; DROP TABLE commits; --" }).success, false);
  assert.equal(Identity.safeParse({ provider: 'apple', subject: '000000' }).success, false);
  assert.equal(identityStreamId(steam), 'identity-steam.76561197960287930');
  for (const ok of ["Robert'); DROP TABLE players;--", '\u202Egnp.exe', '👩‍👩‍👧‍👦', 'e\u0301', '\u200D']) assert.equal(DisplayName.safeParse(ok).success, true, ok);
  for (const bad of ['', 'nul\u0000', 'bell\u0007', 'lone \uD800', 'x'.repeat(65)]) assert.equal(DisplayName.safeParse(bad).success, false, JSON.stringify(bad));
});
