// Mirroring plain rules state into @colyseus/schema collections in place, so only what
// changed goes over the wire. Kind-agnostic: any room's StateMirror may use these.

/** The part of an ArraySchema the helpers below touch. */
export type SchemaList<V> = { length: number; at(i: number): V | undefined; push(v: V): number; pop(): V | undefined };

/** Updates a schema array in place from a list, so only changed entries go over the wire. */
export function syncList<T, V>(target: SchemaList<V>, source: readonly T[], make: (item: T) => V, update: (view: V, item: T) => void): void {
  while (target.length > source.length) target.pop();
  source.forEach((item, i) => {
    const existing = target.at(i);
    if (existing === undefined) target.push(make(item));
    else update(existing, item);
  });
}

/** Replaces a list of strings when it differs (for lists that change rarely, and only as a whole). */
export function syncStrings(target: SchemaList<string>, source: readonly string[]): void {
  if (target.length === source.length && source.every((value, i) => target.at(i) === value)) return;
  while (target.length > 0) target.pop();
  for (const value of source) target.push(value);
}
