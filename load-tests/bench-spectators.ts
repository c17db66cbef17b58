// npm run bench:spectators — one battle watched by BENCH_SPECTATORS (5,000) SDK clients in a
// process of their own, through spectator rooms on a second game server process fed from the
// log (as spectators scale apart from match rooms). Measures the delay from a battle tick's
// batch being durable to the watchers seeing the battle's synced `tick` reach it, and the
// battle's own tick time (rules and durable append) with and without the watchers.
//
// The watchers join first, then the battle is measured watched, then alone once they are gone.
// The two players send a command every BENCH_RATE_MS that the rules refuse (recorded, never
// ending the battle), so most ticks append and move the synced state. The watcher process
// and the spectator server run at the lowest CPU priority (nice 19) while measured, as they would run on other
// machines than the battle's in production; other_cpu_cores is what processes outside this
// run (and PostgreSQL) spent meanwhile, from /proc.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { Room } from '@colyseus/sdk';
import { createTestSchema, testDatabaseUrl } from '../events/sql/testing/schema.ts';
import { SignedInClient, tokenMinter } from '../infra/testing/signedIn.ts';
import { duelSetup } from '../rooms/battle/testing/fixtures.e2e.ts';
import { cpuSeconds } from './proc.ts';
import { percentile, report, round } from './stats.ts';

const SPECTATORS = Number(process.env.BENCH_SPECTATORS ?? 5000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const RATE_MS = Number(process.env.BENCH_RATE_MS ?? 250);

function messageWith<T>(child: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (message !== null && typeof message === 'object' && key in message) {
        child.off('message', onMessage);
        resolve(message as T);
      }
    };
    child.on('message', onMessage);
  });
}
function ask<T>(child: ChildProcess, message: object, key: string): Promise<T> {
  const reply = messageWith<T>(child, key);
  child.send(message);
  return reply;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Busy CPU seconds of the whole machine so far (/proc/stat: all but idle and iowait). */
function machineCpuSeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return (total - fields[3]! - fields[4]!) / 100;
}

const jwtSecret = randomBytes(32).toString('base64url');
const schema = await createTestSchema('bench_spectators');
const here = new URL('.', import.meta.url).pathname;
const serverEnv = { ...process.env, DATABASE_URL: testDatabaseUrl, BENCH_SCHEMA: schema.name, PANTHEON_JWT_SECRET: jwtSecret };
const battleServer = fork(`${here}spectators/server.ts`, [], { env: serverEnv });
const spectatorServer = fork(`${here}spectators/server.ts`, [], { env: serverEnv });
const children: ChildProcess[] = [battleServer, spectatorServer];
const stops: Array<() => void> = [];
try {
  const [{ port: battlePort }, { port: spectatorPort }] = await Promise.all([messageWith<{ port: number }>(battleServer, 'port'), messageWith<{ port: number }>(spectatorServer, 'port')]);

  // The battle and its two players (here, in the parent: two clients).
  const tokenFor = tokenMinter(jwtSecret);
  const url = `ws://127.0.0.1:${battlePort}`;
  const players: Room[] = [];
  const host = await new SignedInClient(url, tokenFor).create('battle', { ...duelSetup('bench-a', 'bench-b', { tickLimit: 12_000 }), playerId: 'bench-a' });
  players.push(host, await new SignedInClient(url, tokenFor).joinById(host.roomId, { playerId: 'bench-b' }));
  for (const [i, room] of players.entries()) {
    room.onMessage('refused', () => {});
    room.onMessage('room/status', () => {});
    const playerId = i === 0 ? 'bench-a' : 'bench-b';
    // An oracle that is not theirs: refused and recorded every time, and the battle goes on.
    const timer = setInterval(() => room.send('CastAbility', { oracleId: `${i === 0 ? 'bench-b' : 'bench-a'}-o1`, abilityId: 'strike', targetId: `${playerId}-o1` }), RATE_MS);
    stops.push(() => clearInterval(timer));
  }
  const match = `battle-${host.roomId}`;
  const battleStarted = performance.now();

  // The watchers join the battle's spectator rooms (at normal priority: joining is not measured).
  const watchers = fork(`${here}spectators/watchers.ts`, [], { env: { ...process.env, URL: `ws://127.0.0.1:${spectatorPort}`, MATCH: match, SPECTATORS: String(SPECTATORS), PANTHEON_JWT_SECRET: jwtSecret } });
  children.push(watchers);
  const joinStarted = performance.now();
  const joined = await messageWith<{ joined: number; failed: number; shards: number }>(watchers, 'joined');
  console.log(`[watched] ${joined.joined} watchers in ${joined.shards} spectator rooms (${joined.failed} failed) after ${round((performance.now() - joinStarted) / 1000, 1)} s`);
  // The battle lasts 12,000 ticks (10 min): both phases must fit in what is left of it.
  const leftS = 600 - (performance.now() - battleStarted) / 1000;
  if (leftS < 2 * SECONDS + 15) throw new Error(`the watchers took too long to join (the machine is busy?): ${round(leftS)} s of the battle left, ${2 * SECONDS + 15} s needed`);
  setPriority(spectatorServer.pid!, 19);
  setPriority(watchers.pid!, 19);

  // Phase 1: watched.
  await sleep(3000);
  battleServer.send({ cmd: 'reset' });
  watchers.send({ cmd: 'reset' });
  const ours = () => [process.pid, battleServer.pid!, spectatorServer.pid!, watchers.pid!].reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const cpu0 = { servers: cpuSeconds(battleServer.pid!) + cpuSeconds(spectatorServer.pid!), ours: ours(), machine: machineCpuSeconds() };
  const t0 = performance.now();
  await sleep(SECONDS * 1000);
  const elapsed = (performance.now() - t0) / 1000;
  const cpu1 = { servers: cpuSeconds(battleServer.pid!) + cpuSeconds(spectatorServer.pid!), ours: ours(), machine: machineCpuSeconds() };
  const watched = await ask<{ ticks: number[]; durableAt: Record<number, number> }>(battleServer, { cmd: 'report' }, 'ticks');
  const seen = await ask<{ delays: { count: number; p50: number; p99: number; max: number }; connected: number }>(watchers, { cmd: 'report', durableAt: watched.durableAt }, 'delays');
  console.log(`[watched] ${watched.ticks.length} battle ticks; ${seen.delays.count} tick changes seen by ${seen.connected} connected watchers; delay p50 ${round(seen.delays.p50)} ms, p99 ${round(seen.delays.p99)} ms, max ${round(seen.delays.max)} ms`);

  // Phase 2: the same battle alone, once the watchers are gone.
  watchers.send({ cmd: 'stop' });
  await Promise.race([once(watchers, 'exit'), sleep(10_000)]);
  await sleep(3000);
  battleServer.send({ cmd: 'reset' });
  await sleep(SECONDS * 1000);
  const alone = await ask<{ ticks: number[] }>(battleServer, { cmd: 'report' }, 'ticks');
  console.log(`[alone] ${alone.ticks.length} battle ticks`);

  const p99 = (ticks: number[]) => percentile([...ticks].sort((a, b) => a - b), 99);
  const tickAlone = p99(alone.ticks);
  const tickWatched = p99(watched.ticks);
  console.log(`battle tick p99: ${round(tickAlone, 3)} ms alone, ${round(tickWatched, 3)} ms watched`);
  report({
    bench: 'spectators',
    spectators: seen.connected,
    spectator_delay_p99_ms: round(seen.delays.p99),
    battle_tick_p99_ratio: round(tickWatched / tickAlone),
    server_cpu_cores: round((cpu1.servers - cpu0.servers) / elapsed),
    other_cpu_cores: round(Math.max(0, cpu1.machine - cpu0.machine - (cpu1.ours - cpu0.ours)) / elapsed),
  });
} finally {
  for (const stop of stops) stop();
  for (const server of [battleServer, spectatorServer]) server.send({ cmd: 'stop' });
  await Promise.race([Promise.all([battleServer, spectatorServer].map((s) => once(s, 'exit'))), sleep(10_000)]);
  for (const child of children) child.kill('SIGKILL');
  await schema.drop();
}
process.exit(0);
