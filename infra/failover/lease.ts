// Dead game processes noticed in seconds. With REDIS_URL every game process holds a lease
// in Redis (`<prefix>:lease:<processId>`, a token with a TTL of PANTHEON_LEASE_MS) and
// renews it every third of that; the ids of live processes are kept in one set. Every
// process also looks, four times per lease, for members whose lease has lapsed (a SIGKILL,
// a lost node) and takes their rooms over (`takeOver`: infra/scaleOut.ts resumes each open
// room under its per-room lock, so of several survivors exactly one resumes a room).
//
// Fencing: the holder believes its lease only until the time it asked for the last renewal
// plus 90% of the TTL, measured on its own monotonic clock (Redis counts from later). Past
// that — Redis unreachable, or the process was paused (GC, SIGSTOP, a blip) — its rooms
// append nothing and refuse commands (rooms/shared/colyseusRoom.ts, HostLease). When a
// renewal finds the lease gone, the process relinquishes every room (closing without
// appending; a room already resumed elsewhere keeps its new listing), takes a new lease, and
// resumes itself the rooms nobody took meanwhile. A Redis outage thus pauses rooms rather
// than letting two processes write one stream; when Redis answers again the lapsed rooms are
// resumed, once each.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { HostedRoom, HostLease } from '../../rooms/shared/colyseusRoom.ts';
import type { Logger } from '../logger.ts';

export type FailoverOptions = {
  redisUrl: string;
  prefix: string;
  leaseMs: number;
  processId: string;
  logger: Logger;
  /** Resumes here the open rooms of a process whose lease lapsed; false to try again on the next look. */
  takeOver(deadProcessId: string): Promise<boolean>;
  /** Resumes here the rooms this process relinquished that no other process took (their listing still names it). */
  resumeOwn(rooms: ReadonlyArray<{ kind: string; roomId: string }>): Promise<void>;
};

export type Failover = HostLease & {
  /** Takes the lease and starts renewing it and watching the others'. */
  start(): Promise<void>;
  /** Whether a process's lease is held (false for an unknown or lapsed one). */
  alive(processId: string): Promise<boolean>;
  /** Gives the lease up (after the rooms are gone: a graceful shutdown). */
  stop(): Promise<void>;
};

const renewScript = `local v = redis.call('get', KEYS[1])
if v == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 1 end
if v then return -1 end
return 0`;
const releaseScript = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export function createFailover(options: FailoverOptions): Failover {
  const log = options.logger.child({ component: 'failover' });
  // Fails fast while Redis is away: a lease that cannot be renewed must lapse, not wait.
  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, commandTimeout: Math.max(200, Math.floor(options.leaseMs / 4)) });
  let redisDown = false;
  redis.on('error', (error: Error & { code?: string }) => {
    if (!redisDown) log.warn({ code: error.code, reason: error.message }, 'lease Redis unreachable: rooms pause until it answers');
    redisDown = true;
  });
  redis.on('ready', () => {
    if (redisDown) log.info('lease Redis answers again');
    redisDown = false;
  });
  const leaseKey = (processId: string) => `${options.prefix}:lease:${processId}`;
  const membersKey = `${options.prefix}:processes`;
  const rooms = new Map<string, HostedRoom>();
  let token = randomUUID();
  let validUntil = 0;
  let renewing = false;
  let watching = false;
  let stopped = false;
  let timers: NodeJS.Timeout[] = [];

  const acquire = async () => {
    const asked = performance.now();
    token = randomUUID();
    await redis.multi().set(leaseKey(options.processId), token, 'PX', options.leaseMs).sadd(membersKey, options.processId).exec();
    validUntil = asked + options.leaseMs * 0.9;
  };

  const renew = async () => {
    if (renewing || stopped) return;
    renewing = true;
    try {
      const asked = performance.now();
      const held = Number(await redis.eval(renewScript, 1, leaseKey(options.processId), token, options.leaseMs));
      if (held === 1) {
        validUntil = asked + options.leaseMs * 0.9;
        return;
      }
      validUntil = 0;
      const lost = [...rooms.values()];
      log.warn({ rooms: lost.length, takenBy: held === -1 ? 'another holder' : 'nobody yet' }, 'lease lost: relinquishing every room');
      await Promise.all(lost.map((room) => room.relinquish('this process lost its lease')));
      await acquire();
      log.info('lease taken again');
      await options.resumeOwn(lost.map(({ kind, roomId }) => ({ kind, roomId })));
    } catch (error) {
      // Redis away: the lease lapses by itself (validUntil), and so do the rooms' appends.
      if (!redisDown) log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'lease renewal failed');
    } finally {
      renewing = false;
    }
  };

  const watch = async () => {
    if (watching || stopped || performance.now() > validUntil) return;
    watching = true;
    try {
      const members = (await redis.smembers(membersKey)).filter((id) => id !== options.processId);
      if (members.length === 0) return;
      const answers = (await members.reduce((pipeline, id) => pipeline.exists(leaseKey(id)), redis.pipeline()).exec()) ?? [];
      // A lease whose check failed counts as held: never take rooms over on a doubt.
      const held = answers.map(([error, count]) => (error ? 1 : Number(count)));
      for (const [i, processId] of members.entries()) {
        if (held[i] !== 0 || stopped) continue;
        log.warn({ process: processId }, 'process lease lapsed: taking its rooms over');
        if (await options.takeOver(processId)) await redis.srem(membersKey, processId);
      }
    } catch (error) {
      if (!redisDown) log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'looking for lapsed leases failed');
    } finally {
      watching = false;
    }
  };

  return {
    valid: () => !stopped && performance.now() < validUntil,
    register(room) {
      rooms.set(room.roomId, room);
      return () => {
        if (rooms.get(room.roomId) === room) rooms.delete(room.roomId);
      };
    },
    async start() {
      await redis.connect();
      await acquire();
      const every = (ms: number, work: () => Promise<void>) => {
        const timer = setInterval(() => void work(), ms);
        timer.unref();
        timers.push(timer);
      };
      every(Math.max(100, Math.floor(options.leaseMs / 3)), renew);
      every(Math.max(100, Math.floor(options.leaseMs / 4)), watch);
      log.info({ leaseMs: options.leaseMs, process: options.processId }, 'lease held');
    },
    async alive(processId) {
      return (await redis.exists(leaseKey(processId))) === 1;
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      timers = [];
      await redis.eval(releaseScript, 1, leaseKey(options.processId), token).catch(() => undefined);
      await redis.srem(membersKey, options.processId).catch(() => undefined);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
