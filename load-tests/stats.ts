// Small helpers shared by the benchmarks: percentiles and the closing JSON line.

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** A benchmark's last line: one JSON object of figures. */
export function report(figures: Record<string, unknown>): void {
  console.log(JSON.stringify(figures));
}
