// Test support: a virtual clock for the REST client and the stand-in. Sleeping moves time
// forward at once, so rate-limit waits are checked by what the clock says, not by waiting.
import type { Clock } from '../rest.ts';

export function virtualClock(start = 1_700_000_000_000): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    async sleep(ms) {
      slept.push(ms);
      now = Math.max(now, now + ms);
      await Promise.resolve();
    },
  };
}
