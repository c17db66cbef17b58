// A point in the log as a person names it: a global position (`48213`), a time
// (`2026-11-20T18:00:00Z`, `2026-11-20`) or a time ago (`90m`, `36h`, `7d`), and how it maps
// to a global position.
import { z } from 'zod';
import type { EventStore } from '../../events/store.ts';

export type LogPoint = { position: number } | { time: Date };

const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a point; `now` is a port so the relative forms are testable. */
export function logPoint(now: () => number = Date.now) {
  return z.string().trim().transform((text, ctx): LogPoint => {
    if (/^\d+$/.test(text)) {
      const position = Number(text);
      if (Number.isSafeInteger(position)) return { position };
    }
    const ago = /^(\d+)([smhd])$/.exec(text);
    if (ago) return { time: new Date(now() - Number(ago[1]) * units[ago[2]!]!) };
    if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
      const time = Date.parse(text);
      if (!Number.isNaN(time)) return { time: new Date(time) };
    }
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(text)} is neither a position (48213), a time (2026-11-20T18:00:00Z) nor a time ago (90m, 36h, 7d)` });
    return z.NEVER;
  });
}

export const describePoint = (point: LogPoint) => ('position' in point ? `position ${point.position}` : point.time.toISOString());

/**
 * The first global position recorded at or after `time` (head + 1 when none is). Binary
 * search over `recordedAt`, which rises with position up to the few milliseconds appends
 * wait in a group commit; callers filter by time as well where that matters.
 */
export async function positionAt(store: Pick<EventStore, 'readAll' | 'headPosition'>, time: Date): Promise<number> {
  const target = time.getTime();
  let low = 1;
  let high = (await store.headPosition()) + 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const [event] = await store.readAll({ fromPosition: middle, limit: 1, raw: true });
    if (!event) {
      high = middle;
      continue;
    }
    if (Date.parse(event.metadata.recordedAt) < target) low = event.position + 1;
    else high = middle;
  }
  return low;
}

/** The position range [from, to] two points cover; `to` defaults to the head. */
export async function positionRange(
  store: Pick<EventStore, 'readAll' | 'headPosition'>,
  from: LogPoint | undefined,
  to: LogPoint | undefined,
): Promise<{ from: number; to: number }> {
  const head = await store.headPosition();
  const start = from === undefined ? 1 : 'position' in from ? Math.max(1, from.position) : await positionAt(store, from.time);
  // A time as the end includes everything recorded at that instant.
  const end = to === undefined ? head : 'position' in to ? to.position : (await positionAt(store, new Date(to.time.getTime() + 1))) - 1;
  return { from: start, to: end };
}
