// Seeded pseudo-random generator for rules (sfc32). Its whole state is four uint32s
// that live in the game state, so folding a stream gives back the same generator.
// Pure: every draw returns the value and the next state; nothing is mutated.

export type PrngState = readonly [number, number, number, number];

/** Derives a generator state from a seed string (cyrb128 mixing, then 12 warm-up draws). */
export function seedPrng(seed: string): PrngState {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  let state: PrngState = [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
  for (let i = 0; i < 12; i++) state = nextUint32(state)[1];
  return state;
}

export function nextUint32(state: PrngState): [number, PrngState] {
  let [a, b, c, d] = state;
  const t = (((a + b) | 0) + d) | 0;
  d = (d + 1) | 0;
  a = b ^ (b >>> 9);
  b = (c + (c << 3)) | 0;
  c = (c << 21) | (c >>> 11);
  c = (c + t) | 0;
  return [t >>> 0, [a >>> 0, b >>> 0, c >>> 0, d >>> 0]];
}

/** Uniform integer in [0, maxExclusive), without modulo bias. maxExclusive must be 1..2^32. */
export function nextInt(state: PrngState, maxExclusive: number): [number, PrngState] {
  if (!Number.isInteger(maxExclusive) || maxExclusive < 1 || maxExclusive > 0x1_0000_0000) {
    throw new RangeError(`nextInt bound must be an integer in 1..2^32, got ${maxExclusive}`);
  }
  const limit = 0x1_0000_0000 - (0x1_0000_0000 % maxExclusive);
  let current = state;
  for (;;) {
    const [value, next] = nextUint32(current);
    current = next;
    if (value < limit) return [value % maxExclusive, current];
  }
}

/** True with probability numerator / denominator (integers). */
export function chance(state: PrngState, numerator: number, denominator: number): [boolean, PrngState] {
  const [roll, next] = nextInt(state, denominator);
  return [roll < numerator, next];
}
