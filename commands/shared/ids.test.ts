// Name-based ids are stable, distinct per name, and shaped as the store requires.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameBasedUuid } from './ids.ts';

test('the same parts give the same UUID, different parts a different one', () => {
  const id = nameBasedUuid('wallet', 'wallet-p1', 'key-1');
  assert.equal(nameBasedUuid('wallet', 'wallet-p1', 'key-1'), id);
  assert.notEqual(nameBasedUuid('wallet', 'wallet-p1', 'key-2'), id);
  assert.notEqual(nameBasedUuid('wallet', 'wallet-p2', 'key-1'), id);
  // Length-prefixing keeps part boundaries apart.
  assert.notEqual(nameBasedUuid('ab', 'c'), nameBasedUuid('a', 'bc'));
});

test('ids are version 8, RFC 9562 variant, lower-case UUIDs', () => {
  const id = nameBasedUuid('x');
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
