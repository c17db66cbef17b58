// npm run bench:audit — how fast audits and exports run on PostgreSQL.
//
// (a) A 10-minute battle at 20 Hz (12,000 ticks; two players of three oracles, each acting
//     once a second, every other action a cast still on cooldown) and a raid against the
//     Leviathan to its end (~12,000 ticks, four players), played by their rules and appended
//     one tick per commit as a room appends them. Each is audited as `pantheon audit` does
//     (read the stream as stored, verify its hash chain, re-simulate it), and the same
//     re-simulation alone is timed beside it. Speed is match time over audit time.
// (b) Export: the whole log (the two matches plus BENCH_EXPORT_RAIDS more raids) written as
//     NDJSON to /dev/null through `pantheon export`'s code path, against the ceiling of just
//     paging through readAll.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import { openPgExecutor } from '../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl } from '../events/sql/testing/schema.ts';
import type { EventStore } from '../events/store.ts';
import { createCatalog } from '../infra/catalog.ts';
import { exportChunks } from '../infra/cli/export.ts';
import { battleKind } from '../rooms/battle/room.ts';
import { raidKind } from '../rooms/raid/room.ts';
import { auditStream } from '../projections/anticheat/audit.ts';
import { roomRules } from '../rooms/rulesRegistry.ts';
import { battlePlayers, battleSetup, raidPlayers, raidSetup, recordRoom, simulateRoom } from './simulate/room.ts';
import { replay } from '../events/tick/replay.ts';
import { percentile, report, round } from './stats.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const EXPORT_RAIDS = Number(process.env.BENCH_EXPORT_RAIDS ?? 16);
const catalog = createCatalog();
const deps = { rules: roomRules, catalog };

const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

async function timeAudits(store: EventStore, streamId: string, tickHz: number) {
  const full: number[] = [];
  const simulateOnly: number[] = [];
  const kind = streamId.startsWith('battle-') ? battleKind : raidKind;
  let ticks = 0;
  let events = 0;
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    const audited = await auditStream(store, streamId, deps);
    full.push(performance.now() - t0);
    if (audited.verdict !== 'clean') throw new Error(`${streamId} should audit clean, got ${audited.verdict}`);
    ticks = audited.ticks;
    events = audited.events;
    const stored = await store.readStream(streamId);
    const t1 = performance.now();
    const replayed = replay(kind as typeof battleKind, stored);
    simulateOnly.push(performance.now() - t1);
    if (!replayed.ok) throw new Error(`${streamId} should replay`);
  }
  const matchSeconds = ticks / tickHz;
  return {
    ticks, events,
    auditMs: median(full),
    simulateMs: median(simulateOnly),
    realtime: matchSeconds / (median(full) / 1000),
    simulateRealtime: matchSeconds / (median(simulateOnly) / 1000),
  };
}

const schema = await createTestSchema('bench_audit');
const db = await openPgExecutor({ connectionString: testDatabaseUrl, max: 6 });
const store = await openSqlEventStore({ db, catalog, schema: schema.name });
try {
  const generated = performance.now();
  const battle = simulateRoom(
    battleKind,
    { roomId: 'ten-minutes', setup: battleSetup(['ana', 'bo'], { oracles: 3, tickLimit: 12_000 }), seed: 'bench-audit-battle-seed-01' },
    battlePlayers({ everyTicks: 20, spamEvery: 2, healBelowPercent: 80 }),
  );
  if (battle.lastTick !== 12_000) throw new Error(`the battle ended at tick ${battle.lastTick}, not at its 10-minute limit`);
  const raid = simulateRoom(
    raidKind,
    { roomId: 'leviathan', setup: raidSetup(['ka', 'lu', 'mo', 'ny'], { oracles: 3 }), seed: 'bench-audit-raid-seed-0001' },
    raidPlayers({ everyTicks: 20, spamEvery: 5 }),
  );
  await Promise.all([recordRoom(store, battle), recordRoom(store, raid)]);
  console.log(`generated and appended (one commit per tick): battle ${battle.lastTick} ticks / ${battle.events.length} events, raid ${raid.lastTick} ticks / ${raid.events.length} events (${round((performance.now() - generated) / 1000)} s)`);

  const b = await timeAudits(store, battle.streamId, battleKind.tickHz);
  console.log(`(a) battle audit: ${round(b.auditMs)} ms for ${b.ticks} ticks (${b.events} events) = ${round(b.realtime, 0)}x real time; re-simulation alone ${round(b.simulateMs)} ms = ${round(b.simulateRealtime, 0)}x`);
  const r = await timeAudits(store, raid.streamId, raidKind.tickHz);
  console.log(`    raid audit:   ${round(r.auditMs)} ms for ${r.ticks} ticks (${r.events} events) = ${round(r.realtime, 0)}x real time; re-simulation alone ${round(r.simulateMs)} ms = ${round(r.simulateRealtime, 0)}x`);

  // More log for the export to chew on: raids recorded side by side, a commit per tick each.
  const filler = performance.now();
  for (let start = 0; start < EXPORT_RAIDS; start += 8) {
    await Promise.all(Array.from({ length: Math.min(8, EXPORT_RAIDS - start) }, (_, i) => {
      const n = start + i;
      const extra = simulateRoom(raidKind, { roomId: `filler-${n}`, setup: raidSetup([`p${n}a`, `p${n}b`, `p${n}c`, `p${n}d`], { oracles: 3 }), seed: `bench-audit-filler-${n}-seed` }, raidPlayers({ everyTicks: 20 }));
      return recordRoom(store, extra);
    }));
  }
  const head = await store.headPosition();
  console.log(`log for the export: ${head} events (${round((performance.now() - filler) / 1000)} s to append the filler raids)`);

  const exportRuns: number[] = [];
  const readRuns: number[] = [];
  for (let run = 0; run < 3; run++) {
    const counts = { events: 0 };
    const t0 = performance.now();
    await pipeline(Readable.from(exportChunks(store, { from: 1, to: head }, 'ndjson', counts), { highWaterMark: 1 }), createWriteStream('/dev/null'));
    exportRuns.push(counts.events / ((performance.now() - t0) / 1000));
    if (counts.events !== head) throw new Error(`exported ${counts.events} of ${head} events`);

    const t1 = performance.now();
    let read = 0;
    for (let position = 1; position <= head; ) {
      const page = await store.readAll({ fromPosition: position, limit: 10_000, raw: true });
      if (page.length === 0) break;
      read += page.length;
      position = page.at(-1)!.position + 1;
    }
    readRuns.push(read / ((performance.now() - t1) / 1000));
  }
  const exportPerS = median(exportRuns);
  const readPerS = median(readRuns);
  console.log(`(b) export NDJSON: ${round(exportPerS, 0)} events/s; paging readAll alone: ${round(readPerS, 0)} events/s (export at ${round(exportPerS / readPerS)} of it)`);

  report({
    bench: 'audit',
    audit_realtime_multiple: round(b.realtime, 0),
    audit_ms: round(b.auditMs),
    battle_ticks: b.ticks,
    battle_events: b.events,
    resimulate_realtime_multiple: round(b.simulateRealtime, 0),
    raid_audit_realtime_multiple: round(r.realtime, 0),
    raid_ticks: r.ticks,
    raid_events: r.events,
    export_events_per_s: round(exportPerS, 0),
    export_events: head,
    read_ceiling_events_per_s: round(readPerS, 0),
    export_ceiling_ratio: round(exportPerS / readPerS),
  });
} finally {
  await store.close();
  await db.close();
  await schema.drop();
}
