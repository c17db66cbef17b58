// Several game-server processes as one: with REDIS_URL, Colyseus keeps its presence
// (pub/sub between processes, process stats) and its driver (the room listing) in
// Redis, so any process can match a player into a room that another one hosts. The
// seat reservation then carries the host's PUBLIC_ADDRESS, and the client opens its
// WebSocket there (Colyseus does not proxy room traffic between processes).
//
// It also decides which process brings back a room whose stream is still open at start
// (rooms/shared/recovery.ts): with one store behind many processes, every starting
// process finds the same open streams, and two actors appending to one stream would
// fight over its versions forever. A room is resumed by a starting process only if
//   1. it wins a short Redis lock on the room id (two processes starting together), and
//   2. no live process lists the room in the shared driver (another process hosts it;
//      a listing left by a dead process is health-checked and swept first, as Colyseus
//      does for stale processes).
// The room is created on this process (not wherever the matchmaker would place a new
// room), since the resume key that proves the request is this process's own.
//
// Once it listens, a process holds a lease in Redis (infra/failover/lease.ts): when another
// process's lease lapses (SIGKILL, a lost node), the survivors take its listed rooms over
// under the same per-room lock, and its listings are swept.
//
// Left open: a process that starts in the short window between another process's room
// appending its creation event and listing itself in the driver could resume that new
// room too; closing it needs the room's onCreate to take the same lock.
import { randomUUID } from 'node:crypto';
import { matchMaker, type MatchMakerDriver, type Presence } from '@colyseus/core';
import { RedisDriver } from '@colyseus/redis-driver';
import { RedisPresence } from '@colyseus/redis-presence';
import { Redis } from 'ioredis';
import type { EventStore } from '../events/store.ts';
import { findOpenRooms, type OpenRoom } from '../rooms/shared/recovery.ts';
import { createFailover, type Failover } from './failover/lease.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

export type ScaleOut = {
  /** Server options: absent when REDIS_URL is unset (one process, in-memory presence and driver). */
  serverOptions: { presence?: Presence; driver?: MatchMakerDriver; publicAddress?: string };
  /** Brings back the open rooms no other live process hosts; returns the ids resumed here. */
  resumeOpenRooms(store: EventStore, kinds: ReadonlyArray<{ name: string; endedBy: readonly string[] }>, resumeKey: string, open?: () => Promise<OpenRoom[]>): Promise<string[]>;
  /** This process's lease (infra/failover/lease.ts): absent without REDIS_URL. */
  host?: Failover;
  /** Starts the lease once the server listens: from then on this process takes over dead processes' rooms. */
  startFailover(kinds: readonly string[], resumeKey: string): Promise<void>;
  /** Closes what this module opened itself (Colyseus shuts its presence and driver down). */
  close(): Promise<void>;
};

/** How long a resume lock lives if its holder dies while creating the room. */
const RESUME_LOCK_MS = 30_000;
/** Rooms resumed at once when taking over a dead process (each reads its stream). */
const TAKEOVER_CONCURRENCY = 8;

const releaseLock = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** The address other processes hand to clients for this one's rooms. */
export function publicAddressOf(config: Pick<Config, 'PUBLIC_ADDRESS' | 'HOST' | 'PORT'>): string {
  if (config.PUBLIC_ADDRESS) return config.PUBLIC_ADDRESS;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  return `${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
}

export function createScaleOut(config: Config, logger: Logger): ScaleOut {
  const log = logger.child({ component: 'scale-out' });
  if (!config.REDIS_URL) {
    return {
      serverOptions: {},
      async resumeOpenRooms(store, kinds, resumeKey, open = () => findOpenRooms(store, kinds)) {
        const resumed: string[] = [];
        for (const room of await open()) {
          if (matchMaker.getLocalRoomById(room.roomId)) continue;
          await matchMaker.handleCreateRoom(room.kind, { resume: { roomId: room.roomId, key: resumeKey } });
          log.info({ room: room.roomId, stream: room.streamId }, 'room resumed');
          resumed.push(room.roomId);
        }
        return resumed;
      },
      async startFailover() {},
      async close() {},
    };
  }

  const url = config.REDIS_URL;
  const locks = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  locks.on('error', (error: Error & { code?: string }) => log.warn({ code: error.code, reason: error.message }, 'resume locks: Redis connection error'));
  const publicAddress = publicAddressOf(config);
  log.info({ redis: redact(url), publicAddress }, 'rooms shared through Redis');
  let failover: Failover | undefined;

  /** Whether a live process other than this one hosts the room (by its listing). */
  const hostedElsewhere = async (roomId: string): Promise<string | undefined> => {
    const listed = await matchMaker.driver.findOne({ roomId });
    if (!listed || listed.processId === matchMaker.processId) return undefined;
    // With leases, a lapsed lease is a dead process; healthCheckProcessId answers false (and sweeps the listing) for one that no longer answers.
    const alive = failover ? await failover.alive(listed.processId) : await matchMaker.healthCheckProcessId(listed.processId);
    return alive ? listed.processId : undefined;
  };

  /** Resumes one room here unless it is here already, another process holds its lock, or another live process hosts it. */
  const resumeRoom = async (room: { kind: string; roomId: string; streamId?: string }, resumeKey: string, why: string): Promise<'resumed' | 'here' | 'locked' | 'elsewhere'> => {
    // Hosted here already: a pass while running (a hand-over from a draining process, infra/drain.ts).
    if (matchMaker.getLocalRoomById(room.roomId)) return 'here';
    const key = `pantheon:resume:${room.roomId}`;
    const token = `${matchMaker.processId}:${randomUUID()}`;
    if ((await locks.set(key, token, 'PX', RESUME_LOCK_MS, 'NX')) !== 'OK') {
      log.info({ room: room.roomId }, 'room being resumed by another process');
      return 'locked';
    }
    try {
      // Again under the lock: a take-over and the start-up pass of this process may both have come this far.
      if (matchMaker.getLocalRoomById(room.roomId)) return 'here';
      const host = await hostedElsewhere(room.roomId);
      if (host) {
        log.info({ room: room.roomId, host }, 'room hosted by another process');
        return 'elsewhere';
      }
      const started = performance.now();
      await matchMaker.handleCreateRoom(room.kind, { resume: { roomId: room.roomId, key: resumeKey } });
      log.info({ room: room.roomId, stream: room.streamId ?? `${room.kind}-${room.roomId}`, why, ms: Math.round(performance.now() - started) }, 'room resumed');
      return 'resumed';
    } finally {
      await locks.eval(releaseLock, 1, key, token);
    }
  };

  const scaleOut: ScaleOut = {
    serverOptions: { presence: new RedisPresence(url), driver: new RedisDriver(url), publicAddress },
    async resumeOpenRooms(store, kinds, resumeKey, open = () => findOpenRooms(store, kinds)) {
      const resumed: string[] = [];
      for (const room of await open()) {
        if ((await resumeRoom(room, resumeKey, 'open at start or handed over')) === 'resumed') resumed.push(room.roomId);
      }
      return resumed;
    },
    async startFailover(kinds, resumeKey) {
      const names = new Set(kinds);
      failover = createFailover({
        redisUrl: url,
        prefix: config.PANTHEON_REDIS_PREFIX.replace(/:$/, ''),
        leaseMs: config.PANTHEON_LEASE_MS,
        processId: matchMaker.processId,
        logger,
        async takeOver(dead) {
          const listed = (await matchMaker.query({ processId: dead })).filter((room) => names.has(room.name));
          const failed = await inParallel(listed, TAKEOVER_CONCURRENCY, async (room) => {
            // Another survivor holds the room's lock: look again next time (it may fail; then the room is still listed under the dead process).
            if ((await resumeRoom({ kind: room.name, roomId: room.roomId }, resumeKey, `process ${dead} lapsed`)) === 'locked') throw new Error('being resumed by another process');
          });
          if (failed.length > 0) {
            const busy = failed.every((f) => f.reason === 'being resumed by another process');
            log[busy ? 'info' : 'error']({ process: dead, failed: failed.map((f) => ({ room: f.item.roomId, reason: f.reason })) }, 'some rooms of a lapsed process are not resumed yet; looking again');
            return false;
          }
          // Its listings (none of the resumed rooms: they are listed here now) and its stats go.
          await matchMaker.driver.cleanup?.(dead);
          await matchMaker.stats.excludeProcess(dead);
          log.info({ process: dead, rooms: listed.length }, 'lapsed process swept');
          return true;
        },
        async resumeOwn(rooms) {
          await inParallel(rooms, TAKEOVER_CONCURRENCY, (room) => resumeRoom(room, resumeKey, 'this process lost its lease and took it again'));
        },
      });
      scaleOut.host = failover;
      await failover.start();
      // Leases say which processes are dead, within one lease. Colyseus' own health check
      // would add a second IPC timeout (2 s) to a join that reached a dead process's room
      // before its take-over: without it the join fails at once and the client's retry finds the room.
      matchMaker.setHealthChecksEnabled(false);
    },
    async close() {
      await failover?.stop();
      await locks.quit().catch(() => locks.disconnect());
    },
  };
  return scaleOut;
}

/** Runs `work` over `items`, `limit` at a time; returns the items that failed. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<Array<{ item: T; reason: string }>> {
  const failed: Array<{ item: T; reason: string }> = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item).catch((error: unknown) => failed.push({ item, reason: error instanceof Error ? error.message : String(error) }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return failed;
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured REDIS_URL';
  }
}
