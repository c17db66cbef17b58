// The watchers of `npm run bench:spectators`, in a process of their own: SPECTATORS SDK
// clients joining the spectator rooms of one battle (MATCH) on the server at URL, each with
// its own watch-only token. Each notes when it sees the battle's synced `tick` move; asked
// for a report with the battle's durable times per tick, it answers the delays' percentiles.
import { performance } from 'node:perf_hooks';
import { Client, type Room } from '@colyseus/sdk';
import { tokenMinter } from '../../infra/testing/signedIn.ts';

const url = process.env.URL!;
const match = process.env.MATCH!;
const count = Number(process.env.SPECTATORS ?? 5000);
const concurrency = Number(process.env.JOIN_CONCURRENCY ?? 100);
const tokenFor = tokenMinter(process.env.PANTHEON_JWT_SECRET);

/** Seen (tick, when) pairs since the last reset, flat. */
let seen: number[] = [];
const rooms: Room[] = [];
let failed = 0;

async function watch(i: number): Promise<void> {
  const client = new Client(url);
  client.auth.token = await tokenFor(`spectator:bench-${i}`, ['spectator']);
  // `join` takes a place in an open room without the matchmaker's per-filter lock that
  // serializes joinOrCreate; only when every room of the match is full is one created.
  const room = await client.join('spectator', { match, spectator: true }).catch(() => client.joinOrCreate('spectator', { match, spectator: true }));
  room.onMessage('summary', () => {});
  room.onMessage('narration', () => {});
  let last = -1;
  room.onStateChange((state: { tick?: number }) => {
    const tick = state.tick ?? -1;
    if (tick !== last) {
      last = tick;
      seen.push(tick, performance.timeOrigin + performance.now());
    }
  });
  rooms.push(room);
}

let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++;
      // A join may lose a race for the last place of a room: try again, as a client would.
      for (let attempt = 1; ; attempt++) {
        try {
          await watch(i);
          break;
        } catch {
          if (attempt === 5) {
            failed++;
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        }
      }
    }
  }),
);
process.send?.({ joined: rooms.length, failed, shards: new Set(rooms.map((r) => r.roomId)).size });

process.on('message', (message: { cmd: string; durableAt?: Record<number, number> }) => {
  if (message.cmd === 'reset') {
    seen = [];
  } else if (message.cmd === 'report') {
    const durableAt = message.durableAt ?? {};
    const delays: number[] = [];
    for (let i = 0; i < seen.length; i += 2) {
      const at = durableAt[seen[i]!];
      if (at !== undefined) delays.push(seen[i + 1]! - at);
    }
    delays.sort((a, b) => a - b);
    const pick = (p: number) => delays[Math.min(delays.length - 1, Math.floor((p / 100) * delays.length))] ?? Number.NaN;
    process.send?.({ delays: { count: delays.length, p50: pick(50), p99: pick(99), max: delays.at(-1) ?? Number.NaN }, connected: rooms.filter((r) => r.connection.isOpen).length });
  } else if (message.cmd === 'stop') {
    process.exit(0);
  }
});
