// The `pantheon` CLI where it used to misbehave: a reader that leaves early (`| head -1`), a
// stream with a broken chain or a missing version, refusal messages that span lines, one
// exact stream to export. A child process on this Node against a real PostgreSQL schema.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { battlePlayers, battleSetup, recordRoom, simulateRoom } from '../../load-tests/simulate/room.ts';
import { battleKind } from '../../rooms/battle/room.ts';
import { forger } from '../../events/testing/tampering.ts';
import { loggableText } from '../../events/players.ts';
import { createCatalog } from '../catalog.ts';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;

before(async () => {
  schema = await createTestSchema('cli_behaviour');
  db = await openPgExecutor({ connectionString: testDatabaseUrl });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name });
});
after(async () => {
  await store.close();
  await db.close();
  await schema.drop();
});

type Run = { code: number; stdout: string; stderr: string };

function pantheon(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { env: { PATH: process.env.PATH ?? '', DATABASE_URL: testDatabaseUrl, PANTHEON_DB_SCHEMA: schema.name }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

let rooms = 0;
async function battle(tickLimit = 300): Promise<string> {
  const played = simulateRoom(battleKind, { roomId: `behaviour-${++rooms}`, setup: battleSetup(['ana', 'bo'], { tickLimit }), seed: `behaviour-seed-${rooms}-000000000` }, battlePlayers({ everyTicks: 4, spamEvery: 3 }));
  await recordRoom(store, played);
  return played.streamId;
}

/** Runs the CLI, reads its first line of output, then closes the pipe as `head -1` does. */
function firstLineThenClose(args: string[]): Promise<{ line: string; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [main, ...args], { env: { PATH: process.env.PATH ?? '', DATABASE_URL: testDatabaseUrl, PANTHEON_DB_SCHEMA: schema.name }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let line: string | undefined;
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (line === undefined && out.includes('\n')) {
        line = out.slice(0, out.indexOf('\n'));
        child.stdout.destroy();
      }
    });
    child.on('exit', (code) => resolve({ line: line ?? out, code, stderr }));
  });
}

describe('a reader that stops early', () => {
  test('replay | head -1: one line read, then exit 0 with nothing on stderr', async () => {
    // Far more than a pipe holds, so the CLI is still writing when its reader leaves.
    const stream = 'battle-long-timeline';
    for (let batch = 0; batch < 10; batch++) {
      await store.append(stream, 'any', Array.from({ length: 400 }, (_, i) => ({ type: 'StateHashed', data: { tick: batch * 400 + i, hash: 'ab'.repeat(32) }, metadata: { tick: batch * 400 + i } })));
    }
    const piped = await firstLineThenClose(['replay', stream]);
    assert.match(piped.line, new RegExp(`^${stream}: versions 0\\.\\.3999`));
    assert.equal(piped.stderr, '');
    assert.equal(piped.code, 0);
  });

  test('export | head -1 ends the same way', async () => {
    const piped = await firstLineThenClose(['export']);
    assert.equal(typeof (JSON.parse(piped.line) as RecordedEvent).streamId, 'string');
    assert.equal(piped.stderr, '');
    assert.equal(piped.code, 0);
  });
});

describe('replay warns about what the timeline cannot show', () => {
  test('a missing version: a warning on stdout and stderr, exit 0; with --strict, exit 1', async () => {
    const stream = await battle();
    const events = await store.readStream(stream);
    const gone = events.find((e) => e.type === 'DamageDealt')!.version;
    await forger(db, schema.name).remove(stream, gone);
    const lenient = await pantheon(['replay', stream, '--no-state']);
    assert.equal(lenient.code, 0, lenient.stderr);
    assert.match(lenient.stdout, new RegExp(`^WARNING: ${stream} is missing version ${gone}: the timeline has a gap there$`, 'm'));
    assert.match(lenient.stderr, new RegExp(`^pantheon: warning: ${stream} is missing version ${gone}`, 'm'));
    assert.match(lenient.stderr, new RegExp(`hash chain broken at version ${gone}`));
    const strict = await pantheon(['replay', stream, '--no-state', '--strict']);
    assert.equal(strict.code, 1);
    const json = JSON.parse((await pantheon(['replay', stream, '--json', '--no-state'])).stdout) as { warnings: string[] };
    assert.equal(json.warnings.length, 2);
  });

  test('an edited event: the chain is broken there', async () => {
    const stream = await battle();
    const damage = (await store.readStream(stream)).find((e) => e.type === 'DamageDealt')!;
    await forger(db, schema.name).edit(stream, damage.version, (data) => { data.amount = 999; });
    const strict = await pantheon(['replay', stream, '--no-state', '--strict']);
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, new RegExp(`^WARNING: ${stream}: hash chain broken at version ${damage.version}: stored hash does not match`, 'm'));
  });

  test('an intact stream: no warning, and --strict exits 0', async () => {
    const stream = await battle();
    const strict = await pantheon(['replay', stream, '--no-state', '--strict']);
    assert.equal(strict.code, 0, strict.stderr);
    assert.doesNotMatch(strict.stdout, /WARNING/);
    assert.equal(strict.stderr, '');
  });
});

describe('refusal messages are one line', () => {
  test('what a room records from a multi-line validation message', () => {
    assert.equal(loggableText('✖ Invalid input\n  → at targetId\r\n✖ Unrecognized key: "x"', 500), '✖ Invalid input; → at targetId; ✖ Unrecognized key: "x"');
  });

  test('the timeline keeps one line per event even for a message recorded over several', async () => {
    const stream = 'battle-multiline-refusal';
    await store.append(stream, 'no_stream', [
      { type: 'CommandRejected', data: { tick: 3, playerId: 'ana', commandType: 'CastAbility', command: null, code: 'command/invalid', message: '✖ Invalid input\n  → at targetId' }, metadata: { tick: 3, actor: 'ana' } },
      { type: 'CommandRejected', data: { tick: 4, playerId: 'ana', commandType: 'Cast\nAbility', command: null, code: 'command/unknown', message: 'no such command' }, metadata: { tick: 4, actor: 'ana' } },
    ]);
    const replay = await pantheon(['replay', stream, '--no-state']);
    assert.equal(replay.code, 0, replay.stderr);
    const timeline = replay.stdout.trim().split('\n').slice(2);
    assert.equal(timeline.length, 2, replay.stdout);
    assert.match(timeline[0]!, /ana ✗ CastAbility: command\/invalid \(✖ Invalid input; → at targetId\)$/);
    assert.match(timeline[1]!, /ana ✗ Cast; Ability: command\/unknown/);
  });
});

describe('export --stream', () => {
  test('one exact stream, not the streams its id is a prefix of', async () => {
    const first = await battle();
    const longer = `${first}0`;
    await store.append(longer, 'no_stream', [{ type: 'StateHashed', data: { tick: 0, hash: '0'.repeat(64) } }]);
    const exported = await pantheon(['export', '--stream', first]);
    assert.equal(exported.code, 0, exported.stderr);
    const events = exported.stdout.trim().split('\n').map((line) => JSON.parse(line) as RecordedEvent);
    assert.deepEqual(events, await store.readStream(first, { raw: true }));
    const typed = await pantheon(['export', '--stream', first, '--type', 'BattleEnded', '--format', 'csv']);
    assert.equal(typed.stdout.trim().split('\n').length, 2);
  });

  test('--stream with --stream-prefix, or a malformed id, is one line and exit 2', async () => {
    for (const args of [['--stream', 'battle-a', '--stream-prefix', 'battle-'], ['--stream', 'not a stream']]) {
      const refused = await pantheon(['export', ...args]);
      assert.equal(refused.code, 2);
      assert.equal(refused.stdout, '');
      assert.equal(refused.stderr.split('\n').filter(Boolean).length, 1, refused.stderr);
    }
  });
});
