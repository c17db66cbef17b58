// Content publishing end to end: admins publish and activate a content version over HTTP on
// a real game server (PostgreSQL store); a battle created afterwards plays with the new
// numbers; another process's registry learns the version from the log, live and at start;
// an audit (in this process, and the `pantheon audit` CLI in a child process) replays the
// battle clean with the published numbers.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { testDatabaseUrl } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { startTestGameServer, type TestGameServer } from '../../infra/testing/gameServer.ts';
import { until } from '../../infra/testing/roomClient.ts';
import { playBattle } from '../../load-tests/bots/battleBot.ts';
import { battleSetup } from '../../load-tests/simulate/room.ts';
import { auditStream } from '../../projections/anticheat/audit.ts';
import { roomRules } from '../../rooms/rulesRegistry.ts';
import type { BattleCreated } from '../../rooms/battle/events.ts';
import { battleKind } from '../../rooms/battle/room.ts';
import { createBattleDecider } from '../../rooms/battle/rules.ts';
import { battleRules } from '../../rooms/battle/rulesVersions.ts';
import type { BattleView } from '../../rooms/battle/state.ts';
import type { ContentInput } from '../../events/content/content.ts';
import { deriveOracle } from '../../events/content/oracle.ts';
import { activeContentVersion, contentByVersion, ContentRegistry, currentContentVersion } from '../../events/content/registry.ts';
import { anyKind, createRulesRegistry } from '../../events/tick/rulesVersions.ts';
import { CONTENT_ACTIVE_STREAM, contentStreamId } from './events.ts';
import { followPublishedContent, loadPublishedContent, type ContentFollower } from './follower.ts';

const bundled = contentByVersion(currentContentVersion);
const NEW = '2026.12.1';

/** The bundled content under another version, changed: plain, unfrozen JSON data. */
function variant(version: string, change: (data: ContentInput) => void = () => {}): ContentInput {
  const data = structuredClone(bundled) as ContentInput;
  data.contentVersion = version;
  change(data);
  return data;
}

/** Sturdier oracles whose blows land twice as hard. */
const rebalanced = variant(NEW, (data) => {
  data.oracle.baseStats.hp += 100;
  for (const ability of data.abilities) {
    ability.effects = ability.effects.map((e) => (e.kind === 'damage' ? { ...e, power: e.power * 2 } : e));
  }
});

let server: TestGameServer;
// "Another process": its own connection to the same store, its own registry and follower.
let otherDb: SqlExecutor;
let otherStore: EventStore;
const otherRegistry = new ContentRegistry();
let otherFollower: ContentFollower;
let localFollower: ContentFollower;

before(async () => {
  server = await startTestGameServer('content_publish', { readSide: true });
  // What infra/main.ts does in the game and audit roles.
  localFollower = await followPublishedContent(server.store, undefined);
  otherDb = await openPgExecutor({ connectionString: testDatabaseUrl });
  otherStore = await openSqlEventStore({ db: otherDb, catalog: createCatalog(), schema: server.schema, pollIntervalMs: 100 });
  otherFollower = await followPublishedContent(otherStore, undefined, { registry: otherRegistry });
});
after(async () => {
  await otherFollower.stop();
  await localFollower.stop();
  await otherStore.close();
  await otherDb.close();
  await server.stop();
});

type Answer = { status: number; body: Record<string, unknown> };
type Caller = { playerId: string; roles?: ('player' | 'admin')[] } | null;
const admin: Caller = { playerId: 'ops', roles: ['player', 'admin'] };

async function call(method: 'GET' | 'POST', path: string, as: Caller, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = as ? { Authorization: `Bearer ${await server.tokenFor(as.playerId, as.roles)}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.httpUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const codeOf = (answer: Answer) => (answer.body.error as { code: string } | undefined)?.code;
const messageOf = (answer: Answer) => (answer.body.error as { message: string } | undefined)?.message ?? '';

describe('publishing', () => {
  test('only admins publish and activate; nothing is appended for anyone else', async () => {
    const player = await call('POST', '/content', { playerId: 'ilsa' }, rebalanced);
    assert.deepEqual([player.status, codeOf(player)], [403, 'auth/forbidden']);
    const anonymous = await call('POST', '/content', null, rebalanced);
    assert.equal(anonymous.status, 401);
    const activation = await call('POST', `/content/${currentContentVersion}/activate`, { playerId: 'ilsa' });
    assert.deepEqual([activation.status, codeOf(activation)], [403, 'auth/forbidden']);
    assert.equal(await server.store.streamVersion(contentStreamId(NEW)), -1);
    assert.equal(await server.store.streamVersion(CONTENT_ACTIVE_STREAM), -1);
  });

  test('invalid content is refused with content/invalid and what is wrong; nothing is appended', async () => {
    const dangling = variant('2026.12.9', (data) => {
      data.oracle.loadout.sun.fire = 'no-such-ability';
    });
    const refused = await call('POST', '/content', admin, dangling);
    assert.deepEqual([refused.status, codeOf(refused)], [400, 'content/invalid']);
    assert.match(messageOf(refused), /unknown ability no-such-ability/);

    const negative = variant('2026.12.9', (data) => {
      data.battle.critChancePercent = -5;
    });
    const alsoRefused = await call('POST', '/content', admin, negative);
    assert.deepEqual([alsoRefused.status, codeOf(alsoRefused)], [400, 'content/invalid']);
    assert.match(messageOf(alsoRefused), /critChancePercent/);

    const notContent = await call('POST', '/content', admin, ['hello']);
    assert.deepEqual([notContent.status, codeOf(notContent)], [400, 'content/invalid']);
    assert.equal(await server.store.streamVersion(contentStreamId('2026.12.9')), -1);
  });

  test('a version is immutable: the same numbers again answer the original, other numbers are a conflict', async () => {
    const first = await call('POST', '/content', admin, rebalanced);
    assert.equal(first.status, 200, messageOf(first));
    assert.deepEqual([first.body.version, first.body.publishedBy], [NEW, 'ops']);

    // Another admin, the same numbers (keys in another order): the original publication.
    const reordered = Object.fromEntries(Object.entries(rebalanced).reverse());
    const again = await call('POST', '/content', { playerId: 'ops-2', roles: ['admin'] }, reordered);
    assert.deepEqual([again.status, again.body], [200, first.body]);

    const changed = await call('POST', '/content', admin, variant(NEW, (data) => { data.battle.minDamage = 7; }));
    assert.deepEqual([changed.status, codeOf(changed)], [409, 'content/version_exists']);
    const bundledAgain = await call('POST', '/content', admin, variant(currentContentVersion));
    assert.deepEqual([bundledAgain.status, codeOf(bundledAgain)], [409, 'content/version_exists']);

    const stream = await server.store.readStream(contentStreamId(NEW));
    assert.deepEqual(stream.map((e) => e.type), ['ContentPublished']);
    const recorded = stream[0]!.data as { version: string; publishedBy: string; data: ContentInput };
    assert.deepEqual([recorded.version, recorded.publishedBy, recorded.data.oracle.baseStats.hp], [NEW, 'ops', bundled.oracle.baseStats.hp + 100]);
  });

  test('activation: unknown versions are refused; anyone can see the versions and the active one', async () => {
    const unknown = await call('POST', '/content/2030.1.1/activate', admin);
    assert.deepEqual([unknown.status, codeOf(unknown)], [404, 'content/unknown_version']);
    const before = await call('GET', '/content', null);
    assert.deepEqual(before, {
      status: 200,
      body: { active: currentContentVersion, versions: [{ version: currentContentVersion, source: 'bundled' }, { version: NEW, source: 'published' }] },
    });

    const activated = await call('POST', `/content/${NEW}/activate`, admin);
    assert.equal(activated.status, 200, messageOf(activated));
    assert.deepEqual([activated.body.version, activated.body.activatedBy], [NEW, 'ops']);
    const listing = await call('GET', '/content', null);
    assert.equal(listing.body.active, NEW);
    assert.equal(activeContentVersion(), NEW);
    const activations = await server.store.readStream(CONTENT_ACTIVE_STREAM);
    assert.deepEqual(activations.map((e) => e.data), [{ version: NEW, activatedBy: 'ops' }]);
  });

  test('another process learns the version from the log: its follower live, and a fresh load at start', async () => {
    const activation = (await server.store.readStream(CONTENT_ACTIVE_STREAM)).at(-1)!;
    await otherFollower.waitFor(activation.position);
    assert.equal(otherRegistry.activeVersion(), NEW);
    assert.equal(otherRegistry.byVersion(NEW).oracle.baseStats.hp, bundled.oracle.baseStats.hp + 100);

    const freshRegistry = new ContentRegistry();
    await loadPublishedContent(otherStore, undefined, freshRegistry);
    assert.equal(freshRegistry.activeVersion(), NEW);
    assert.deepEqual(freshRegistry.versions(), [{ version: currentContentVersion, source: 'bundled' }, { version: NEW, source: 'published' }]);

    // Rolling back to the bundled version reaches the other process too.
    const rollback = await call('POST', `/content/${currentContentVersion}/activate`, admin);
    assert.equal(rollback.status, 200);
    await otherFollower.waitFor(rollback.body.position as number);
    assert.equal(otherRegistry.activeVersion(), currentContentVersion);
    const forward = await call('POST', `/content/${NEW}/activate`, admin);
    await otherFollower.waitFor(forward.body.position as number);
    await localFollower.waitFor(forward.body.position as number);
    assert.equal(otherRegistry.activeVersion(), NEW);
    assert.equal(activeContentVersion(), NEW);
  });
});

describe('a battle under the published version', () => {
  let streamId: string;

  test('is created with the published version and its numbers, and played with them', async () => {
    const r1 = await server.client().create<BattleView>('battle', { setup: battleSetup(['ana', 'bo'], { tickLimit: 120 }), playerId: 'ana' });
    const r2 = await server.client().joinById<BattleView>(r1.roomId, { playerId: 'bo' });
    for (const room of [r1, r2]) {
      room.onMessage('refused', () => {});
      room.onMessage('room/status', () => {});
      await until(room, (s) => s.oracles?.size === 2, 'the line-up');
    }
    const stops = [playBattle(r1, { playerId: 'ana', everyMs: 40 }), playBattle(r2, { playerId: 'bo', everyMs: 40 })];
    await until(r1, (s) => s.status === 'ended', 'the end of the battle', 60_000);
    stops.forEach((stop) => stop());
    await Promise.all([r1.leave(), r2.leave()]);

    streamId = `battle-${r1.roomId}`;
    const events = await server.store.readStream(streamId);
    const created = events[0]!.data as BattleCreated['data'];
    assert.equal(created.contentVersion, NEW);
    for (const oracle of created.participants.flatMap((p) => p.oracles)) {
      assert.equal(oracle.stats.hp, deriveOracle(oracle.chart, bundled).stats.hp + 100, oracle.oracleId);
    }
    assert.ok(events.some((e) => e.type === 'DamageDealt'), 'blows were struck');
  });

  test('audits clean with the published numbers, and diverges at its first blow with the bundled ones', async () => {
    const report = await auditStream(server.store, streamId, { rules: roomRules, catalog: createCatalog() });
    assert.deepEqual([report.verdict, report.contentVersion], ['clean', NEW]);

    const bundledNumbers = createRulesRegistry([
      { ...battleRules, versions: [{ version: 'battle/1', kind: anyKind({ ...battleKind, decider: createBattleDecider(() => bundled) }) }] },
    ]);
    const wrong = await auditStream(server.store, streamId, { rules: bundledNumbers, catalog: createCatalog() });
    const firstBlow = (await server.store.readStream(streamId)).find((e) => e.type === 'DamageDealt')!;
    assert.deepEqual([wrong.verdict, wrong.divergence?.version], ['diverged', firstBlow.version]);
  });

  test('`pantheon audit` in another process loads the version from the log and finds the battle clean', async () => {
    const cli = fileURLToPath(new URL('../../infra/cli/main.ts', import.meta.url));
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [cli, 'audit', streamId, '--json'],
        { env: { PATH: process.env.PATH ?? '', DATABASE_URL: testDatabaseUrl, PANTHEON_DB_SCHEMA: server.schema } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { verdict: string; contentVersion: string };
    assert.deepEqual([report.verdict, report.contentVersion], ['clean', NEW]);
  });
});
