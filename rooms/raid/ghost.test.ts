// Ghost encounters: a raid played on the client is re-simulated from its seed and inputs;
// an honest claim is recorded (and audits clean like any raid), a forged one is refused
// with the first divergence, and nothing of it is written.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { NewEvent } from '../../events/envelope.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { ghostRoutes } from '../../infra/http/ghostRoutes.ts';
import { HttpError } from '../../infra/http/route.ts';
import { auditWorker } from '../../projections/anticheat/auditWorker.ts';
import type { RaidState } from './index.ts';
import { raidKind } from './room.ts';
import { auditStream } from '../../projections/anticheat/audit.ts';
import { auditStreamOf, type AuditCompletedData } from '../../projections/anticheat/events.ts';
import { GhostSubmission, ghostStreamOf, submitGhost, type GhostInput } from './ghost.ts';
import { roomRules } from '../rulesRegistry.ts';
import { raidPlayers, raidSetup, simulateRoom } from '../../load-tests/simulate/room.ts';

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
const catalog = createCatalog();

before(async () => {
  schema = await createTestSchema('ghost');
  db = await openPgExecutor({ connectionString: testDatabaseUrl });
  store = await openSqlEventStore({ db, catalog, schema: schema.name });
});
after(async () => {
  await store.close();
  await db.close();
  await schema.drop();
});

let ghosts = 0;

/** What an honest client submits after playing a raid itself with the same rules. */
function playedOnClient(options: { withLog?: boolean } = {}) {
  const ghostId = `g${++ghosts}`;
  const setup = raidSetup(['ka', 'lu'], { tickLimit: 400 });
  const seed = `ghost-seed-${ghosts}-0000000000`;
  const played = simulateRoom(raidKind, { roomId: ghostId, setup, seed }, raidPlayers({ everyTicks: 10, spamEvery: 6 }));
  const inputs: GhostInput[] = played.events.flatMap((event): GhostInput[] => {
    if (event.type !== 'CommandAccepted' && event.type !== 'CommandRejected') return [];
    const { tick, playerId, command, ref } = event.data as { tick: number; playerId: string; ref?: string; command: { type: string; playerId: string } & Record<string, unknown> };
    const { type, playerId: _self, ...payload } = command;
    return [{ tick, playerId, type, payload, ...(ref === undefined ? {} : { ref }) }];
  });
  const log = played.events.filter((e) => (e.metadata?.tick ?? 0) > 0).map((e) => ({ tick: e.metadata!.tick!, type: e.type, data: structuredClone(e.data) as unknown }));
  const state = played.state as RaidState;
  return {
    body: { ghostId, raid: setup, seed, inputs, claimed: { outcome: state.outcome!, endTick: played.lastTick, ...(options.withLog ? { events: log } : {}) } },
    played,
  };
}

describe('submitGhost', () => {
  test('an honest claim is accepted, recorded as a raid stream that audits clean, and is idempotent', async () => {
    const { body, played } = playedOnClient({ withLog: true });
    assert.ok(body.inputs.length > 20);
    const result = await submitGhost(store, body);
    assert.equal(result.accepted, true, JSON.stringify(result));
    assert.ok(result.accepted);
    assert.deepEqual([result.streamId, result.outcome, result.endTick, result.events], [ghostStreamOf(body.ghostId), body.claimed.outcome, played.lastTick, played.events.length]);

    const stored = await store.readStream(result.streamId);
    assert.deepEqual(stored.map((e) => [e.type, e.data, e.metadata.tick]), played.events.map((e: NewEvent) => [e.type, e.data, e.metadata?.tick]));
    const report = await auditStream(store, result.streamId, { rules: roomRules, catalog });
    assert.deepEqual([report.verdict, report.kind, report.rulesVersion], ['clean', 'raid', 'raid/1']);

    const again = await submitGhost(store, body);
    assert.deepEqual(again, result);
    assert.equal(await store.streamVersion(result.streamId), result.lastVersion);
  });

  test('the audit worker audits recorded ghosts like any finished raid', async () => {
    const { body } = playedOnClient();
    const result = await submitGhost(store, body);
    assert.ok(result.accepted);
    const end = (await store.readStream(result.streamId)).find((e) => e.type === 'RaidEnded')!;
    await auditWorker({ store, rules: roomRules, catalog, logger: pino({ level: 'silent' }) }).react([end]);
    const [audit] = await store.readStream(auditStreamOf(result.streamId));
    assert.equal((audit!.data as AuditCompletedData).verdict, 'clean');
  });

  test('a claimed outcome the inputs do not produce is refused at the end, and nothing is written', async () => {
    const { body } = playedOnClient();
    const forged = { ...body, claimed: { outcome: body.claimed.outcome === 'victory' ? 'defeat' : 'victory', endTick: body.claimed.endTick } };
    const result = await submitGhost(store, forged);
    assert.equal(result.accepted, false);
    assert.ok(!result.accepted);
    assert.equal(result.code, 'ghost/diverged');
    assert.equal(result.divergence?.tick, body.claimed.endTick);
    assert.deepEqual(result.divergence?.diff, [`data.outcome: claimed "${forged.claimed.outcome}", re-simulated "${body.claimed.outcome}"`]);
    assert.equal(await store.streamVersion(ghostStreamOf(body.ghostId)), -1);
  });

  test('a forged blow in the claimed log is refused at its tick, with what differs', async () => {
    const { body } = playedOnClient({ withLog: true });
    const log = body.claimed.events!;
    const index = log.findIndex((e, i) => e.type === 'DamageDealt' && i > 10);
    const blow = log[index]!;
    const real = (blow.data as { amount: number }).amount;
    (blow.data as { amount: number }).amount = real + 500;
    const result = await submitGhost(store, body);
    assert.ok(!result.accepted);
    assert.equal(result.code, 'ghost/diverged');
    assert.deepEqual([result.divergence?.tick, result.divergence?.index], [blow.tick, index]);
    assert.deepEqual(result.divergence?.diff, [`data.amount: claimed ${real + 500}, re-simulated ${real}`]);
    assert.match(result.message, new RegExp(`^the claim and the raid rules part ways at tick ${blow.tick}: data.amount`));
  });

  test('an input the client never sent in time (a blow moved earlier) diverges where the log changes', async () => {
    const { body } = playedOnClient({ withLog: true });
    const cast = body.inputs.findIndex((input, i) => i > 3 && input.type === 'CastAbility');
    const moved = body.inputs.map((input, i) => (i === cast ? { ...input, tick: body.inputs[cast - 1]!.tick } : input));
    const result = await submitGhost(store, { ...body, inputs: moved });
    assert.ok(!result.accepted);
    assert.equal(result.code, 'ghost/diverged');
    assert.ok(result.divergence!.tick <= body.inputs[cast]!.tick);
  });

  test('malformed bodies and impossible inputs are invalid; another ghost under a recorded id is refused', async () => {
    const invalid = await submitGhost(store, { ghostId: 'x', seed: 'short' });
    assert.deepEqual(invalid.accepted === false && [invalid.code, invalid.ghostId], ['ghost/invalid', 'x']);

    const { body } = playedOnClient();
    const late = await submitGhost(store, { ...body, inputs: [...body.inputs, { tick: body.claimed.endTick + 5, playerId: 'ka', type: 'Forfeit', payload: {} }] });
    assert.ok(!late.accepted);
    assert.deepEqual([late.code, late.message], ['ghost/invalid', `inputs run to tick ${body.claimed.endTick + 5} but the raid ended at tick ${body.claimed.endTick}`]);

    assert.equal((await submitGhost(store, body)).accepted, true);
    const other = playedOnClient();
    const taken = await submitGhost(store, { ...other.body, ghostId: body.ghostId });
    assert.ok(!taken.accepted);
    assert.equal(taken.code, 'ghost/already_submitted');
  });
});

describe('ghostRoutes', () => {
  test('POST /ghosts answers the recorded ghost, a 422 ghost/diverged refusal, or 403 to a player not in the party', async () => {
    const [route] = ghostRoutes(store);
    assert.equal(route!.path, '/ghosts');
    const { body } = playedOnClient();
    const parsed = GhostSubmission.parse(body);
    const as = (playerId: string) => ({ params: undefined, query: undefined, headers: undefined, ip: undefined, request: undefined, principal: { playerId, roles: ['player' as const] } });
    await assert.rejects(route!.handle({ ...as('mallory'), body: parsed }), (error: unknown) => error instanceof HttpError && error.status === 403 && error.code === 'auth/forbidden');
    const ok = await route!.handle({ ...as('ka'), body: parsed });
    assert.deepEqual(route!.response.parse(ok), { ghostId: body.ghostId, streamId: ghostStreamOf(body.ghostId), outcome: body.claimed.outcome, endTick: body.claimed.endTick, events: (ok as { events: number }).events, lastVersion: (ok as { lastVersion: number }).lastVersion });

    const forged = playedOnClient().body;
    forged.claimed.endTick += 1;
    await assert.rejects(route!.handle({ ...as('lu'), body: GhostSubmission.parse(forged) }), (error: unknown) => {
      assert.ok(error instanceof HttpError);
      assert.deepEqual([error.status, error.code], [422, 'ghost/diverged']);
      return true;
    });
  });
});
