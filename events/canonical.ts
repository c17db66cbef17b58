// Canonical encoding (RFC 8785, JSON Canonicalization Scheme) and SHA-256 hashing.
// Hashes in the log and state hashes are computed over this encoding, so the same
// value always hashes the same, whatever the key order it was built with.
//
// Written out here rather than taken from the `canonicalize` package because it runs
// once per appended event; canonical.test.ts holds it to that package's output.
import { hash } from 'node:crypto';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      if (loneSurrogate.test(value)) throw new TypeError('a string with a lone surrogate has no canonical JSON encoding');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} has no canonical JSON encoding`);
      // ECMAScript's number serialization is the one RFC 8785 prescribes.
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return encodeArray(value);
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return canonicalJson((value as { toJSON: () => unknown }).toJSON());
      }
      return encodeObject(value as Record<string, unknown>);
    default:
      throw new TypeError(`a ${typeof value} has no canonical JSON encoding`);
  }
}

function encodeArray(items: unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    out += (i === 0 ? '' : ',') + (item === undefined || typeof item === 'function' || typeof item === 'symbol' ? 'null' : canonicalJson(item));
  }
  return `${out}]`;
}

function encodeObject(object: Record<string, unknown>): string {
  // Default sort compares UTF-16 code units, as RFC 8785 requires.
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = object[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    out += `${first ? '' : ','}${canonicalJson(key)}:${canonicalJson(item)}`;
    first = false;
  }
  return `${out}}`;
}

export function sha256Hex(text: string): string {
  // One-shot hashing: no Hash object per call on the append path.
  return hash('sha256', text, 'hex');
}
