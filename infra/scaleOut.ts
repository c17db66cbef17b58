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
// Left open: a process that starts in the short window between another process's room
// appending its creation event and listing itself in the driver could resume that new
// room too; closing it needs the room's onCreate to take the same lock.
import { randomUUID } from 'node:crypto';
import { matchMaker, type MatchMakerDriver, type Presence } from '@colyseus/core';
import { RedisDriver } from '@colyseus/redis-driver';
import { RedisPresence } from '@colyseus/redis-presence';
import { Redis } from 'ioredis';
import type { EventStore } from '../events/store.ts';
import { findOpenRooms } from '../rooms/shared/recovery.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

export type ScaleOut = {
  /** Server options: absent when REDIS_URL is unset (one process, in-memory presence and driver). */
  serverOptions: { presence?: Presence; driver?: MatchMakerDriver; publicAddress?: string };
  /** Brings back the open rooms no other live process hosts; returns the ids resumed here. */
  resumeOpenRooms(store: EventStore, kinds: ReadonlyArray<{ name: string; endedBy: readonly string[] }>, resumeKey: string): Promise<string[]>;
  /** Closes what this module opened itself (Colyseus shuts its presence and driver down). */
  close(): Promise<void>;
};

/** How long a resume lock lives if its holder dies while creating the room. */
const RESUME_LOCK_MS = 30_000;

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
      async resumeOpenRooms(store, kinds, resumeKey) {
        const resumed: string[] = [];
        for (const open of await findOpenRooms(store, kinds)) {
          if (matchMaker.getLocalRoomById(open.roomId)) continue;
          await matchMaker.handleCreateRoom(open.kind, { resume: { roomId: open.roomId, key: resumeKey } });
          log.info({ room: open.roomId, stream: open.streamId }, 'room resumed');
          resumed.push(open.roomId);
        }
        return resumed;
      },
      async close() {},
    };
  }

  const url = config.REDIS_URL;
  const locks = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  locks.on('error', (error: unknown) => log.warn({ err: error }, 'resume locks: Redis connection error'));
  const publicAddress = publicAddressOf(config);
  log.info({ redis: redact(url), publicAddress }, 'rooms shared through Redis');

  return {
    serverOptions: { presence: new RedisPresence(url), driver: new RedisDriver(url), publicAddress },
    async resumeOpenRooms(store, kinds, resumeKey) {
      const resumed: string[] = [];
      const token = `${matchMaker.processId}:${randomUUID()}`;
      for (const open of await findOpenRooms(store, kinds)) {
        // Hosted here already: a pass while running (a hand-over from a draining process, infra/drain.ts).
        if (matchMaker.getLocalRoomById(open.roomId)) continue;
        const key = `pantheon:resume:${open.roomId}`;
        if ((await locks.set(key, token, 'PX', RESUME_LOCK_MS, 'NX')) !== 'OK') {
          log.info({ room: open.roomId, stream: open.streamId }, 'room being resumed by another process');
          continue;
        }
        try {
          const listed = await matchMaker.driver.findOne({ roomId: open.roomId });
          // healthCheckProcessId answers false (and sweeps the listing) for a process that no longer answers.
          if (listed && listed.processId !== matchMaker.processId && (await matchMaker.healthCheckProcessId(listed.processId))) {
            log.info({ room: open.roomId, stream: open.streamId, host: listed.processId }, 'room hosted by another process');
            continue;
          }
          await matchMaker.handleCreateRoom(open.kind, { resume: { roomId: open.roomId, key: resumeKey } });
          log.info({ room: open.roomId, stream: open.streamId }, 'room resumed');
          resumed.push(open.roomId);
        } finally {
          await locks.eval(releaseLock, 1, key, token);
        }
      }
      return resumed;
    },
    async close() {
      await locks.quit().catch(() => locks.disconnect());
    },
  };
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
