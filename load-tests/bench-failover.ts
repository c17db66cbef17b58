// npm run bench:failover — how fast a crashed game process's battles come back.
//  (a) BENCH_ROOMS (default 100) battles of bots spread over two game processes sharing
//      PostgreSQL and Redis; one process is SIGKILLed; per orphaned battle, the time from
//      the kill until its player, rejoining by room id through the survivor, has a command
//      accepted. Every battle then plays to its end; each stream must be contiguous, hold
//      every command its players saw acknowledged exactly once, and replay clean (the audit).
//  (b) start_ms_1m_events: a game process's time from spawn to /readyz 200 on a store
//      already holding BENCH_START_EVENTS (default 1,000,000) events, the open-rooms read
//      model caught up as the projector keeps it.
// The machine is shared: the load average and the busiest processes are printed first, and
// other_cpu_cores (CPU used meanwhile by everything but this benchmark, its servers,
// PostgreSQL and Redis, from /proc) must stay under 0.25 core, or the run exits 1.
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Room } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { z } from 'zod';
import { openPgExecutor } from '../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl } from '../events/sql/testing/schema.ts';
import { replay } from '../events/tick/replay.ts';
import { createCatalog } from '../infra/catalog.ts';
import { createServer } from 'node:net';
import { SignedInClient, testJwtSecret } from '../infra/testing/signedIn.ts';
import { openProjectionRunner } from '../projections/index.ts';
import { openRoomsProjection } from '../projections/openRooms/projection.ts';
import { duelSetup } from '../rooms/battle/testing/fixtures.e2e.ts';
import { battleKind } from '../rooms/battle/room.ts';
import type { BattleView } from '../rooms/battle/state.ts';
import { RoomActor } from '../rooms/shared/actor.ts';
import { roomRules } from '../rooms/rulesRegistry.ts';
import { nextCast } from './bots/battleBot.ts';
import { cpuSeconds, cpuSecondsOf } from './proc.ts';
import { fillStore } from './simulate/mix.ts';
import { percentile, report } from './stats.ts';

const env = z.object({
  BENCH_ROOMS: z.coerce.number().int().min(2).max(200).default(100),
  BENCH_START_EVENTS: z.coerce.number().int().min(1000).max(2_000_000).default(1_000_000),
  BENCH_REDIS_URL: z.string().default('redis://127.0.0.1:6379/13'),
}).parse(process.env);
const main = new URL('../infra/main.ts', import.meta.url).pathname;
const deadline = (ms: number) => performance.now() + ms;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

console.log(`uptime: ${execSync('uptime').toString().trim()}`);
console.log(execSync('ps aux --sort=-%cpu | head -6').toString().trim());

// --- CPU of everything else --------------------------------------------------------------
const children = new Map<number, number>(); // pid -> CPU seconds last seen
const busySeconds = () => {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return (fields[0]! + fields[1]! + fields[2]! + fields[5]! + fields[6]! + fields[7]!) / 100;
};
const sampleChildren = () => {
  for (const pid of children.keys()) {
    try {
      children.set(pid, cpuSeconds(pid));
    } catch {
      // gone: its last sample stands
    }
  }
};
const ours = () => cpuSeconds(process.pid) + [...children.values()].reduce((a, b) => a + b, 0) + cpuSecondsOf('postgres') + cpuSecondsOf('redis-server');
const sampler = setInterval(sampleChildren, 500);
const cpuStart = { busy: busySeconds(), ours: ours(), at: performance.now() };

/** A free local port (not infra/testing/process.ts: that one brings the test runner along). */
const freePort = () => new Promise<number>((resolve, reject) => {
  const probe = createServer();
  probe.once('error', reject);
  probe.listen(0, '127.0.0.1', () => {
    const address = probe.address();
    probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
  });
});

type Proc = { child: ChildProcess; port: number; lines: string[] };
function startGame(schema: string, extra: Record<string, string> = {}): Promise<Proc> & { proc: Proc } {
  const proc = { child: undefined as unknown as ChildProcess, port: 0, lines: [] as string[] };
  const ready = (async () => {
    proc.port = await freePort();
    proc.child = spawn(process.execPath, [main], {
      env: { PATH: process.env.PATH ?? '', PORT: String(proc.port), HOST: '127.0.0.1', DATABASE_URL: testDatabaseUrl, PANTHEON_DB_SCHEMA: schema, PANTHEON_ROLE: 'game', PANTHEON_JWT_SECRET: testJwtSecret, LOG_LEVEL: 'info', ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.set(proc.child.pid!, 0);
    for (const stream of [proc.child.stdout!, proc.child.stderr!]) stream.on('data', (chunk: Buffer) => proc.lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const until = deadline(120_000);
    for (;;) {
      if (await fetch(`http://127.0.0.1:${proc.port}/readyz`).then((r) => r.status === 200, () => false)) return proc;
      if (proc.child.exitCode !== null || performance.now() > until) throw new Error(`the game process did not get ready: ${proc.lines.slice(-5).join('\n')}`);
      await sleep(20);
    }
  })();
  return Object.assign(ready, { proc });
}
const stop = async (proc: Proc, signal: NodeJS.Signals = 'SIGTERM') => {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.child.once('exit', resolve));
  proc.child.kill(signal);
  await exited;
};

// --- (a) failover ------------------------------------------------------------------------
const logger = pino({ level: 'warn' });
const schema = await createTestSchema('bench_failover');
const db = await openPgExecutor({ connectionString: testDatabaseUrl, max: 6 });
const store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name });
const redis = new Redis(env.BENCH_REDIS_URL);
const clearRedis = async () => {
  await redis.del('roomcaches', 'roomcount');
  for (const key of await redis.keys('pantheon*')) await redis.del(key);
};
await clearRedis();
const processes: Proc[] = [];
const rooms: Room<BattleView>[] = [];
const stops: Array<() => void> = [];
let exitCode = 0;

/** A bot that casts every `everyMs` with refs of its own; records what its seat shows acknowledged. */
function play(room: Room<BattleView>, playerId: string, prefix: string, everyMs: number, acked: Set<string>, sent?: (ref: string) => void): void {
  let turn = 0;
  room.onMessage('refused', () => {});
  room.onMessage('room/status', () => {});
  room.onStateChange((state) => {
    const ref = state.seats?.get(playerId)?.lastRef;
    if (ref) acked.add(ref);
  });
  const timer = setInterval(() => {
    const cast = nextCast(room.state, playerId, turn);
    if (!cast) return;
    const ref = `${prefix}${++turn}`;
    sent?.(ref);
    room.send('CastAbility', { ...cast, ref });
  }, everyMs);
  stops.push(() => clearInterval(timer));
}

type Battle = { roomId: string; a: string; b: string; acked: Map<string, Set<string>>; host?: number };
try {
  const shared = { REDIS_URL: env.BENCH_REDIS_URL };
  const [a, b] = await Promise.all([startGame(schema.name, shared), startGame(schema.name, shared)]);
  processes.push(a, b);
  const battles: Battle[] = [];
  for (let i = 0; i < env.BENCH_ROOMS; i++) {
    const through = i % 2 === 0 ? a : b;
    const battle: Battle = { roomId: '', a: `fa${i}`, b: `fb${i}`, acked: new Map([[`fa${i}`, new Set()], [`fb${i}`, new Set()]]) };
    const first = await new SignedInClient(`ws://127.0.0.1:${through.port}`).create<BattleView>('battle', { ...duelSetup(battle.a, battle.b, { tickLimit: 2400 }), playerId: battle.a });
    battle.roomId = first.roomId;
    const second = await new SignedInClient(`ws://127.0.0.1:${through.port}`).joinById<BattleView>(first.roomId, { playerId: battle.b });
    rooms.push(first, second);
    play(first, battle.a, `${battle.a}:`, 1000, battle.acked.get(battle.a)!);
    play(second, battle.b, `${battle.b}:`, 1000, battle.acked.get(battle.b)!);
    battles.push(battle);
  }
  const listing = await redis.hgetall('roomcaches');
  for (const battle of battles) battle.host = Number(String((JSON.parse(listing[battle.roomId] ?? '{}') as { publicAddress?: string }).publicAddress ?? '').split(':').at(-1));
  await sleep(5000);

  // SIGKILL the process hosting more battles; measure each of its open battles coming back on the other.
  const onB = battles.filter((battle) => battle.host === b.port);
  const [victim, survivor, orphans] = onB.length >= battles.length / 2 ? [b, a, onB] : [a, b, battles.filter((battle) => battle.host === a.port)];
  console.log(`${battles.length} battles: ${orphans.length} on the process killed, ${battles.length - orphans.length} on the survivor`);
  sampleChildren();
  const killedAt = performance.now();
  const killedAtEpoch = Date.now();
  victim.child.kill('SIGKILL');
  const failoverMs: number[] = [];
  const failed: string[] = [];
  await Promise.all(orphans.map(async (battle) => {
    const until = deadline(60_000);
    for (;;) {
      try {
        const room = await new SignedInClient(`ws://127.0.0.1:${survivor.port}`).joinById<BattleView>(battle.roomId, { playerId: battle.a });
        rooms.push(room);
        if (room.state.status === 'ended') return;
        const acked = battle.acked.get(battle.a)!;
        let mine: string[] = [];
        play(room, battle.a, `${battle.a}:after:`, 100, acked, (ref) => mine.push(ref));
        while (!mine.some((ref) => acked.has(ref)) && performance.now() < until && room.state.status !== 'ended') await sleep(10);
        if (mine.some((ref) => acked.has(ref))) failoverMs.push(performance.now() - killedAt);
        else if (room.state.status !== 'ended') failed.push(battle.roomId);
        mine = [];
        const other = await new SignedInClient(`ws://127.0.0.1:${survivor.port}`).joinById<BattleView>(battle.roomId, { playerId: battle.b });
        rooms.push(other);
        play(other, battle.b, `${battle.b}:after:`, 1000, battle.acked.get(battle.b)!);
        return;
      } catch {
        if (performance.now() > until) {
          failed.push(battle.roomId);
          return;
        }
        await sleep(50);
      }
    }
  }));
  if (failed.length > 0) console.log(`battles never back: ${failed.join(', ')}`);
  // Where the time went, from the survivor's log: the lapse noticed, each room resumed.
  const since = (msg: string) => survivor.lines.map((line) => { try { return JSON.parse(line) as { msg?: string; time?: number; ms?: number }; } catch { return {}; } })
    .filter((line) => line.msg === msg && (line.time ?? 0) >= killedAtEpoch).map((line) => (line.time ?? 0) - killedAtEpoch);
  const resumedAfter = since('room resumed');
  console.log(`lease lapse noticed after ${since('process lease lapsed: taking its rooms over')[0] ?? '?'} ms; rooms resumed after ${Math.min(...resumedAfter)}..${Math.max(...resumedAfter)} ms`);

  // Every battle plays to its end; then the log is checked.
  const endBy = deadline(240_000);
  const streamOf = (battle: Battle) => store.readStream(`battle-${battle.roomId}`);
  for (const battle of battles) {
    while (!(await streamOf(battle)).some((event) => event.type === 'BattleEnded') && performance.now() < endBy) await sleep(500);
  }
  let lost = failed.length;
  let duplicated = 0;
  let clean = 0;
  for (const battle of battles) {
    const stream = await streamOf(battle);
    if (!stream.some((event) => event.type === 'BattleEnded')) lost++;
    lost += stream.filter((event, i) => event.version !== i).length;
    duplicated += stream.length - new Set(stream.map((event) => event.id)).size;
    const accepted = stream.filter((event) => event.type === 'CommandAccepted').map((event) => `${(event.data as { playerId: string }).playerId}|${(event.data as { ref?: string }).ref}`);
    duplicated += accepted.length - new Set(accepted).size;
    for (const [playerId, refs] of battle.acked) for (const ref of refs) if (!accepted.includes(`${playerId}|${ref}`)) lost++;
    if (replay(battleKind, stream).ok) clean++;
  }
  console.log(`(a) ${orphans.length} battles failed over: p50 ${Math.round(percentile([...failoverMs].sort((x, y) => x - y), 50))} ms, max ${Math.round(Math.max(0, ...failoverMs))} ms; audits clean ${clean}/${battles.length}; lost ${lost}, duplicated ${duplicated}`);
  if (clean !== battles.length || lost > 0 || duplicated > 0) exitCode = 1;
  for (const stopBot of stops.splice(0)) stopBot();
  for (const room of rooms) if (room.connection.isOpen) await room.leave().catch(() => {});
  for (const proc of processes) await stop(proc);
  const sorted = [...failoverMs].sort((x, y) => x - y);

  // --- (b) start-up on a long log ---------------------------------------------------------
  const big = await createTestSchema('bench_failover_start');
  const bigStore = await openSqlEventStore({ db, catalog: createCatalog(), schema: big.name });
  let startMs = 0;
  try {
    let shown = 0;
    const t0 = performance.now();
    // Real matches played by the rules, then copied under other stream ids until the log is
    // long enough (playing a million events through the store would take minutes here).
    const seeded = await fillStore(bigStore, { seed: 'bench-failover', players: 2000, events: Math.min(env.BENCH_START_EVENTS, 50_000), concurrency: 16, onProgress: (n) => { if (n - shown >= 20_000) console.log(`  … ${(shown = n).toLocaleString()} events written`); } });
    const seedHead = await bigStore.headPosition();
    const copies = Math.ceil(env.BENCH_START_EVENTS / seedHead) - 1;
    for (let k = 1; k <= copies; k++) {
      await db.query(
        `INSERT INTO "${big.name}".commits (last_position, stream_id, first_version, event_count, first_event_id, last_hash, events)
         SELECT last_position + $1::bigint, stream_id || 'x' || $2::text, first_version, event_count, gen_random_uuid(), last_hash, events FROM "${big.name}".commits WHERE last_position <= $3`,
        [k * seedHead, String(k), seedHead],
      );
    }
    await db.query(`UPDATE "${big.name}".global_position SET last = (SELECT max(last_position) FROM "${big.name}".commits)`);
    const filled = { events: await bigStore.headPosition(), rooms: seeded.rooms * (copies + 1) };
    for (let i = 0; i < 5; i++) await RoomActor.create(battleKind, bigStore, `open-${i}`, battleKind.setup.parse(duelSetup(`oa${i}`, `ob${i}`).setup), '0'.repeat(32));
    console.log(`filled ${filled.events.toLocaleString()} events in ${Math.round((performance.now() - t0) / 1000)} s`);
    const projector = await openProjectionRunner({ db, store: bigStore, schema: big.name, processors: [openRoomsProjection(roomRules)], logger });
    await projector.start();
    await projector.waitFor(await bigStore.headPosition());
    await projector.stop();
    const began = performance.now();
    const started = startGame(big.name);
    const proc = await started;
    startMs = Math.round(performance.now() - began);
    await stop(proc);
    const readyLine = proc.lines.find((line) => line.includes('"msg":"ready"'));
    console.log(`start-up phases: ${readyLine ? JSON.stringify((JSON.parse(readyLine) as { startupMs?: unknown }).startupMs) : '?'}`);
    console.log(`(b) a game process on ${filled.events.toLocaleString()} events: /readyz 200 after ${startMs} ms`);
  } finally {
    await bigStore.close();
    await big.drop();
  }

  sampleChildren();
  const wall = (performance.now() - cpuStart.at) / 1000;
  const other = Math.max(0, (busySeconds() - cpuStart.busy - (ours() - cpuStart.ours)) / wall);
  if (other > 0.25) {
    console.log(`other processes used ${other.toFixed(2)} cores meanwhile: the figures are not trustworthy`);
    exitCode = 1;
  }
  report({
    bench: 'failover',
    rooms: battles.length,
    failover_p50_ms: Math.round(percentile(sorted, 50)),
    failover_max_ms: Math.round(Math.max(0, ...sorted)),
    lost_events: lost,
    duplicate_events: duplicated,
    start_ms_1m_events: startMs,
    other_cpu_cores: Number(other.toFixed(2)),
  });
} finally {
  clearInterval(sampler);
  for (const stopBot of stops) stopBot();
  for (const proc of processes) await stop(proc, 'SIGKILL').catch(() => {});
  await clearRedis().catch(() => {});
  redis.disconnect();
  await store.close();
  await db.close();
  await schema.drop();
}
process.exit(exitCode);
