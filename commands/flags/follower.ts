// Keeps a process's LiveOpsRegistry in step with `liveops-flags`. A change made anywhere is
// announced on a notifier (Redis pub/sub between processes, infra/flags/notifier.ts): every
// process then reads the stream from the version it holds, so a change reaches every game
// server as soon as the message does. A slow poll backs it up (a lost message, a change the
// CLI made without Redis), and reads are one at a time, so they never overlap.
import type { Logger } from 'pino';
import type { EventStore } from '../../events/store.ts';
import { LIVEOPS_STREAM } from './events.ts';
import type { LiveOpsRegistry, RecordedLiveOpsEvent } from './registry.ts';

/** Tells other processes that the configuration moved, and hears when they say so. */
export type ChangeNotifier = {
  publish(revision: number): Promise<void>;
  subscribe(listener: (revision: number) => void): () => void;
  close(): Promise<void>;
};

export type LiveOpsFollower = {
  /** Reads whatever the stream holds beyond this registry; resolves with the registry's version. */
  refresh(via?: string): Promise<number>;
  stop(): Promise<void>;
};

export type FollowerOptions = {
  notifier?: ChangeNotifier;
  /** Default 5 s. */
  pollMs?: number;
  logger?: Logger;
};

export async function followLiveOps(store: Pick<EventStore, 'readStream'>, registry: LiveOpsRegistry, options: FollowerOptions = {}): Promise<LiveOpsFollower> {
  const log = options.logger?.child({ component: 'flags-follower' });
  let reading: Promise<number> | undefined;
  let again = false;
  let stopped = false;

  const readOnce = async (via: string): Promise<number> => {
    const events = (await store.readStream(LIVEOPS_STREAM, { fromVersion: registry.version + 1 })) as unknown as RecordedLiveOpsEvent[];
    if (registry.apply(events)) log?.info({ revision: registry.state.revision, version: registry.version, via }, 'flags updated');
    return registry.version;
  };
  const refresh = (via = 'read'): Promise<number> => {
    if (reading) {
      again = true;
      return reading;
    }
    reading = (async () => {
      try {
        let version = await readOnce(via);
        while (again && !stopped) {
          again = false;
          version = await readOnce(via);
        }
        return version;
      } finally {
        reading = undefined;
      }
    })();
    return reading;
  };
  const quietly = (via: string) => {
    refresh(via).catch((error: unknown) => log?.warn({ err: error, via }, 'flags not refreshed; the store is unavailable, retrying at the next poll'));
  };

  await refresh('start');
  log?.info({ revision: registry.state.revision, flags: Object.keys(registry.state.flags).length }, 'flags loaded from the log');
  const unsubscribe = options.notifier?.subscribe((revision) => {
    if (revision > registry.state.revision) quietly('notification');
  });
  const timer = setInterval(() => quietly('poll'), options.pollMs ?? 5000);
  timer.unref();
  return {
    refresh,
    async stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe?.();
      await reading?.catch(() => undefined);
    },
  };
}
