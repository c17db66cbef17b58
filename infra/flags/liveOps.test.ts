// Live operations end to end on a real game server (PostgreSQL store, Redis notifier):
// admins define flags over HTTP, players fetch their manifest (GET /config, ETag, 304), an
// outdated client is refused at sign-in, a battle records the flag value it was created
// with and audits clean after the flag changed, an experiment is recorded once per player
// and counted by its read model, and a rollout rolls back when the injected error rate
// breaks its guard.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { bucketOf } from '../../commands/flags/evaluate.ts';
import { experimentStreamId, LIVEOPS_STREAM } from '../../commands/flags/events.ts';
import { replay } from '../../events/tick/replay.ts';
import { playBattle } from '../../load-tests/bots/battleBot.ts';
import { battleSetup } from '../../load-tests/simulate/room.ts';
import { auditStream } from '../../projections/anticheat/audit.ts';
import { experimentsProjection } from '../../projections/experiments/projection.ts';
import type { BattleCreated } from '../../rooms/battle/events.ts';
import { battleKind } from '../../rooms/battle/room.ts';
import type { BattleView } from '../../rooms/battle/state.ts';
import { roomRules } from '../../rooms/rulesRegistry.ts';
import { createCatalog } from '../catalog.ts';
import { createMetrics } from '../metrics.ts';
import { startTestGameServer, type TestGameServer } from '../testing/gameServer.ts';
import { until } from '../testing/roomClient.ts';
import { startLiveOps } from './liveOps.ts';
import { startRolloutGuard } from './rolloutGuard.ts';

let server: TestGameServer;
before(async () => {
  server = await startTestGameServer('liveops', { liveOps: true, readSide: { processors: [experimentsProjection] } });
});
after(async () => {
  await server.stop();
});

type Answer = { status: number; body: Record<string, unknown>; headers: Headers };
type Caller = { playerId: string; roles?: ('player' | 'admin' | 'auditor')[] } | null;
const admin: Caller = { playerId: 'ops', roles: ['player', 'admin'] };

async function call(method: 'GET' | 'POST', path: string, as: Caller, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const all: Record<string, string> = { ...headers, ...(as ? { Authorization: `Bearer ${await server.tokenFor(as.playerId, as.roles)}` } : {}) };
  if (body !== undefined) all['content-type'] = 'application/json';
  const response = await fetch(`${server.httpUrl}${path}`, { method, headers: all, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}
const codeOf = (answer: Answer) => (answer.body.error as { code: string } | undefined)?.code;
const messageOf = (answer: Answer) => (answer.body.error as { message: string } | undefined)?.message ?? '';
const flagsOf = (answer: Answer) => answer.body.flags as Record<string, { value: unknown; variant?: string }>;

/** Polls until `check` holds, or fails after `ms` naming `what`. */
async function eventually<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('defining flags', () => {
  test('only admins define; a malformed rule is refused naming the field; nothing is recorded for either', async () => {
    const definition = { key: 'shop.new_layout', type: 'boolean', defaultValue: false, rules: [{ platforms: ['steam'], clientVersions: '>=1.4.0', value: true }] };
    const player = await call('POST', '/flags', { playerId: 'ilsa' }, definition);
    assert.deepEqual([player.status, codeOf(player)], [403, 'auth/forbidden']);
    const malformed = await call('POST', '/flags', admin, { ...definition, rules: [{ platforms: ['steam'], clientVersions: 'the new ones', value: true }] });
    assert.deepEqual([malformed.status, codeOf(malformed)], [400, 'flags/invalid']);
    assert.match(messageOf(malformed), /rules\[0\]\.clientVersions|rules\.0\.clientVersions/);
    const mistyped = await call('POST', '/flags', admin, { ...definition, rules: [{ value: 'yes' }] });
    assert.deepEqual([mistyped.status, codeOf(mistyped)], [400, 'flags/invalid']);
    assert.match(messageOf(mistyped), /rules.*value/);
    assert.equal(await server.store.streamVersion(LIVEOPS_STREAM), -1);

    const defined = await call('POST', '/flags', admin, definition);
    assert.deepEqual([defined.status, defined.body], [200, { revision: 1, recorded: ['FlagDefined'] }]);
    const again = await call('POST', '/flags', admin, definition);
    assert.deepEqual([again.status, again.body], [200, { revision: 1, recorded: [] }]);
  });
});

describe('the client manifest', () => {
  const steam = { 'x-pantheon-client': 'steam/1.4.2' };

  test('carries the player’s values, the content version, minimum versions and the server time, with an ETag', async () => {
    const anonymous = await call('GET', '/config', null);
    assert.equal(anonymous.status, 401);
    const onSteam = await call('GET', '/config', { playerId: 'ana' }, undefined, steam);
    assert.equal(onSteam.status, 200);
    assert.deepEqual(flagsOf(onSteam)['shop.new_layout'], { value: true, variant: 'rule-1' });
    assert.equal(typeof onSteam.body.contentVersion, 'string');
    assert.ok(Math.abs((onSteam.body.serverTimeMs as number) - Date.now()) < 60_000);
    assert.match(onSteam.headers.get('etag') ?? '', /^"[0-9a-f]{32}"$/);
    assert.equal(onSteam.headers.get('cache-control'), 'private, no-cache');
    const oldBuild = await call('GET', '/config', { playerId: 'ana' }, undefined, { 'x-pantheon-client': 'steam/1.3.9' });
    assert.deepEqual(flagsOf(oldBuild)['shop.new_layout'], { value: false, variant: 'default' });
    assert.notEqual(oldBuild.headers.get('etag'), onSteam.headers.get('etag'));

    const unchanged = await call('GET', '/config', { playerId: 'ana' }, undefined, { ...steam, 'if-none-match': onSteam.headers.get('etag')! });
    assert.deepEqual([unchanged.status, unchanged.headers.get('etag')], [304, onSteam.headers.get('etag')]);

    const malformed = await call('GET', '/config', { playerId: 'ana' }, undefined, { 'x-pantheon-client': 'switch/1.0.0' });
    assert.deepEqual([malformed.status, codeOf(malformed)], [400, 'client/invalid_header']);
  });

  test('a rule change reaches the manifest and changes its ETag', async () => {
    const before = await call('GET', '/config', { playerId: 'ana' }, undefined, steam);
    const changed = await call('POST', '/flags/shop.new_layout/rules', admin, { rules: [], reason: 'layout bug on steam' });
    assert.deepEqual(changed.body.recorded, ['FlagRuleChanged']);
    const afterChange = await call('GET', '/config', { playerId: 'ana' }, undefined, { ...steam, 'if-none-match': before.headers.get('etag')! });
    assert.equal(afterChange.status, 200);
    assert.deepEqual(flagsOf(afterChange)['shop.new_layout'], { value: false, variant: 'default' });
    const archived = await call('POST', '/flags/shop.new_layout/archive', admin);
    assert.deepEqual(archived.body.recorded, ['FlagArchived']);
    assert.equal(flagsOf(await call('GET', '/config', { playerId: 'ana' }))['shop.new_layout'], undefined);
  });

  test('a client below its platform’s minimum is refused at sign-in with client/outdated; newer and unlabelled ones sign in', async () => {
    const set = await call('POST', '/config/minimum-versions', admin, { platform: 'steam', version: '1.5.0' });
    assert.deepEqual(set.body.recorded, ['MinimumClientVersionSet']);
    const manifest = await call('GET', '/config', { playerId: 'ana' });
    assert.deepEqual(manifest.body.minimumVersions, { steam: '1.5.0' });
    const signIn = (client?: string) => call('POST', '/auth/guest', null, { deviceId: 'device-of-ana-0001' }, client ? { 'x-pantheon-client': client } : {});
    const outdated = await signIn('steam/1.4.9');
    assert.deepEqual([outdated.status, codeOf(outdated), outdated.headers.get('x-pantheon-minimum-version')], [426, 'client/outdated', '1.5.0']);
    assert.match(messageOf(outdated), /1\.5\.0/);
    assert.equal((await signIn('steam/1.5.0')).status, 200);
    assert.equal((await signIn('vr/1.0.0')).status, 200);
    assert.equal((await signIn()).status, 200);
  });

  test('an unknown flag evaluates to the declared default with a warning, never an exception', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
    const other = await startLiveOps({ store: server.store, logger: pino({ level: 'warn' }, sink) });
    try {
      assert.deepEqual((await other.evaluate('no.such_flag', 7, { targetingKey: 'ana' })).value, 7);
      assert.deepEqual((await other.evaluate('no.such_flag', 7, { targetingKey: 'bo' })).value, 7);
      const warnings = lines.map((line) => JSON.parse(line) as { flag?: string; level: number }).filter((line) => line.flag === 'no.such_flag');
      assert.deepEqual(warnings.map((w) => w.level), [40], 'one warning for the key');
    } finally {
      await other.stop();
    }
  });
});

describe('a battle under a flag, and an experiment', () => {
  let streamId: string;

  test('players in an experiment are assigned once, when they first see it', async () => {
    const defined = await call('POST', '/flags', admin, {
      key: 'battle.hud', type: 'string', defaultValue: 'classic', experiment: true, rules: [{ variant: 'compact', percentage: 50, value: 'compact' }],
    });
    assert.equal(defined.status, 200, messageOf(defined));
    for (const player of ['ana', 'bo', 'ana']) await call('GET', '/config', { playerId: player });
    for (const player of ['ana', 'bo']) {
      const stream = await eventually(`${player}'s assignment`, () => server.store.readStream(experimentStreamId('battle.hud', player)), (events) => events.length > 0);
      const expected = bucketOf('battle.hud', player) < 50 ? 'compact' : 'classic';
      assert.deepEqual(stream.map((e) => [e.type, (e.data as { variant: string }).variant === (expected === 'compact' ? 'compact' : 'default')]), [['ExperimentAssigned', true]]);
    }
  });

  test('is created with the flag’s value, recorded in its creation event, and plays by it', async () => {
    await call('POST', '/flags', admin, { key: 'battle.damage_percent', type: 'number', defaultValue: 100, rules: [{ value: 300 }] });
    const r1 = await server.client().create<BattleView>('battle', { setup: battleSetup(['ana', 'bo'], { tickLimit: 120, countdownTicks: 10 }), playerId: 'ana' });
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
    const created = (await server.store.readStream(streamId))[0]!.data as BattleCreated['data'];
    assert.deepEqual(created.flags, { 'battle.damage_percent': 300 });
  });

  test('audits clean after the flag changed, and would diverge had the replay evaluated it again', async () => {
    const changed = await call('POST', '/flags/battle.damage_percent/rules', admin, { rules: [] });
    assert.deepEqual(changed.body.recorded, ['FlagRuleChanged']);
    const report = await auditStream(server.store, streamId, { rules: roomRules, catalog: createCatalog() });
    assert.equal(report.verdict, 'clean');

    const events = await server.store.readStream(streamId);
    const reEvaluated = [{ ...events[0]!, data: { ...(events[0]!.data as BattleCreated['data']), flags: { 'battle.damage_percent': 100 } } }, ...events.slice(1)];
    const result = replay(battleKind, reEvaluated);
    assert.equal(result.ok, false, 'the flag changed the battle');
    const firstBlow = events.find((e) => e.type === 'DamageDealt')!;
    assert.equal(result.ok ? -1 : result.divergence.version, firstBlow.version);

    const next = await server.client().create<BattleView>('battle', { setup: battleSetup(['cy', 'di'], { tickLimit: 120 }), playerId: 'cy' });
    const nextCreated = (await server.store.readStream(`battle-${next.roomId}`))[0]!.data as BattleCreated['data'];
    assert.deepEqual(nextCreated.flags, { 'battle.damage_percent': 100 });
    await next.leave();
  });

  test('the experiments read model counts exposures and the battles of exposed players', async () => {
    const expected = (player: string) => (bucketOf('battle.hud', player) < 50 ? 'compact' : 'default');
    const want = new Map<string, number>();
    for (const player of ['ana', 'bo']) want.set(expected(player), (want.get(expected(player)) ?? 0) + 1);
    const answer = await eventually(
      'the experiment counts',
      () => call('GET', '/experiments', { playerId: 'auditor', roles: ['auditor'] }),
      (a) => (a.body.experiments as { battles: number }[] | undefined)?.reduce((n, v) => n + v.battles, 0) === 2,
    );
    const rows = answer.body.experiments as { experiment: string; variant: string; exposures: number; battles: number; wins: number }[];
    assert.deepEqual(rows.map((r) => [r.experiment, r.variant, r.exposures, r.battles]), [...want].sort().map(([variant, n]) => ['battle.hud', variant, n, n]));
    assert.ok(rows.reduce((n, r) => n + r.wins, 0) <= 1, 'at most one side won');
    assert.equal((await call('GET', '/experiments', { playerId: 'ana' })).status, 403);
  });
});

describe('a staged rollout', () => {
  test('rises step by step while healthy, then rolls back on an injected error rate and records why', async () => {
    const metrics = createMetrics({ processMetrics: false });
    let clock = Date.now();
    const guard = startRolloutGuard({ liveOps: server.liveOps!, health: metrics.health, intervalMs: 3_600_000, now: () => clock });
    try {
      await call('POST', '/flags', admin, { key: 'raid.new_boss', type: 'boolean', defaultValue: false, rules: [{ percentage: 0, value: true }] });
      const started = await call('POST', '/flags/raid.new_boss/rollouts', admin, { rolloutId: 'boss-1', ruleIndex: 0, steps: [10, 50, 100], stepSeconds: 60 });
      assert.deepEqual([started.status, started.body.recorded], [200, ['RolloutStarted', 'FlagRuleChanged']]);
      const player = Array.from({ length: 200 }, (_, i) => `rollout-${i}`).find((id) => bucketOf('raid.new_boss', id) >= 10 && bucketOf('raid.new_boss', id) < 50)!;
      const valueFor = async () => flagsOf(await call('GET', '/config', { playerId: player }))['raid.new_boss']?.value;
      assert.equal(await valueFor(), false, 'outside the first 10%');

      metrics.onTick({ kind: 'battle', durationMs: 1, appended: 300, commands: 200, refused: 4 });
      // A minute after the rollout started (by the server's clock), the next step is due.
      clock = Date.now() + 60_000;
      await guard.check();
      assert.equal(await valueFor(), true, 'inside 50%');

      // What a bad build looks like from the rooms: most commands refused.
      metrics.onTick({ kind: 'battle', durationMs: 1, appended: 100, commands: 100, refused: 60 });
      await guard.check();
      assert.equal(await valueFor(), false, 'back to the rules before the rollout');
      const rolledBack = (await server.store.readStream(LIVEOPS_STREAM)).filter((e) => e.type === 'RolloutRolledBack');
      assert.equal(rolledBack.length, 1);
      const data = rolledBack[0]!.data as { reason: string; observed: { refused: number; commands: number }; rules: unknown };
      assert.match(data.reason, /health guard: refused commands: 60 of 100, more than 20%/);
      assert.deepEqual([data.observed.refused, data.observed.commands, data.rules], [60, 100, [{ percentage: 0, value: true }]]);
      const listing = await call('GET', '/flags', admin);
      const rollout = (listing.body.rollouts as { rolloutId: string; status: string; reason: string }[]).find((r) => r.rolloutId === 'boss-1')!;
      assert.deepEqual([rollout.status, rollout.reason], ['rolled_back', data.reason]);

      // Nothing more happens to a rolled-back rollout, however much time passes.
      clock += 3_600_000;
      await guard.check();
      assert.equal((await server.store.readStream(LIVEOPS_STREAM)).filter((e) => e.type === 'FlagRuleChanged' && (e.data as { key: string }).key === 'raid.new_boss').length, 2);
    } finally {
      guard.stop();
    }
  });
});
