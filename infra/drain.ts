// Graceful drain of a game server on SIGTERM (a deploy, a scale-in, a node drain):
//
// 1. readiness goes down (/readyz 503), so the load balancer stops sending new players;
// 2. Colyseus' own graceful shutdown (server.gracefullyShutdown → matchMaker.gracefullyShutdown)
//    takes this process out of room placement, refuses new matchmaking here, locks every
//    room against new joins and calls each room's onBeforeShutdown, then waits for the
//    rooms to dispose;
// 3. each event-sourced room (rooms/shared/colyseusRoom.ts, RoomDrain) plays on for up to
//    `graceMs` hoping to finish; otherwise it hands over: the tick in flight lands, no
//    other starts, and the room closes without an end event. Its stream is durable and
//    still open, so another process resumes it under the same room id;
// 4. each hand-over is announced on the shared presence (Redis), and every other live game
//    process answers by resuming the open rooms no live process hosts (scaleOut.ts decides
//    which one wins a room). Without Redis there is no other process: the rooms come back
//    when the next process starts on the same store, as after a crash;
// 5. the process exits (main.ts) once every room is gone.
//
// Kubernetes: terminationGracePeriodSeconds must exceed PANTHEON_DRAIN_SECONDS plus the
// hand-over (a few seconds); k8s/base sets 120 s against a drain of 90 s.
import { LocalPresence, matchMaker } from '@colyseus/core';
import type { DrainedRoom, RoomDrain } from '../rooms/shared/colyseusRoom.ts';
import type { Logger } from './logger.ts';
import type { Readiness } from './metrics.ts';

/** The presence channel hand-overs are announced on. */
export const HANDOVER_CHANNEL = 'pantheon:rooms:handover';

export type DrainReport = { finished: number; handedOver: number; durationMs: number };

export type DrainerOptions = {
  logger: Logger;
  /** How long rooms may play on to finish (PANTHEON_DRAIN_SECONDS × 1000). */
  graceMs: number;
  /** Marked draining first thing, so /readyz answers 503. */
  readiness?: Pick<Readiness, 'markDraining'>;
  /**
   * Also look for orphaned rooms this often (a process killed mid-drain, a lost announcement,
   * a crash with no restart). Off by default: with REDIS_URL the leases (infra/failover/lease.ts)
   * notice dead processes; each pass reads the open-rooms read model and the log after it.
   */
  sweepEveryMs?: number;
};

export type Drainer = {
  /** Pass as GameServerOptions.drain. */
  readonly rooms: RoomDrain;
  /**
   * Resumes, on this process, the rooms other processes hand over while draining. Call
   * once the game server is up. A no-op without shared presence (REDIS_URL unset).
   */
  listen(game: { resumeOpenRooms(): Promise<string[]> }): Promise<void>;
  /** SIGTERM: drains the rooms and stops the server (its `stop`), then resolves. */
  drain(game: { stop(): Promise<void> }, options?: { graceMs?: number }): Promise<DrainReport>;
};

export function createDrainer(options: DrainerOptions): Drainer {
  const log = options.logger.child({ component: 'drain' });
  const drained: DrainedRoom[] = [];
  let unsubscribe: (() => void) | undefined;
  let draining: Promise<DrainReport> | undefined;

  const rooms: RoomDrain = {
    graceMs: options.graceMs,
    onDrained(room) {
      drained.push(room);
      if (room.outcome !== 'handed_over') return;
      // After the room disposed: its listing is gone, so a peer finds it hosted nowhere.
      void Promise.resolve(matchMaker.presence?.publish(HANDOVER_CHANNEL, { kind: room.kind, roomId: room.roomId, processId: matchMaker.processId }))
        .catch((error: unknown) => log.warn({ err: error, room: room.roomId }, 'could not announce the hand-over; the room comes back when a process starts'));
    },
  };

  return {
    rooms,

    async listen(game) {
      if (!matchMaker.presence || matchMaker.presence instanceof LocalPresence) return;
      // Announcements coalesce: one resume pass at a time, and one more if any came meanwhile.
      let running: Promise<void> | undefined;
      let again = false;
      const resume = (): void => {
        if (running) {
          again = true;
          return;
        }
        running = (async () => {
          do {
            again = false;
            try {
              const resumed = await game.resumeOpenRooms();
              if (resumed.length > 0) log.info({ rooms: resumed }, 'rooms taken over from a draining process');
            } catch (error) {
              log.error({ err: error }, 'taking over handed-over rooms failed; they come back when a process starts');
            }
          } while (again && !draining);
        })().finally(() => {
          running = undefined;
        });
      };
      const onMessage = (message: { processId?: string } | undefined) => {
        if (draining || message?.processId === matchMaker.processId) return;
        resume();
      };
      await matchMaker.presence.subscribe(HANDOVER_CHANNEL, onMessage);
      const sweep = options.sweepEveryMs ? setInterval(() => draining || resume(), options.sweepEveryMs) : undefined;
      sweep?.unref();
      unsubscribe = () => {
        clearInterval(sweep);
        matchMaker.presence.unsubscribe(HANDOVER_CHANNEL, onMessage);
      };
    },

    drain(game, drainOptions = {}) {
      draining ??= (async () => {
        const started = performance.now();
        rooms.graceMs = drainOptions.graceMs ?? options.graceMs;
        options.readiness?.markDraining();
        unsubscribe?.();
        log.info({ graceMs: rooms.graceMs, rooms: matchMaker.stats?.local.roomCount ?? 0, ccu: matchMaker.stats?.local.ccu ?? 0 }, 'draining');
        await game.stop();
        const report: DrainReport = {
          finished: drained.filter((room) => room.outcome === 'finished').length,
          handedOver: drained.filter((room) => room.outcome === 'handed_over').length,
          durationMs: Math.round(performance.now() - started),
        };
        log.info(report, 'drained');
        return report;
      })();
      return draining;
    },
  };
}
