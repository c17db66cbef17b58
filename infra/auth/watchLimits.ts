// Concurrent watch connections per watch-only token, per address and per account, shared by
// every server process: each watcher holds a lease (a member of a sorted set per subject in
// Redis, scored by its expiry) that this process renews while the watcher stays and removes
// when it leaves; a process that dies leaves leases that expire on their own. Without Redis,
// or while it does not answer, the same limits hold in this process.
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { AccessDenied, hasRole, type Principal, type WatchLease, type WatchLimiter } from '../../rooms/shared/access.ts';
import { admissionCodes } from '../../rooms/shared/admission.ts';
import type { Logger } from '../logger.ts';

export type WatchLimits = {
  /** Watch connections per watch-only token (POST /auth/spectator). */
  token: number;
  /** Watch connections per signed-in account. */
  account: number;
  /** Watch connections per client address. */
  address: number;
};

export const defaultWatchLimits: WatchLimits = { token: 4, account: 8, address: 64 };

/** `PANTHEON_WATCH_LIMITS`: overrides as `name=count`, comma-separated, e.g. `address=200,token=2`. */
export const WatchLimitOverrides = z
  .string()
  .regex(/^(token|account|address)=\d{1,7}(,(token|account|address)=\d{1,7})*$/, 'must be name=count[,…] with names token, account, address, e.g. address=200')
  .transform((spec) => Object.fromEntries(spec.split(',').map((part) => part.split('=')).map(([name, count]) => [name, Number(count)])) as Partial<WatchLimits>);

/** How long a lease lives unless renewed; renewed every third of it. */
const LEASE_MS = 60_000;

type Subject = { key: string; limit: number; what: string };

function subjectsOf(principal: Principal, ip: string | undefined, limits: WatchLimits): Subject[] {
  const subjects: Subject[] = hasRole(principal, 'spectator') && !hasRole(principal, 'player')
    ? [{ key: `token:${principal.playerId}`, limit: limits.token, what: 'this watch-only token' }]
    : [{ key: `account:${principal.playerId}`, limit: limits.account, what: 'this account' }];
  if (ip) subjects.push({ key: `address:${ip}`, limit: limits.address, what: 'this address' });
  return subjects;
}

const refusal = (subject: Subject) => new AccessDenied(admissionCodes.watchLimit, `${subject.what} already holds ${subject.limit} watch connections; close one first`);

/** The same limits in this process only. */
export function memoryWatchLimiter(limits: WatchLimits): WatchLimiter & { held(key: string): number } {
  const sets = new Map<string, Set<string>>();
  return {
    held: (key) => sets.get(key)?.size ?? 0,
    async acquire(id, principal, ip) {
      const subjects = subjectsOf(principal, ip, limits);
      const full = subjects.find((s) => (sets.get(s.key)?.size ?? 0) >= s.limit && !sets.get(s.key)?.has(id));
      if (full) throw refusal(full);
      for (const s of subjects) sets.set(s.key, (sets.get(s.key) ?? new Set()).add(id));
      return {
        release() {
          for (const s of subjects) {
            const set = sets.get(s.key);
            set?.delete(id);
            if (set?.size === 0) sets.delete(s.key);
          }
        },
      };
    },
  };
}

// KEYS: the subjects' sets; ARGV[1]: the lease id, ARGV[2]: its life in ms, ARGV[2+i]: limit of KEYS[i].
// Returns 0 once the lease is held in every set, else the index of the first set that is full.
const acquireScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local life = tonumber(ARGV[2])
for i = 1, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  if not redis.call('ZSCORE', KEYS[i], ARGV[1]) and redis.call('ZCARD', KEYS[i]) >= tonumber(ARGV[2 + i]) then return i end
end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now + life, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], life)
end
return 0
`;
// KEYS: sets; ARGV[1]: life in ms, ARGV[2..]: lease ids, one per key (renews leases still held).
const renewScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local life = tonumber(ARGV[1])
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], 'XX', now + life, ARGV[1 + i])
  redis.call('PEXPIRE', KEYS[i], life)
end
return 0
`;

type LeaseRedis = Redis & {
  pantheonWatchAcquire(numberOfKeys: number, ...args: Array<string | number>): Promise<number>;
  pantheonWatchRenew(numberOfKeys: number, ...args: Array<string | number>): Promise<number>;
};

export function redisWatchLimiter(redis: Redis, limits: WatchLimits, options: { prefix: string; logger: Logger }): WatchLimiter & { close(): void } {
  if (!('pantheonWatchAcquire' in redis)) {
    redis.defineCommand('pantheonWatchAcquire', { lua: acquireScript });
    redis.defineCommand('pantheonWatchRenew', { lua: renewScript });
  }
  const r = redis as LeaseRedis;
  const fallback = memoryWatchLimiter(limits);
  /** Leases held here in Redis: lease id -> its sets. */
  const held = new Map<string, string[]>();
  const renew = setInterval(() => {
    if (held.size === 0) return;
    const keys: string[] = [];
    const ids: string[] = [];
    for (const [id, sets] of held) for (const key of sets) keys.push(key), ids.push(id);
    r.pantheonWatchRenew(keys.length, ...keys, LEASE_MS, ...ids).catch((error: unknown) => options.logger.warn({ component: 'watch-limits', err: error }, 'watch leases not renewed; they expire unless Redis answers again'));
  }, LEASE_MS / 3);
  renew.unref();
  return {
    async acquire(id, principal, ip) {
      const subjects = subjectsOf(principal, ip, limits);
      const keys = subjects.map((s) => `${options.prefix}watch:${s.key}`);
      let full: number;
      try {
        full = await r.pantheonWatchAcquire(keys.length, ...keys, id, LEASE_MS, ...subjects.map((s) => s.limit));
      } catch (error) {
        options.logger.warn({ component: 'watch-limits', err: error }, 'Redis does not answer; this watch connection is limited in this process only');
        return fallback.acquire(id, principal, ip);
      }
      if (full > 0) throw refusal(subjects[full - 1]!);
      held.set(id, keys);
      return {
        release() {
          held.delete(id);
          const pipeline = r.pipeline();
          for (const key of keys) pipeline.zrem(key, id);
          pipeline.exec().catch(() => {});
        },
      };
    },
    close: () => clearInterval(renew),
  };
}
