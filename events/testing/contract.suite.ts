// The contract every EventStore adapter passes, run unchanged against each of them
// (postgres.test.ts, pglite.test.ts, eventstoredb/eventStoreDb.test.ts). Tampering goes
// straight to the adapter's tables; an adapter whose storage cannot be edited that way
// (EventStoreDB: events are immutable) says so in its capabilities and proves its own
// tamper evidence beside the suite.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { defineEvent, EventCatalog } from '../catalog.ts';
import type { RecordedEvent } from '../envelope.ts';
import { EventDecodeError, ExpectedVersionConflict, IdempotencyConflict, InvalidAppend } from '../errors.ts';
import { verifyStream } from '../hashChain.ts';
import type { EventStore } from '../store.ts';

export type ContractHarness = {
  /** Opens a store over the harness's one database (again and again, e.g. with a newer catalog). */
  open(catalog: EventCatalog): Promise<EventStore>;
  /** Runs SQL on the adapter's tables; `__SCHEMA__` stands for the store's schema (SQL adapters). */
  tamper?(sql: string, params?: unknown[]): Promise<void>;
  cleanup(): Promise<void>;
};

const OracleSummoned = defineEvent('OracleSummoned', z.object({ oracle: z.string().min(1), power: z.number().int().nonnegative() }));
const OracleFell = defineEvent('OracleFell', z.object({ oracle: z.string().min(1) }));
/** Version 2 renamed `power` to `might`; version-1 events must still read. */
const OracleSummonedV2 = defineEvent('OracleSummoned', z.object({ oracle: z.string().min(1), might: z.number().int().nonnegative() }), {
  schemaVersion: 2,
  upcasters: { 1: (data) => { const { power, ...rest } = data as { power: number }; return { ...rest, might: power }; } },
});

const summoned = (oracle: string, power = 1) => ({ type: 'OracleSummoned', data: { oracle, power } });
const fell = (oracle: string) => ({ type: 'OracleFell', data: { oracle } });
let streamCounter = 0;
const freshStream = (kind = 'battle') => `${kind}-${++streamCounter}x${process.pid}`;

async function collect(iterable: AsyncIterable<RecordedEvent>, count: number): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  if (count === 0) return out;
  for await (const event of iterable) {
    out.push(event);
    if (out.length === count) break;
  }
  return out;
}

/** What an adapter's storage allows; the SQL adapters have both (the defaults). */
export type ContractCapabilities = {
  /** The harness can edit stored events with SQL (`tamper`). */
  sqlTampering?: boolean;
  /** An event id is unique across all streams, not only within its stream. */
  globalEventIds?: boolean;
};

export function eventStoreContract(adapter: string, makeHarness: () => Promise<ContractHarness>, capabilities: ContractCapabilities = {}): void {
  const { sqlTampering = true, globalEventIds = true } = capabilities;
  describe(`EventStore contract: ${adapter}`, () => {
    let harness: ContractHarness;
    let store: EventStore;
    const catalog = new EventCatalog([OracleSummoned, OracleFell]);

    before(async () => {
      harness = await makeHarness();
      store = await harness.open(catalog);
    });
    after(async () => {
      await store.close();
      await harness.cleanup();
    });

    describe('append and read', () => {
      test('appends a new stream at versions 0..n-1 with increasing global positions', async () => {
        const stream = freshStream();
        const result = await store.append(stream, 'no_stream', [summoned('pyra', 3), summoned('thalassa'), fell('pyra')]);
        assert.equal(result.nextExpectedVersion, 2);
        assert.deepEqual(result.events.map((e) => e.version), [0, 1, 2]);
        assert.deepEqual(result.positions, [result.positions[0]!, result.positions[0]! + 1, result.positions[0]! + 2]);
        const read = await store.readStream(stream);
        assert.deepEqual(read.map((e) => [e.type, e.data]), [
          ['OracleSummoned', { oracle: 'pyra', power: 3 }],
          ['OracleSummoned', { oracle: 'thalassa', power: 1 }],
          ['OracleFell', { oracle: 'pyra' }],
        ]);
        assert.deepEqual(read, result.events);
      });

      test('keeps the envelope: ids, metadata, schema version, recorded-at', async () => {
        const stream = freshStream();
        const id = '0190a8f0-0000-7000-8000-000000000001';
        const metadata = { correlationId: 'corr-1', causationId: 'cause-1', actor: 'player-7', tick: 42 };
        await store.append(stream, 'any', [{ id, ...summoned('gaia'), metadata }]);
        const [event] = await store.readStream(stream);
        assert.equal(event!.id, id);
        assert.equal(event!.schemaVersion, 1);
        assert.deepEqual({ ...event!.metadata, recordedAt: undefined }, { ...metadata, recordedAt: undefined });
        assert.ok(!Number.isNaN(Date.parse(event!.metadata.recordedAt)));
        assert.match(event!.hash, /^[0-9a-f]{64}$/);
      });

      test('an unknown stream reads as empty, not an error', async () => {
        assert.deepEqual(await store.readStream(freshStream('nowhere')), []);
        assert.equal(await store.streamVersion(freshStream('nowhere')), -1);
      });

      test('reads forwards and backwards, from a version, with a limit, across commits', async () => {
        const stream = freshStream();
        for (let i = 0; i < 5; i++) await store.append(stream, 'any', [summoned(`a${i}`), summoned(`b${i}`)]);
        const oracles = (events: RecordedEvent[]) => events.map((e) => (e.data as { oracle: string }).oracle);
        assert.deepEqual(oracles(await store.readStream(stream, { fromVersion: 3, limit: 4 })), ['b1', 'a2', 'b2', 'a3']);
        assert.deepEqual(oracles(await store.readStream(stream, { direction: 'backwards', limit: 3 })), ['b4', 'a4', 'b3']);
        assert.deepEqual(oracles(await store.readStream(stream, { direction: 'backwards', fromVersion: 2 })), ['a1', 'b0', 'a0']);
        assert.deepEqual((await store.readStream(stream, { fromVersion: 10 })).length, 0);
      });

      test('readAll returns every stream in one global order', async () => {
        const from = (await store.headPosition()) + 1;
        const a = freshStream();
        const b = freshStream('raid');
        await store.append(a, 'any', [summoned('x')]);
        await store.append(b, 'any', [summoned('y'), summoned('z')]);
        await store.append(a, 'any', [fell('x')]);
        const all = await store.readAll({ fromPosition: from });
        assert.deepEqual(all.map((e) => [e.streamId, e.version]), [[a, 0], [b, 0], [b, 1], [a, 1]]);
        assert.deepEqual(all.map((e) => e.position), [from, from + 1, from + 2, from + 3]);
        assert.deepEqual((await store.readAll({ fromPosition: from + 1, limit: 2 })).map((e) => e.position), [from + 1, from + 2]);
        assert.equal(await store.headPosition(), from + 3);
      });
    });

    describe('expected versions', () => {
      test('any appends whether or not the stream exists', async () => {
        const stream = freshStream();
        await store.append(stream, 'any', [summoned('a')]);
        const second = await store.append(stream, 'any', [summoned('b')]);
        assert.equal(second.nextExpectedVersion, 1);
      });

      test('no_stream refuses an existing stream, naming its version', async () => {
        const stream = freshStream();
        await store.append(stream, 'no_stream', [summoned('a'), summoned('b')]);
        await assert.rejects(store.append(stream, 'no_stream', [summoned('c')]), (error: unknown) => {
          assert.ok(error instanceof ExpectedVersionConflict);
          assert.deepEqual([error.streamId, error.expected, error.actual, error.code], [stream, 'no_stream', 1, 'store/expected_version_conflict']);
          return true;
        });
      });

      test('stream_exists refuses a missing stream', async () => {
        const stream = freshStream();
        await assert.rejects(store.append(stream, 'stream_exists', [summoned('a')]), { name: 'ExpectedVersionConflict', actual: -1 });
        await store.append(stream, 'any', [summoned('a')]);
        assert.equal((await store.append(stream, 'stream_exists', [summoned('b')])).nextExpectedVersion, 1);
      });

      test('an exact version appends only at that version', async () => {
        const stream = freshStream();
        await store.append(stream, -1, [summoned('a')]);
        await store.append(stream, 0, [summoned('b')]);
        await assert.rejects(store.append(stream, 0, [summoned('c')]), { name: 'ExpectedVersionConflict', expected: 0, actual: 1 });
        await assert.rejects(store.append(stream, 5, [summoned('c')]), { name: 'ExpectedVersionConflict', expected: 5, actual: 1 });
        assert.equal((await store.readStream(stream)).length, 2);
      });

      test('two writers at the same version: exactly one wins', async () => {
        const stream = freshStream();
        await store.append(stream, 'no_stream', [summoned('a')]);
        const outcomes = await Promise.allSettled([0, 1, 2, 3].map((i) => store.append(stream, 0, [summoned(`w${i}`)])));
        assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
        assert.equal((await store.readStream(stream)).length, 2);
      });

      test('concurrent appends with any all land, at contiguous versions', async () => {
        const stream = freshStream();
        await Promise.all(Array.from({ length: 20 }, (_, i) => store.append(stream, 'any', [summoned(`c${i}`)])));
        assert.deepEqual((await store.readStream(stream)).map((e) => e.version), Array.from({ length: 20 }, (_, i) => i));
      });

      test("one stream's conflict in a group of appends fails that append only", async () => {
        const streams = Array.from({ length: 30 }, () => freshStream());
        await Promise.all(streams.map((s) => store.append(s, 'no_stream', [summoned('first')])));
        const outcomes = await Promise.allSettled(
          streams.map((s, i) => store.append(s, i === 13 ? 7 : 0, [summoned('second')])),
        );
        assert.deepEqual(outcomes.map((o) => o.status), streams.map((_, i) => (i === 13 ? 'rejected' : 'fulfilled')));
        for (const [i, s] of streams.entries()) assert.equal(await store.streamVersion(s), i === 13 ? 0 : 1);
      });
    });

    describe('idempotency', () => {
      test('re-appending the same event ids returns the original positions and writes nothing', async () => {
        const stream = freshStream();
        const events = [
          { id: '0190a8f0-0000-7000-8000-0000000000a1', ...summoned('a') },
          { id: '0190a8f0-0000-7000-8000-0000000000a2', ...summoned('b') },
        ];
        const first = await store.append(stream, 'no_stream', events);
        const head = await store.headPosition();
        const again = await store.append(stream, 'no_stream', events);
        const againAny = await store.append(stream, 'any', events);
        assert.deepEqual(again.positions, first.positions);
        assert.deepEqual(againAny.positions, first.positions);
        assert.equal(again.nextExpectedVersion, 1);
        assert.equal(await store.headPosition(), head);
        assert.equal((await store.readStream(stream)).length, 2);
      });

      test('the same event id with other content is refused', async () => {
        const stream = freshStream();
        const id = '0190a8f0-0000-7000-8000-0000000000b1';
        await store.append(stream, 'any', [{ id, ...summoned('a', 1) }]);
        await assert.rejects(store.append(stream, 'any', [{ id, ...summoned('a', 2) }]), (error: unknown) => {
          assert.ok(error instanceof IdempotencyConflict);
          assert.equal(error.eventId, id);
          return true;
        });
        assert.equal((await store.readStream(stream)).length, 1);
      });

      if (globalEventIds) {
        test('an event id already used in another stream is refused', async () => {
          const id = '0190a8f0-0000-7000-8000-0000000000b2';
          await store.append(freshStream(), 'any', [{ id, ...summoned('a', 1) }]);
          await assert.rejects(store.append(freshStream(), 'any', [{ id, ...summoned('a', 1) }]), IdempotencyConflict);
        });
      }
    });

    describe('bad input', () => {
      test('malformed data is refused before anything is written', async () => {
        const stream = freshStream();
        const head = await store.headPosition();
        await assert.rejects(
          store.append(stream, 'any', [summoned('ok'), { type: 'OracleSummoned', data: { oracle: '', power: -1 } }]),
          (error: unknown) => error instanceof EventDecodeError && error.streamId === stream && error.eventType === 'OracleSummoned',
        );
        await assert.rejects(store.append(stream, 'any', [{ type: 'OracleWandered', data: {} }]), /unknown event type OracleWandered/);
        await assert.rejects(store.append(stream, 'any', [{ ...summoned('ok'), metadata: { tick: -1 } }]), /metadata/);
        assert.deepEqual(await store.readStream(stream), []);
        assert.equal(await store.headPosition(), head);
      });

      test('malformed stream ids, expected versions and event ids are refused with a code', async () => {
        await assert.rejects(store.append('Not A Stream', 'any', [summoned('a')]), { code: 'store/invalid_append' });
        await assert.rejects(store.append(freshStream(), 'sometimes' as never, [summoned('a')]), InvalidAppend);
        await assert.rejects(store.append(freshStream(), 'any', [{ id: 'nope', ...summoned('a') }]), InvalidAppend);
        const id = '0190a8f0-0000-7000-8000-0000000000c1';
        await assert.rejects(store.append(freshStream(), 'any', [{ id, ...summoned('a') }, { id, ...summoned('b') }]), InvalidAppend);
      });

      if (sqlTampering) test('a stored event that no longer matches its schema fails to read, naming the event', async () => {
        const stream = freshStream();
        const { events: [written] } = await store.append(stream, 'any', [summoned('a')]);
        await harness.tamper!(
          `UPDATE __SCHEMA__.commits SET events = json_build_array(json_build_object(
             'id', events->0->>'id', 'type', 'OracleSummoned', 'schemaVersion', 1,
             'data', json_build_object('oracle', 42), 'metadata', events->0->'metadata', 'hash', events->0->>'hash'))
           WHERE stream_id = $1`,
          [stream],
        );
        await assert.rejects(store.readStream(stream), (error: unknown) => {
          assert.ok(error instanceof EventDecodeError);
          assert.deepEqual([error.streamId, error.version, error.eventId], [stream, 0, written!.id]);
          return true;
        });
      });
    });

    describe('schema versions', () => {
      test('events written at an older schema version are upcast on read', async () => {
        const stream = freshStream();
        await store.append(stream, 'any', [summoned('old', 9)]);
        const newer = await harness.open(new EventCatalog([OracleSummonedV2, OracleFell]));
        try {
          await newer.append(stream, 'any', [{ type: 'OracleSummoned', data: { oracle: 'new', might: 4 } }]);
          const read = await newer.readStream(stream);
          assert.deepEqual(read.map((e) => e.data), [{ oracle: 'old', might: 9 }, { oracle: 'new', might: 4 }]);
          assert.deepEqual((await newer.readStream(stream, { raw: true })).map((e) => e.schemaVersion), [1, 2]);
        } finally {
          await newer.close();
        }
      });
    });

    describe('hash chain', () => {
      const chained = async () => {
        const stream = freshStream();
        for (let i = 0; i < 4; i++) await store.append(stream, 'any', [summoned(`o${i}a`), summoned(`o${i}b`)]);
        assert.deepEqual(await verifyStream(store, stream), { intact: true, lastVersion: 7, lastHash: (await store.readStream(stream)).at(-1)!.hash });
        return stream;
      };

      test('an untouched stream verifies intact, ending at its last hash', async () => {
        await chained();
      });

      if (sqlTampering) test('an edited event breaks the chain at its version', async () => {
        const stream = await chained();
        await harness.tamper!(
          `UPDATE __SCHEMA__.commits SET events = json_build_array(events->0, json_build_object(
             'id', events->1->>'id', 'type', 'OracleSummoned', 'schemaVersion', 1,
             'data', json_build_object('oracle', 'forged', 'power', 9000), 'metadata', events->1->'metadata', 'hash', events->1->>'hash'))
           WHERE stream_id = $1 AND first_version = 4`,
          [stream],
        );
        assert.deepEqual(await verifyStream(store, stream), { intact: false, version: 5, reason: 'stored hash does not match its content and predecessor' });
      });

      if (sqlTampering) test('a deleted event breaks the chain where it is missing', async () => {
        const stream = await chained();
        await harness.tamper!('DELETE FROM __SCHEMA__.commits WHERE stream_id = $1 AND first_version = 2', [stream]);
        const verdict = await verifyStream(store, stream);
        assert.equal(verdict.intact, false);
        assert.equal(!verdict.intact && verdict.version, 2);
      });

      if (sqlTampering) test('an inserted event breaks the chain where it was slipped in', async () => {
        const stream = await chained();
        // Shift versions 6.. up and slip a copied event in at 6, as a forger editing the table would.
        await harness.tamper!('UPDATE __SCHEMA__.commits SET first_version = first_version + 1 WHERE stream_id = $1 AND first_version = 6', [stream]);
        await harness.tamper!(
          `INSERT INTO __SCHEMA__.commits (last_position, stream_id, first_version, event_count, first_event_id, last_hash, events)
           SELECT -1, stream_id, 6, 1, gen_random_uuid(), last_hash, json_build_array(events->0)
             FROM __SCHEMA__.commits WHERE stream_id = $1 AND first_version = 2`,
          [stream],
        );
        const verdict = await verifyStream(store, stream);
        assert.deepEqual([verdict.intact, !verdict.intact && verdict.version], [false, 6]);
      });
    });

    describe('subscribeAll', () => {
      test('catches up, then goes live, in global order, each event once', async () => {
        const start = await store.headPosition();
        const stream = freshStream();
        await store.append(stream, 'any', [summoned('before1'), summoned('before2')]);
        const subscription = store.subscribeAll({ after: start, batchSize: 1 });
        const received = collect(subscription, 5);
        await store.append(stream, 'any', [summoned('live1')]);
        await store.append(freshStream(), 'any', [summoned('live2'), fell('live2')]);
        const events = await received;
        subscription.close();
        assert.deepEqual(events.map((e) => e.position), [1, 2, 3, 4, 5].map((i) => start + i));
        assert.equal(subscription.position, start + 5);
      });

      test('a subscriber restarted from its checkpoint resumes with no loss and no duplicate', async () => {
        const start = await store.headPosition();
        const streams = [freshStream(), freshStream(), freshStream()];
        for (let i = 0; i < 10; i++) await store.append(streams[i % 3]!, 'any', [summoned(`e${i}`)]);
        const first = store.subscribeAll({ after: start });
        const firstHalf = await collect(first, 4);
        first.close();
        const checkpoint = first.position;
        for (let i = 10; i < 14; i++) await store.append(streams[i % 3]!, 'any', [summoned(`e${i}`)]);
        const second = store.subscribeAll({ after: checkpoint });
        const secondHalf = await collect(second, 10);
        second.close();
        const seen = [...firstHalf, ...secondHalf].map((e) => (e.data as { oracle: string }).oracle);
        assert.deepEqual(seen, Array.from({ length: 14 }, (_, i) => `e${i}`));
      });

      test('pages deliver the same events in batches of at most batchSize, then go live', async () => {
        const start = await store.headPosition();
        const stream = freshStream();
        for (let i = 0; i < 5; i++) await store.append(stream, 'any', [summoned(`p${i}`)]);
        const subscription = store.subscribeAll({ after: start, batchSize: 2 });
        const sizes: number[] = [];
        const seen: string[] = [];
        const done = (async () => {
          for await (const page of subscription.pages()) {
            sizes.push(page.length);
            seen.push(...page.map((e) => (e.data as { oracle: string }).oracle));
            if (seen.length === 6) return;
          }
        })();
        await store.append(stream, 'any', [summoned('p5')]);
        await done;
        subscription.close();
        assert.deepEqual(seen, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
        assert.ok(sizes.every((size) => size >= 1 && size <= 2), `page sizes ${sizes.join(',')}`);
        assert.equal(subscription.position, start + 6);
      });

      test('stops when its signal aborts', async () => {
        const controller = new AbortController();
        const subscription = store.subscribeAll({ after: await store.headPosition(), signal: controller.signal });
        const done = collect(subscription, 1);
        controller.abort();
        assert.deepEqual(await done, []);
      });
    });
  });
}
