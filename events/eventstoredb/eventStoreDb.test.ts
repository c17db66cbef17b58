// The event store contract on EventStoreDB / KurrentDB, in a namespace of this file's own,
// when EVENTSTORE_CONNECTION_STRING names a server (e.g. the kurrentdb service of
// docker-compose.yml: esdb://127.0.0.1:2113?tls=false). EventStoreDB's events cannot be
// edited in place, so instead of the suite's SQL tampering this file forges what a writer
// with direct access to the database can: an event appended around the adapter, a
// truncated stream. Without a server, the suite says plainly that it did not run, and the
// adapter's behaviour without a reachable server is checked.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { EventStoreDBClient, jsonEvent, type JSONType } from '@eventstore/db-client';
import { z } from 'zod';
import { defineEvent, EventCatalog } from '../catalog.ts';
import { eventStoreContract } from '../testing/contract.suite.ts';
import { EventDecodeError, StoreUnavailable } from '../errors.ts';
import { verifyStream } from '../hashChain.ts';
import type { EventStore } from '../store.ts';
import { openEventStoreDbStore } from './eventStoreDbStore.ts';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

describe('EventStoreDB adapter without a server', () => {
  test('a malformed connection string is refused at once, naming the variable', async () => {
    await assert.rejects(openEventStoreDbStore({ connectionString: 'not a connection string', catalog: new EventCatalog() }), (error: unknown) => {
      assert.ok(error instanceof StoreUnavailable);
      assert.match(error.message, /EVENTSTORE_CONNECTION_STRING is not a valid connection string/);
      return true;
    });
  });

  test('an unreachable server is StoreUnavailable (retryable), not a crash', async () => {
    // Port 1 on loopback: nothing listens there. A short deadline keeps the test fast.
    const opening = openEventStoreDbStore({ connectionString: 'esdb://127.0.0.1:1?tls=false&defaultDeadline=2000&discoveryInterval=100&maxDiscoverAttempts=1', catalog: new EventCatalog() });
    await assert.rejects(opening, StoreUnavailable);
  });
});

if (!connectionString) {
  test('EventStoreDB contract suite', (t) => {
    t.diagnostic('EventStoreDB contract suite not run: EVENTSTORE_CONNECTION_STRING is not set (e.g. esdb://127.0.0.1:2113?tls=false with `docker compose up kurrentdb`)');
  });
} else {
  const namespace = `t_contract_${randomBytes(4).toString('hex')}`;
  eventStoreContract(
    'eventstoredb',
    async () => ({
      open: (catalog) => openEventStoreDbStore({ connectionString, catalog, namespace, pollIntervalMs: 100 }),
      // The namespace's streams stay in the server's test database (EventStoreDB has no schema to drop).
      async cleanup() {},
    }),
    // Events are immutable (tampering is forged below instead); ids are unique per stream only.
    { sqlTampering: false, globalEventIds: false },
  );

  describe('EventStoreDB: tamper evidence against a writer with direct access', () => {
    const Summoned = defineEvent('OracleSummoned', z.object({ oracle: z.string().min(1), power: z.number().int().nonnegative() }));
    const tamperNamespace = `t_tamper_${randomBytes(4).toString('hex')}`;
    let store: EventStore;
    let raw: EventStoreDBClient;
    let counter = 0;
    const fresh = () => `battle-${++counter}x${process.pid}`;
    const name = (stream: string) => `${tamperNamespace}.${stream}`;

    before(async () => {
      store = await openEventStoreDbStore({ connectionString, catalog: new EventCatalog([Summoned]), namespace: tamperNamespace, pollIntervalMs: 100 });
      raw = EventStoreDBClient.connectionString(connectionString);
    });
    after(async () => {
      await store.close();
      await raw.dispose();
    });

    const chained = async () => {
      const stream = fresh();
      for (let i = 0; i < 4; i++) await store.append(stream, 'any', [{ type: 'OracleSummoned', data: { oracle: `o${i}`, power: i } }]);
      assert.equal((await verifyStream(store, stream)).intact, true);
      return stream;
    };

    test('an event appended around the adapter, reusing its predecessor stamp, breaks the chain at its version', async () => {
      const stream = await chained();
      const [last] = await store.readStream(stream, { direction: 'backwards', limit: 1, raw: true });
      await raw.appendToStream(name(stream), jsonEvent({
        type: 'OracleSummoned',
        data: { oracle: 'forged', power: 9000 } as JSONType,
        metadata: { ...last!.metadata, pantheon: { namespace: tamperNamespace, schemaVersion: 1, hash: last!.hash } },
      }));
      assert.deepEqual(await verifyStream(store, stream), { intact: false, version: 4, reason: 'stored hash does not match its content and predecessor' });
    });

    test('a stored event that no longer matches its schema fails to read, naming the event', async () => {
      const stream = await chained();
      const { nextExpectedRevision } = await raw.appendToStream(name(stream), jsonEvent({
        type: 'OracleSummoned',
        data: { oracle: 42 } as JSONType,
        metadata: { recordedAt: new Date().toISOString(), pantheon: { namespace: tamperNamespace, schemaVersion: 1, hash: '0'.repeat(64) } },
      }));
      await assert.rejects(store.readStream(stream), (error: unknown) => {
        assert.ok(error instanceof EventDecodeError);
        assert.deepEqual([error.streamId, error.version], [stream, Number(nextExpectedRevision)]);
        return true;
      });
    });

    test('a truncated stream ($tb) shows its first versions missing', async () => {
      const stream = await chained();
      await raw.setStreamMetadata(name(stream), { truncateBefore: 2 });
      const verdict = await verifyStream(store, stream);
      assert.deepEqual([verdict.intact, !verdict.intact && verdict.version], [false, 0]);
    });

    test('an id is unique within its stream only: another stream takes it as a new event', async () => {
      const id = '0190a8f0-0000-7000-8000-0000000000d1';
      const event = { id, type: 'OracleSummoned', data: { oracle: 'twice', power: 1 } };
      const first = await store.append(fresh(), 'any', [event]);
      const second = await store.append(fresh(), 'any', [event]);
      assert.notEqual(second.positions[0], first.positions[0]);
    });
  });
}
