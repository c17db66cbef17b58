import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameBasedUuid, uuidv7 } from './ids.ts';

test('event ids are distinct RFC 9562 version-7 UUIDs that sort by time', () => {
  const ids = Array.from({ length: 10_000 }, (_, i) => uuidv7(1_700_000_000_000 + Math.floor(i / 100)));
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(uuidv7(1_700_000_000_001).slice(0, 13) > uuidv7(1_700_000_000_000).slice(0, 13));
});


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

test('ids made one after another within a millisecond sort in creation order', () => {
  const ids = Array.from({ length: 1_000 }, () => uuidv7());
  assert.deepEqual([...ids].sort(), ids);
});
