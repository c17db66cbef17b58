// The `pantheon` CLI as a user runs it: a child process on this Node, configured by the
// same environment as the server, against streams in a real PostgreSQL schema.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { battleKind } from '../../rooms/battle/room.ts';
import { raidKind } from '../../rooms/raid/room.ts';
import { battlePlayers, battleSetup, raidPlayers, raidSetup, recordRoom, simulateRoom } from '../../load-tests/simulate/room.ts';
import { forger } from '../../events/testing/tampering.ts';
import { createCatalog } from '../catalog.ts';
import { csvColumns } from './export.ts';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const shim = fileURLToPath(new URL('./pantheon.js', import.meta.url));

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
let scratch: string;

before(async () => {
  schema = await createTestSchema('cli');
  db = await openPgExecutor({ connectionString: testDatabaseUrl });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name });
  scratch = await mkdtemp(path.join(tmpdir(), 'pantheon-cli-'));
});
after(async () => {
  await store.close();
  await db.close();
  await schema.drop();
  await rm(scratch, { recursive: true, force: true });
});

type Run = { code: number; stdout: string; stderr: string };

function pantheon(args: string[], env: Record<string, string> = {}, entry = main): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [entry, ...args],
      { env: { PATH: process.env.PATH ?? '', DATABASE_URL: testDatabaseUrl, PANTHEON_DB_SCHEMA: schema.name, ...env }, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let rooms = 0;
async function battle(): Promise<string> {
  const played = simulateRoom(battleKind, { roomId: `cli-${++rooms}`, setup: battleSetup(['ana', 'bo'], { tickLimit: 500 }), seed: `cli-test-seed-${rooms}-00000000` }, battlePlayers({ everyTicks: 10, spamEvery: 4 }));
  await recordRoom(store, played);
  return played.streamId;
}

/** A one-line error on stderr, nothing on stdout, and a failing exit status. */
function assertOneLineError(run: Run, pattern: RegExp): void {
  assert.notEqual(run.code, 0);
  assert.equal(run.stdout, '');
  const lines = run.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `one line, got: ${run.stderr}`);
  assert.match(lines[0]!, pattern);
}

describe('pantheon audit', () => {
  test('a clean battle: verdict clean as JSON, exit 0', async () => {
    const stream = await battle();
    const run = await pantheon(['audit', stream, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { stream: string; verdict: string; rulesVersion: string };
    assert.deepEqual([report.stream, report.verdict, report.rulesVersion], [stream, 'clean', 'battle/1']);
  });

  test('an edited row: tampered at its version, exit 1, and a readable line without --json', async () => {
    const stream = await battle();
    const damage = (await store.readStream(stream)).find((e) => e.type === 'DamageDealt')!;
    await forger(db, schema.name).edit(stream, damage.version, (data) => { data.amount = 777; });
    const run = await pantheon(['audit', stream, '--json']);
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as { verdict: string; tampered: { version: number } };
    assert.deepEqual([report.verdict, report.tampered.version], ['tampered', damage.version]);
    const human = await pantheon(['audit', stream]);
    assert.equal(human.code, 1);
    assert.equal(human.stdout.trim(), `${stream}: TAMPERED at version ${damage.version}: stored hash does not match its content and predecessor (battle rules battle/1)`);
  });

  test('a forged outcome with a valid chain: diverged at its tick, expected and actual, exit 1', async () => {
    const stream = await battle();
    const ended = (await store.readStream(stream)).find((e) => e.type === 'BattleEnded')!;
    const reason = (ended.data as { reason: string }).reason;
    const forgedReason = reason === 'forfeit' ? 'defeat' : 'forfeit';
    await forger(db, schema.name).forgeWithValidChain(stream, ended.version, (data) => { data.reason = forgedReason; });
    const run = await pantheon(['audit', stream, '--json']);
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as { verdict: string; divergence: { tick: number; version: number; expected: { data: { reason: string } }; actual: { data: { reason: string } }; diff: string[] } };
    assert.equal(report.verdict, 'diverged');
    assert.deepEqual([report.divergence.tick, report.divergence.version], [ended.metadata.tick, ended.version]);
    assert.deepEqual([report.divergence.expected.data.reason, report.divergence.actual.data.reason], [forgedReason, reason]);
    const human = await pantheon(['audit', stream]);
    assert.match(human.stdout, new RegExp(`^${stream}: DIVERGED at tick ${ended.metadata.tick} \\(version ${ended.version}; battle rules battle/1\\)\\n`));
    assert.match(human.stdout, new RegExp(`  data.reason: recorded "${forgedReason}", re-simulated "${reason}"`));
  });

  test('--since a position audits every room stream written from there, one JSON line each', async () => {
    const head = await store.headPosition();
    const first = await battle();
    const raid = simulateRoom(raidKind, { roomId: `cli-raid-${rooms}`, setup: raidSetup(['ka', 'lu'], { tickLimit: 200 }), seed: 'cli-raid-seed-00000001' }, raidPlayers());
    await recordRoom(store, raid);
    await store.append('wallet-ana', 'any', [{ type: 'StateHashed', data: { tick: 0, hash: '0'.repeat(64) } }]);
    const run = await pantheon(['audit', '--since', String(head + 1), '--json']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { stream: string; verdict: string });
    assert.deepEqual(lines.map((l) => [l.stream, l.verdict]), [[first, 'clean'], [raid.streamId, 'clean']]);
  });

  test('--since a time ago finds the streams written since then', async () => {
    const stream = await battle();
    const run = await pantheon(['audit', '--since', '10m', '--json']);
    assert.ok(run.stdout.split('\n').some((line) => line.includes(`"stream":"${stream}"`)), run.stderr);
  });
});

describe('pantheon replay', () => {
  test('the timeline and the state folded at a version', async () => {
    const stream = await battle();
    const events = await store.readStream(stream);
    const cut = events.find((e) => e.type === 'DamageDealt')!;
    const run = await pantheon(['replay', stream, '--until-version', String(cut.version), '--json']);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { kind: string; until: { version: number }; events: { version: number; type: string }[]; state: { oracles: { oracleId: string; hp: number }[] } };
    assert.equal(out.kind, 'battle');
    assert.deepEqual(out.events.map((e) => e.version), events.slice(0, cut.version + 1).map((e) => e.version));
    const hit = cut.data as { targetId: string; hpAfter: number };
    assert.equal(out.state.oracles.find((o) => o.oracleId === hit.targetId)?.hp, hit.hpAfter);

    const human = await pantheon(['replay', stream, '--until-tick', String(cut.metadata.tick)]);
    assert.match(human.stdout, /CommandAccepted +(ana|bo) → CastAbility/);
    assert.match(human.stdout, new RegExp(`state at version \\d+, tick ${cut.metadata.tick}:`));
  });
});

describe('pantheon export', () => {
  test('NDJSON parsed back equals the store\'s events, through the installed bin shim', async () => {
    await battle();
    const out = path.join(scratch, 'all.ndjson');
    const run = await pantheon(['export', '--out', out], {}, shim);
    assert.equal(run.code, 0, run.stderr);
    const exported = (await readFile(out, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as RecordedEvent);
    const stored = await store.readAll({ fromPosition: 1, limit: 1_000_000, raw: true });
    assert.ok(stored.length > 100);
    assert.deepEqual(exported, stored);
  });

  test('filters by stream prefix, type and position range, to stdout', async () => {
    const stream = await battle();
    const events = await store.readStream(stream, { raw: true });
    const from = events[0]!.position;
    const to = events.at(-1)!.position;
    const run = await pantheon(['export', '--stream-prefix', stream, '--type', 'DamageDealt,BattleEnded', '--from', String(from), '--to', String(to)]);
    assert.equal(run.code, 0, run.stderr);
    const exported = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as RecordedEvent);
    assert.deepEqual(exported, events.filter((e) => e.type === 'DamageDealt' || e.type === 'BattleEnded'));
  });

  test('CSV has a header and one parseable row per event', async () => {
    const stream = await battle();
    const events = await store.readStream(stream, { raw: true });
    const run = await pantheon(['export', '--stream-prefix', stream, '--format', 'csv']);
    assert.equal(run.code, 0, run.stderr);
    const [header, ...rows] = run.stdout.trim().split('\n');
    assert.equal(header, csvColumns.join(','));
    assert.equal(rows.length, events.length);
    // data is a quoted JSON field: "{""a"":1}" → {"a":1}
    const last = rows.at(-1)!;
    const dataField = /,"(\{.*?\})",/.exec(last)![1]!.replaceAll('""', '"');
    assert.deepEqual(JSON.parse(dataField), events.at(-1)!.data);
  });
});

describe('pantheon projections', () => {
  test('rebuild fills a read model from the whole log; status then shows it caught up', async () => {
    await battle();
    const head = await store.headPosition();
    const rebuilt = await pantheon(['projections', 'rebuild', 'anticheat', '--json']);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    const report = JSON.parse(rebuilt.stdout) as { projections: string[]; position: number; events: number };
    assert.deepEqual([report.projections, report.position, report.events], [['anticheat'], head, head]);

    const status = await pantheon(['projections', 'status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    const { projections } = JSON.parse(status.stdout) as { projections: { name: string; kind: string; position: number; lagEvents: number }[] };
    const anticheat = projections.find((p) => p.name === 'anticheat');
    assert.deepEqual([anticheat?.kind, anticheat?.position, anticheat?.lagEvents], ['projection', head, 0]);
    assert.equal(projections.find((p) => p.name === 'audit_worker')?.kind, 'reactor');
    const human = await pantheon(['projections', 'status']);
    assert.match(human.stdout, new RegExp(`^anticheat +projection +${head} +0  caught up$`, 'm'));
  });

  test('rebuilding what is not a projection is refused by name', async () => {
    assertOneLineError(await pantheon(['projections', 'rebuild', 'leaderboard']), /^pantheon: unknown projection leaderboard; known: .*anticheat/);
    assertOneLineError(await pantheon(['projections', 'rebuild', 'audit_worker']), /audit_worker is a reactor/);
  });
});

describe('errors: one clear line, non-zero exit', () => {
  test('an unknown stream', async () => {
    assertOneLineError(await pantheon(['audit', 'battle-nobody-played']), /^pantheon: there is no stream battle-nobody-played$/);
    assertOneLineError(await pantheon(['replay', 'battle-nobody-played']), /^pantheon: there is no stream battle-nobody-played$/);
  });

  test('a bad range', async () => {
    const stream = await battle();
    const last = (await store.readStream(stream)).at(-1)!;
    assertOneLineError(await pantheon(['replay', stream, '--until-version', String(last.version + 5)]), new RegExp(`past the end of ${stream}, which has versions 0\\.\\.${last.version}`));
    assertOneLineError(await pantheon(['replay', stream, '--until-tick', '-4']), /--until-tick: must be 0 or more/);
    assertOneLineError(await pantheon(['export', '--from', '50', '--to', '10']), /--to: the range ends before it starts/);
    assertOneLineError(await pantheon(['export', '--from', 'yesterday-ish']), /--from: "yesterday-ish" is neither a position/);
  });

  test('an unreachable database', async () => {
    const run = await pantheon(['audit', 'battle-x'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' });
    assertOneLineError(run, /^pantheon: cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/test: .*ECONNREFUSED/);
    assert.equal(run.code, 2);
  });

  test('no embedded store where PANTHEON_DATA_DIR points', async () => {
    const run = await pantheon(['audit', 'battle-x'], { DATABASE_URL: '', PANTHEON_DATA_DIR: path.join(scratch, 'nowhere') });
    assertOneLineError(run, /^pantheon: no embedded store at .*nowhere\/pglite: set DATABASE_URL/);
  });

  test('bad arguments', async () => {
    assertOneLineError(await pantheon(['audit']), /give a stream, or --since/);
    assertOneLineError(await pantheon(['audit', 'battle-x', '--since', '5']), /give a stream, or --since/);
    assertOneLineError(await pantheon(['audit', 'not a stream']), /^pantheon: <stream>: stream ids look like <kind>-<id>/);
    assertOneLineError(await pantheon(['export', '--format', 'xml']), /--format: must be ndjson or csv/);
    assertOneLineError(await pantheon(['replay', 'battle-x', '--until-tick', '3', '--until-version', '2']), /not both/);
    assertOneLineError(await pantheon(['teleport']), /^pantheon: error: unknown command 'teleport'$/);
  });

  test('--help on every command, exit 0', async () => {
    for (const command of [[], ['replay'], ['audit'], ['export'], ['projections'], ['projections', 'status'], ['projections', 'rebuild']]) {
      const run = await pantheon([...command, '--help']);
      assert.equal(run.code, 0, `${command.join(' ')} --help`);
      assert.match(run.stdout, /^Usage: pantheon/);
    }
  });
});
