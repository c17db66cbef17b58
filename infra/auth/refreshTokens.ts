// Refresh tokens: opaque, single use, rotated on every refresh, stored only as a SHA-256
// hash, each belonging to a family (one sign-in). Presenting a token that was already
// rotated means two parties hold it (a thief and the player): the whole family is revoked,
// so whoever has the newest token is signed out too and must sign in again (OAuth 2.0
// Security BCP, refresh token reuse detection).
//
// Kept in Redis (with REDIS_URL), not in the event log: a refresh every 15 minutes per
// player would be a stream of security-sensitive, short-lived facts nobody replays, fanned
// out to Kafka and analysts; Redis gives expiry for free and every process sees a rotation
// at once. Without Redis they live in this process, and a restart signs everyone out.
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';

export type RefreshRecord = { playerId: string; family: string };

export type RotateResult =
  | { ok: true; record: RefreshRecord; token: string }
  | { ok: false; reason: 'unknown' | 'reused' | 'revoked' };

export type RefreshTokenStore = {
  readonly kind: 'redis' | 'memory';
  readonly ttlMs: number;
  /** A new family's first token. */
  issue(playerId: string): Promise<string>;
  /** Spends `token` and returns its successor; a spent token revokes its family. */
  rotate(token: string): Promise<RotateResult>;
  /** Signs a family out. False if the token names no live family. */
  revoke(token: string): Promise<boolean>;
};

/** `rt1.<family>.<secret>`: the family rides in the token so every key the script touches is known up front. */
const TokenShape = z.string().regex(/^rt1\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);

const newFamily = () => randomBytes(16).toString('base64url');
const tokenOf = (family: string) => `rt1.${family}.${randomBytes(32).toString('base64url')}`;
const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');
const familyOf = (token: string) => token.split('.')[1]!;

export function memoryRefreshTokens(options: { ttlMs?: number; now?: () => number } = {}): RefreshTokenStore {
  const ttlMs = options.ttlMs ?? 30 * 24 * 3600_000;
  const now = options.now ?? Date.now;
  const live = new Map<string, RefreshRecord & { expires: number }>();
  const spent = new Map<string, { family: string; expires: number }>();
  const revoked = new Map<string, number>();
  const sweep = () => {
    const t = now();
    for (const [key, value] of live) if (value.expires <= t) live.delete(key);
    for (const [key, value] of spent) if (value.expires <= t) spent.delete(key);
    for (const [key, expires] of revoked) if (expires <= t) revoked.delete(key);
  };
  let issued = 0;
  const put = (playerId: string, family: string) => {
    if (++issued % 1000 === 0) sweep();
    const token = tokenOf(family);
    live.set(hashOf(token), { playerId, family, expires: now() + ttlMs });
    return token;
  };
  return {
    kind: 'memory',
    ttlMs,
    async issue(playerId) {
      return put(playerId, newFamily());
    },
    async rotate(token) {
      if (!TokenShape.safeParse(token).success) return { ok: false, reason: 'unknown' };
      const key = hashOf(token);
      const family = familyOf(token);
      const record = live.get(key);
      if (!record || record.expires <= now()) {
        if (spent.has(key)) {
          revoked.set(family, now() + ttlMs);
          return { ok: false, reason: 'reused' };
        }
        return { ok: false, reason: 'unknown' };
      }
      live.delete(key);
      spent.set(key, { family, expires: now() + ttlMs });
      if ((revoked.get(family) ?? 0) > now()) return { ok: false, reason: 'revoked' };
      return { ok: true, record: { playerId: record.playerId, family }, token: put(record.playerId, family) };
    },
    async revoke(token) {
      if (!TokenShape.safeParse(token).success) return false;
      const key = hashOf(token);
      if (!live.has(key)) return false;
      live.delete(key);
      revoked.set(familyOf(token), now() + ttlMs);
      return true;
    },
  };
}

// KEYS: live:<hash>, spent:<hash>, family:<family>, live:<new hash>. ARGV: ttl ms, new record.
// Returns {'ok', record} | {'unknown'} | {'reused'} | {'revoked'}.
const rotateScript = `
local record = redis.call('GET', KEYS[1])
if not record then
  if redis.call('EXISTS', KEYS[2]) == 1 then
    redis.call('SET', KEYS[3], 'revoked', 'PX', ARGV[1])
    return {'reused'}
  end
  return {'unknown'}
end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
if redis.call('EXISTS', KEYS[3]) == 1 then return {'revoked'} end
redis.call('SET', KEYS[4], record, 'PX', ARGV[1])
return {'ok', record}
`;

// KEYS: live:<hash>, family:<family>. ARGV: ttl ms. 1 if the token was live.
const revokeScript = `
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
redis.call('SET', KEYS[2], 'revoked', 'PX', ARGV[1])
return 1
`;

type ScriptedRedis = Redis & {
  pantheonRotate(live: string, spent: string, family: string, next: string, ttl: number): Promise<string[]>;
  pantheonRevoke(live: string, family: string, ttl: number): Promise<number>;
};

const Stored = z.object({ playerId: z.string(), family: z.string() });

export function redisRefreshTokens(redis: Redis, options: { prefix: string; ttlMs?: number }): RefreshTokenStore {
  const ttlMs = options.ttlMs ?? 30 * 24 * 3600_000;
  if (!('pantheonRotate' in redis)) {
    redis.defineCommand('pantheonRotate', { numberOfKeys: 4, lua: rotateScript });
    redis.defineCommand('pantheonRevoke', { numberOfKeys: 2, lua: revokeScript });
  }
  const scripted = redis as ScriptedRedis;
  const live = (hash: string) => `${options.prefix}refresh:live:${hash}`;
  const spent = (hash: string) => `${options.prefix}refresh:spent:${hash}`;
  const family = (id: string) => `${options.prefix}refresh:family:${id}`;
  return {
    kind: 'redis',
    ttlMs,
    async issue(playerId) {
      const id = newFamily();
      const token = tokenOf(id);
      await redis.set(live(hashOf(token)), JSON.stringify({ playerId, family: id } satisfies RefreshRecord), 'PX', ttlMs);
      return token;
    },
    async rotate(token) {
      if (!TokenShape.safeParse(token).success) return { ok: false, reason: 'unknown' };
      const id = familyOf(token);
      const next = tokenOf(id);
      // The successor's record is the same as the spent one's: the script copies it.
      const [status, record] = await scripted.pantheonRotate(live(hashOf(token)), spent(hashOf(token)), family(id), live(hashOf(next)), ttlMs);
      if (status !== 'ok') return { ok: false, reason: status === 'reused' ? 'reused' : status === 'revoked' ? 'revoked' : 'unknown' };
      return { ok: true, record: Stored.parse(JSON.parse(record!)), token: next };
    },
    async revoke(token) {
      if (!TokenShape.safeParse(token).success) return false;
      return (await scripted.pantheonRevoke(live(hashOf(token)), family(familyOf(token)), ttlMs)) === 1;
    },
  };
}
