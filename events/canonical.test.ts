import assert from 'node:assert/strict';
import { test } from 'node:test';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson } from './canonical.ts';
import { encodeContent } from './hashChain.ts';

test('encodes exactly as the reference RFC 8785 implementation', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      assert.equal(canonicalJson(value), canonicalize(value));
    }),
    { numRuns: 2000 },
  );
});

test('sorts keys by UTF-16 code units and drops undefined members', () => {
  assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'], é: 2, Z: undefined, '\u{1F600}': 3, '\uFB33': 4 }), canonicalize({ b: 1, a: [true, null, 'x'], é: 2, '\u{1F600}': 3, '\uFB33': 4 }));
  assert.equal(canonicalJson({ z: 1, a: { y: 2, b: 3 } }), '{"a":{"b":3,"y":2},"z":1}');
});

test('refuses values with no canonical encoding', () => {
  assert.throws(() => canonicalJson(Number.NaN));
  assert.throws(() => canonicalJson('\uD800'));
  assert.throws(() => canonicalJson({ big: 1n }));
});

test("the append path's assembled encoding equals the canonical encoding of the whole event", () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.dictionary(fc.constantFrom('actor', 'correlationId'), fc.string()), fc.nat(), (data, meta, version) => {
      const metadata = { ...meta, recordedAt: '2026-11-22T03:00:00.000Z' };
      const content = { id: '0190a8f0-0000-7000-8000-000000000001', streamId: 'battle-1', version, type: 'Ev"ent', schemaVersion: 2, data, metadata };
      assert.equal(encodeContent({ ...content, dataJson: canonicalJson(data), metadataJson: canonicalJson(metadata) }), canonicalJson(content));
    }),
    { numRuns: 500 },
  );
});
