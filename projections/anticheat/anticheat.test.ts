// The continuous audit and the anti-cheat read model against real PostgreSQL: the worker
// records one AuditCompleted per finished stream (again and again the same one), the read
// model lists failed audits, superhuman command rates and repeated impossible commands,
// and gives the same rows however its events are batched, live or rebuilt.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import type { BattleState } from '../../rooms/battle/model.ts';
import { battleKind } from '../../rooms/battle/room.ts';
import { auditStreamOf, type AuditCompletedData } from './events.ts';
import { roomRules } from '../../rooms/rulesRegistry.ts';
import { battlePlayers, battleSetup, recordRoom, simulateRoom, type Policy } from '../../load-tests/simulate/room.ts';
import { forger } from '../../events/testing/tampering.ts';
import { createRulesRegistry } from '../../events/tick/rulesVersions.ts';
import type { TickInput } from '../../events/tick/tickCore.ts';
import { openProjectionRunner } from '../runner/runner.ts';
import { createGeneration, readModelTable, tablesOf } from '../runner/tables.ts';
import { anticheatProcessors, anticheatProjection, auditWorker, listFindings, tickRates, type Finding } from './index.ts';

const logger = pino({ level: 'silent' });
const catalog = createCatalog();
let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;

before(async () => {
  schema = await createTestSchema('anticheat');
  db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
  store = await openSqlEventStore({ db, catalog, schema: schema.name, pollIntervalMs: 50 });
});
after(async () => {
  await store.close();
  await db.close();
  await schema.drop();
});

type Cast = { type: 'CastAbility'; playerId: string; oracleId: string; abilityId: string; targetId: string };

/**
 * `bo` plays fairly; `ana` does too, but during ticks 100-119 also fires 40 casts a second
 * (a macro), and every 50 ticks tries to cast with bo's oracle (which her client never offers).
 */
function cheatingDuel(): Policy<BattleState, Cast> {
  const fair = battlePlayers({ everyTicks: 10 });
  return (state, tick) => {
    const inputs: TickInput<Cast>[] = fair(state, tick);
    if (state.status !== 'active') return inputs;
    const ana = state.oracles.find((o) => o.playerId === 'ana')!;
    const bo = state.oracles.find((o) => o.playerId === 'bo')!;
    if (tick >= 100 && tick < 120) {
      for (let i = 0; i < 2; i++) inputs.push({ kind: 'command', playerId: 'ana', command: { type: 'CastAbility', playerId: 'ana', oracleId: ana.oracleId, abilityId: ana.abilityIds[0]!, targetId: bo.oracleId } });
    }
    if (tick % 50 === 0) inputs.push({ kind: 'command', playerId: 'ana', command: { type: 'CastAbility', playerId: 'ana', oracleId: bo.oracleId, abilityId: bo.abilityIds[0]!, targetId: ana.oracleId } });
    return inputs;
  };
}

let rooms = 0;
async function played(policy: Policy<BattleState, Cast> = battlePlayers({ everyTicks: 10 })): Promise<{ streamId: string; events: RecordedEvent[] }> {
  const simulated = simulateRoom(battleKind, { roomId: `ac-${++rooms}`, setup: battleSetup(['ana', 'bo'], { tickLimit: 400 }), seed: `anticheat-seed-${rooms}-0000000` }, policy);
  await recordRoom(store, simulated);
  return { streamId: simulated.streamId, events: await store.readStream(simulated.streamId) };
}

const ending = (events: RecordedEvent[]) => events.find((e) => e.type === 'BattleEnded')!;

describe('audit worker', () => {
  test('records one AuditCompleted per finished stream, whatever number of times it sees the end', async () => {
    const worker = auditWorker({ store, rules: roomRules, catalog, logger });
    const clean = await played();
    const forged = await played();
    const blow = forged.events.filter((e) => e.type === 'DamageDealt')[1]!;
    await forger(db, schema.name).forgeWithValidChain(forged.streamId, blow.version, (data) => { data.amount = 0; });

    await worker.react([ending(clean.events), ending(forged.events)]);
    await worker.react([ending(forged.events), ending(clean.events), ending(forged.events)]);

    const cleanAudits = await store.readStream(auditStreamOf(clean.streamId));
    const forgedAudits = await store.readStream(auditStreamOf(forged.streamId));
    assert.equal(cleanAudits.length, 1);
    assert.equal(forgedAudits.length, 1);
    const cleanVerdict = cleanAudits[0]!.data as AuditCompletedData;
    const forgedVerdict = forgedAudits[0]!.data as AuditCompletedData;
    assert.deepEqual([cleanVerdict.verdict, cleanVerdict.lastVersion, cleanVerdict.rulesVersion], ['clean', clean.events.at(-1)!.version, 'battle/1']);
    assert.deepEqual([forgedVerdict.verdict, forgedVerdict.divergence?.tick, forgedVerdict.divergence?.version], ['diverged', blow.metadata.tick, blow.version]);
    assert.equal(forgedAudits[0]!.metadata.causationId, ending(forged.events).id);
  });

  test('a stream this build cannot replay is recorded as unauditable, and the worker carries on', async () => {
    const game = await played();
    const noBattles = createRulesRegistry(roomRules.kinds.filter((k) => k.name !== 'battle').concat([{ ...roomRules.kinds[0]!, versions: [{ version: 'battle/0', kind: roomRules.kinds[0]!.versions[0]!.kind }], current: 'battle/0' }]));
    await auditWorker({ store, rules: noBattles, catalog, logger }).react([ending(game.events)]);
    const [recorded] = await store.readStream(auditStreamOf(game.streamId));
    const data = recorded!.data as AuditCompletedData;
    assert.deepEqual([data.verdict, data.problem?.code], ['unauditable', 'rules/unknown_version']);
  });
});

describe('anti-cheat read model', () => {
  const projection = anticheatProjection({ tickHz: tickRates(roomRules), endEventTypes: roomRules.endEventTypes, limits: { maxCommandsPerSecond: 15, repeatedImpossible: 5 } });
  let generation = 100;

  /** Applies `events` into a fresh generation of the tables, `batch` events per transaction, and lists the findings. */
  async function project(events: RecordedEvent[], batch: number): Promise<{ findings: Finding[]; leftovers: number }> {
    const g = ++generation;
    await createGeneration(db, schema.name, projection, g);
    const tables = tablesOf(schema.name, projection, g) as Parameters<typeof projection.apply>[2];
    const relevant = events.filter((e) => projection.eventTypes!.has(e.type));
    for (let i = 0; i < relevant.length; i += batch) {
      await db.transaction((tx) => projection.apply(tx, relevant.slice(i, i + batch), tables));
    }
    const [left] = await db.query<{ n: string }>(`SELECT (SELECT count(*) FROM ${tables.rate_windows}) + (SELECT count(*) FROM ${tables.refusal_tallies}) AS n`);
    return { findings: await listFindings(db, tables.findings!, { limit: 1000 }), leftovers: Number(left!.n) };
  }

  test('flags the macro, the impossible casts and the failed audit, and nothing of the fair player', async () => {
    const cheat = await played(cheatingDuel());
    const fair = await played();
    const forged = await played();
    const blow = forged.events.filter((e) => e.type === 'DamageDealt')[0]!;
    await forger(db, schema.name).forgeWithValidChain(forged.streamId, blow.version, (data) => { data.amount = 0; });
    await auditWorker({ store, rules: roomRules, catalog, logger }).react([ending(forged.events), ending(fair.events)]);
    const log = await store.readAll({ fromPosition: 1, limit: 100_000 });

    const { findings, leftovers } = await project(log, 500);
    const of = (stream: string) => findings.filter((f) => f.streamId === stream);
    assert.deepEqual(of(fair.streamId), [], 'a fair match raises nothing');
    assert.equal(leftovers, 0, 'working state is dropped once rooms end');

    const rate = of(cheat.streamId).find((f) => f.kind === 'command_rate')!;
    const macroSecond = cheat.events.filter((e) => (e.type === 'CommandAccepted' || e.type === 'CommandRejected') && (e.data as { playerId: string }).playerId === 'ana' && e.metadata.tick! >= 100 && e.metadata.tick! < 120).length;
    assert.equal(rate.playerId, 'ana');
    assert.deepEqual(rate.detail, { limitPerSecond: 15, seconds: 1, peakPerSecond: macroSecond, lastTick: 119 });
    assert.ok(macroSecond > 40);
    const refusals = of(cheat.streamId).filter((f) => f.kind === 'repeated_refusal');
    const impossible = refusals.find((f) => f.detail.code === 'battle/not_your_oracle')!;
    assert.deepEqual([impossible.playerId, impossible.detail.impossible, impossible.detail.count], ['ana', true, 8]);
    assert.equal(impossible.tick, 250, 'flagged at the fifth attempt');
    // The macro's casts were refused as on cooldown often enough to be a finding of their own.
    const hammering = refusals.find((f) => f.detail.code === 'battle/on_cooldown')!;
    assert.deepEqual([hammering.playerId, hammering.detail.impossible, hammering.detail.count], ['ana', false, 40]);
    assert.equal(of(cheat.streamId).length, 3);

    const [audit] = of(forged.streamId);
    assert.deepEqual([audit?.kind, audit?.tick, audit?.version], ['diverged', blow.metadata.tick, blow.version]);
  });

  test('gives the same rows however the events are batched', async () => {
    await played(cheatingDuel());
    const log = await store.readAll({ fromPosition: 1, limit: 100_000 });
    const whole = await project(log, 100_000);
    const oneByOne = await project(log, 1);
    const sevens = await project(log, 7);
    assert.ok(whole.findings.length >= 3);
    assert.deepEqual(oneByOne, whole);
    assert.deepEqual(sevens, whole);
  });
});

describe('through the projection runner', () => {
  test('a finished match is audited and its findings listed live, and a rebuild gives the same rows', async () => {
    const runner = await openProjectionRunner({ db, store, schema: schema.name, processors: anticheatProcessors({ store, rules: roomRules, catalog, logger }), logger, batchSize: 50 });
    try {
      await runner.start();
      const cheat = await played(cheatingDuel());
      const auditStream = auditStreamOf(cheat.streamId);
      // The worker's AuditCompleted is itself an event the read model then takes in.
      const deadline = Date.now() + 20_000;
      while ((await store.streamVersion(auditStream)) < 0) {
        assert.ok(Date.now() < deadline, 'the audit worker recorded the audit');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await runner.waitFor(await store.headPosition());
      const audits = readModelTable(schema.name, 'anticheat', 'audits');
      const findings = readModelTable(schema.name, 'anticheat', 'findings');
      const [row] = await db.query<{ verdict: string }>(`SELECT verdict FROM ${audits} WHERE stream_id = $1`, [cheat.streamId]);
      assert.equal(row?.verdict, 'clean');
      const live = await listFindings(db, findings, { streamId: cheat.streamId });
      assert.deepEqual(live.map((f) => `${f.kind} ${f.playerId}`).sort(), ['command_rate ana', 'repeated_refusal ana', 'repeated_refusal ana']);

      const everything = await listFindings(db, findings, { limit: 1000 });
      await runner.rebuild(['anticheat']);
      assert.deepEqual(await listFindings(db, findings, { limit: 1000 }), everything);
    } finally {
      await runner.stop();
    }
  });
});
