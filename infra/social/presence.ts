// Presence across game processes: each player's entries in one Redis hash
// (`<prefix>presence:<playerId>`, one field per source: a party room, the queue, a match),
// each stamped with when it lapses, the key itself expiring after the longest. A crashed
// process's entries lapse on their own. Without REDIS_URL the same in this process.
//
// A player's presence is the strongest live entry: in a match, else in a queue, else online.
// Entries of a match also lapse the moment its room is gone (Colyseus' shared room listing
// is asked), so nobody is shown in a match that ended.
import { matchMaker } from '@colyseus/core';
import type { Redis } from 'ioredis';
import type { PresenceEntry, PresencePort, PresenceStatus } from '../../rooms/social/ports.ts';

export const DEFAULT_PRESENCE_TTL_MS = 90_000;

export type Presence = {
  readonly playerId: string;
  readonly status: PresenceStatus | 'offline';
  readonly roomId?: string;
  readonly mode?: string;
  /** For in_match: how to watch (the spectator room, joined with `{ match: roomId }`). */
  readonly spectate?: { readonly roomName: 'spectator'; readonly match: string };
  /** A line for Discord rich presence and friend lists. */
  readonly text: string;
};

type Stored = PresenceEntry & { readonly until: number };
type Backend = {
  set(key: string, field: string, value: string, keyTtlMs: number): Promise<void>;
  del(key: string, field: string): Promise<void>;
  getAll(keys: readonly string[]): Promise<Array<Record<string, string>>>;
};

export type PresenceService = PresencePort & {
  read(playerIds: readonly string[]): Promise<Map<string, Presence>>;
};

const rank: Readonly<Record<PresenceStatus, number>> = { online: 1, in_queue: 2, in_match: 3 };

export function richText(entry: Pick<Presence, 'status' | 'mode'>): string {
  switch (entry.status) {
    case 'in_match':
      return entry.mode ? `In a ${entry.mode.replace('battle-', '')} ${entry.mode.startsWith('raid') ? 'raid' : 'battle'}` : 'In a match';
    case 'in_queue':
      return entry.mode ? `Looking for a ${entry.mode} match` : 'Looking for a match';
    case 'online':
      return 'Online';
    default:
      return 'Offline';
  }
}

export function createPresence(options: { redis?: Redis; prefix: string; now?: () => number; roomsAlive?: (roomIds: string[]) => Promise<Set<string>> }): PresenceService {
  const now = options.now ?? Date.now;
  const backend = options.redis ? redisBackend(options.redis) : memoryBackend(now);
  const keyOf = (playerId: string) => `${options.prefix}presence:${playerId}`;
  const roomsAlive = options.roomsAlive ?? (async (ids: string[]) => new Set((await matchMaker.findRoomsByIds(ids)).keys()));
  return {
    async set(playerId, source, entry, ttlMs = DEFAULT_PRESENCE_TTL_MS) {
      const stored: Stored = { ...entry, until: now() + ttlMs };
      await backend.set(keyOf(playerId), source, JSON.stringify(stored), ttlMs);
    },
    async clear(playerId, source) {
      await backend.del(keyOf(playerId), source);
    },
    async read(playerIds) {
      const hashes = await backend.getAll(playerIds.map(keyOf));
      const at = now();
      const best = new Map<string, Stored>();
      playerIds.forEach((playerId, i) => {
        for (const raw of Object.values(hashes[i] ?? {})) {
          const entry = parse(raw);
          if (!entry || entry.until <= at) continue;
          const current = best.get(playerId);
          if (!current || rank[entry.status] > rank[current.status]) best.set(playerId, entry);
        }
      });
      const matchRooms = [...best.values()].filter((e) => e.status === 'in_match' && e.roomId).map((e) => e.roomId!);
      const alive = matchRooms.length > 0 ? await roomsAlive(matchRooms) : new Set<string>();
      const out = new Map<string, Presence>();
      for (const playerId of playerIds) {
        let entry: Stored | undefined = best.get(playerId);
        // A match that is over no longer counts; whatever else they are in does.
        if (entry?.status === 'in_match' && !alive.has(entry.roomId ?? '')) {
          entry = Object.values(hashes[playerIds.indexOf(playerId)] ?? {}).map(parse)
            .filter((e): e is Stored => e !== undefined && e.until > at && e.status !== 'in_match')
            .sort((a, b) => rank[b.status] - rank[a.status])[0];
        }
        if (!entry) {
          out.set(playerId, { playerId, status: 'offline', text: richText({ status: 'offline' }) });
          continue;
        }
        out.set(playerId, {
          playerId,
          status: entry.status,
          ...(entry.roomId ? { roomId: entry.roomId } : {}),
          ...(entry.mode ? { mode: entry.mode } : {}),
          ...(entry.status === 'in_match' && entry.roomId ? { spectate: { roomName: 'spectator' as const, match: entry.roomId } } : {}),
          text: richText(entry),
        });
      }
      return out;
    },
  };
}

function parse(raw: string): Stored | undefined {
  try {
    const value = JSON.parse(raw) as Stored;
    return typeof value.until === 'number' && value.status in rank ? value : undefined;
  } catch {
    return undefined;
  }
}

function redisBackend(redis: Redis): Backend {
  return {
    async set(key, field, value, keyTtlMs) {
      // The key lives as long as its longest entry; a shorter TTL never cuts a longer one.
      await redis.multi().hset(key, field, value).pexpire(key, keyTtlMs, 'GT').pexpire(key, keyTtlMs, 'NX').exec();
    },
    async del(key, field) {
      await redis.hdel(key, field);
    },
    async getAll(keys) {
      if (keys.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.hgetall(key);
      const results = (await pipeline.exec()) ?? [];
      return results.map(([error, value]) => (error ? {} : (value as Record<string, string>)));
    },
  };
}

function memoryBackend(now: () => number): Backend {
  const hashes = new Map<string, { fields: Map<string, string>; until: number }>();
  return {
    async set(key, field, value, keyTtlMs) {
      const hash = hashes.get(key) ?? { fields: new Map(), until: 0 };
      hash.fields.set(field, value);
      hash.until = Math.max(hash.until, now() + keyTtlMs);
      hashes.set(key, hash);
    },
    async del(key, field) {
      hashes.get(key)?.fields.delete(field);
    },
    async getAll(keys) {
      const at = now();
      return keys.map((key) => {
        const hash = hashes.get(key);
        if (!hash || hash.until <= at) {
          hashes.delete(key);
          return {};
        }
        return Object.fromEntries(hash.fields);
      });
    },
  };
}
