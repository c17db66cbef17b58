// Waiting, the one way every part of the server waits: how long before trying a lost
// connection again (doubling, capped), and a pause that an abort ends early. Commands that
// race other writers retry under cockatiel's policy instead (commandHandler.ts).
import { setTimeout as wait } from 'node:timers/promises';

/** Delay before the attempt after `attempt` failures: 100 ms doubling to at most `maxMs`. */
export function reconnectDelay(attempt: number, maxMs = 5000): number {
  return Math.min(maxMs, 100 * 2 ** Math.min(attempt, 16));
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  await wait(ms, undefined, signal ? { signal } : {}).catch((error: unknown) => {
    if (!(error instanceof Error && error.name === 'AbortError')) throw error;
  });
}
