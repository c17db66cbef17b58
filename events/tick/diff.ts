// A readable difference between what a stream recorded and what the rules produce at the
// point where they part ways: one line per differing field, e.g.
// `data.amount: recorded 9999, re-simulated 120`.

export type EventShape = { type: string; data: unknown } | null;

const MAX_LINES = 20;

/** `source` names where `recorded` comes from: the log (`recorded`) or a client's claim (`claimed`). */
export function describeDifference(recorded: EventShape, resimulated: EventShape, source: 'recorded' | 'claimed' = 'recorded'): string[] {
  const holder = source === 'recorded' ? 'the log has' : 'the claim has';
  if (recorded === null && resimulated === null) return [];
  if (recorded === null) return [`${holder} nothing here; the rules produce ${resimulated!.type} ${short(resimulated!.data)}`];
  if (resimulated === null) return [`${holder} ${recorded.type} ${short(recorded.data)}; the rules produce nothing here`];
  if (recorded.type !== resimulated.type) {
    return [`type: ${source} ${recorded.type} ${short(recorded.data)}, re-simulated ${resimulated.type} ${short(resimulated.data)}`];
  }
  const lines: string[] = [];
  walk('data', recorded.data, resimulated.data, lines, source);
  if (lines.length > MAX_LINES) return [...lines.slice(0, MAX_LINES), `… and ${lines.length - MAX_LINES} more`];
  return lines;
}

function walk(path: string, recorded: unknown, resimulated: unknown, out: string[], source: string): void {
  if (isRecord(recorded) && isRecord(resimulated)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(resimulated)])].sort();
    for (const key of keys) walk(`${path}.${key}`, recorded[key], resimulated[key], out, source);
    return;
  }
  if (Array.isArray(recorded) && Array.isArray(resimulated)) {
    const length = Math.max(recorded.length, resimulated.length);
    for (let i = 0; i < length; i++) walk(`${path}[${i}]`, recorded[i], resimulated[i], out, source);
    return;
  }
  if (JSON.stringify(recorded) !== JSON.stringify(resimulated)) {
    out.push(`${path}: ${source} ${short(recorded)}, re-simulated ${short(resimulated)}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function short(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
