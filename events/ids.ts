// Event ids: UUIDv7 (time-ordered, so the id index grows at its right edge), drawn
// from a pooled buffer of secure random bytes because appends make them by the thousand.
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(16 * 256);
let offset = pool.length;
const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function uuidv7(now: number = Date.now()): string {
  if (offset + 10 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const r = pool.subarray(offset, offset + 10);
  offset += 10;
  const ms = now.toString(16).padStart(12, '0').slice(-12);
  const b = (i: number) => hex[r[i]!]!;
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${b(0).slice(1)}${b(1)}-${hex[(r[2]! & 0x3f) | 0x80]}${b(3)}-${b(4)}${b(5)}${b(6)}${b(7)}${b(8)}${b(9)}`;
}
