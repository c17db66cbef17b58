// Integer arithmetic for outcomes. Every operand is a safe integer and every result is
// one too, so the same inputs give the same outputs on any engine.

/**
 * Integer division truncating toward zero. `a % b` is exact for safe integers and
 * `a - a % b` is an exact multiple of b, so the final division is exact: no reliance on
 * how a floating-point quotient happens to round near an integer.
 */
export function idiv(a: number, b: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b === 0) {
    throw new RangeError(`idiv needs safe integers and a non-zero divisor, got ${a} / ${b}`);
  }
  return (a - (a % b)) / b;
}

/** `percent` % of `value`, truncated: percentOf(57, 125) = 71. */
export function percentOf(value: number, percent: number): number {
  return idiv(value * percent, 100);
}
