// The downstream side: the dedupe that turns the relay's at-least-once into once, and
// the warehouse loader (library and CLI) against the real broker.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, appendFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import type { RecordedEvent } from '../../events/envelope.ts';
import { EventDeduplicator } from './consumer.ts';
import type { RelayedEvent } from './messages.ts';
import { createKafkaRelay } from './relay.ts';
import { deleteTopics, eventually, recordedEvents, sharedBrokers, testKafka, testLogger, uniquePrefix } from './testing/broker.ts';
import { startServerProcess } from '../testing/process.ts';
import { createWarehouseLoader } from './warehouse.ts';

type Identity = { id: string; streamId: string; version: number };

describe('EventDeduplicator', () => {
  test('hands on each event once however the relay repeated batches, keeping every stream in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 200 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 30 }), fc.nat()), { maxLength: 5 }),
        (lengths, picks, resends) => {
          // One interleaving of the streams' events: the log's global order.
          const cursors = lengths.map(() => 0);
          const total = lengths.reduce((a, b) => a + b, 0);
          const log: Identity[] = [];
          for (let i = 0; log.length < total; i++) {
            const wanted = (picks.length > 0 ? picks[i % picks.length]! : i) % lengths.length;
            const s = cursors[wanted]! < lengths[wanted]! ? wanted : cursors.findIndex((c, k) => c < lengths[k]!);
            log.push({ id: `e-${s}-${cursors[s]}`, streamId: `battle-${s}`, version: cursors[s]! });
            cursors[s]! += 1;
          }
          // The wire: the log, with some runs of it sent again some time after they first went out.
          const wire = [...log];
          for (const [from, length, delay] of resends) {
            const start = from % log.length;
            const batch = log.slice(start, start + length);
            const firstSent = wire.indexOf(batch.at(-1)!);
            const insertAt = Math.min(wire.length, firstSent + 1 + (delay % (wire.length - firstSent)));
            wire.splice(insertAt, 0, ...batch);
          }
          const dedupe = new EventDeduplicator();
          const delivered = wire.filter((event) => dedupe.accept(event));
          assert.deepEqual(delivered, log);
          assert.equal(dedupe.duplicates, wire.length - log.length);
        },
      ),
    );
  });

  test('keeps its memory bounded, and remembers ids of streams it has forgotten', () => {
    const dedupe = new EventDeduplicator({ maxStreams: 2, maxIds: 4 });
    for (const streamId of ['battle-a', 'battle-b', 'battle-c']) dedupe.accept({ id: `${streamId}-0`, streamId, version: 0 });
    assert.deepEqual(dedupe.size, { streams: 2, ids: 3 });
    // battle-a fell out of the per-stream table, its event id did not.
    assert.equal(dedupe.accept({ id: 'battle-a-0', streamId: 'battle-a', version: 0 }), false);
    for (let i = 0; i < 10; i++) dedupe.accept({ id: `x${i}`, streamId: `raid-${i}`, version: 0 });
    assert.deepEqual(dedupe.size, { streams: 2, ids: 4 });
  });
});

async function readLines(dir: string): Promise<RelayedEvent[]> {
  const lines: RelayedEvent[] = [];
  for (const topic of await readdir(dir)) {
    for (const file of await readdir(path.join(dir, topic))) {
      const text = await readFile(path.join(dir, topic, file), 'utf8');
      lines.push(...text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as RelayedEvent));
    }
  }
  return lines;
}

function assertEachOnceInOrder(lines: readonly RelayedEvent[], events: readonly RecordedEvent[]) {
  assert.equal(lines.length, events.length);
  assert.deepEqual(new Set(lines.map((line) => line.id)), new Set(events.map((event) => event.id)));
  const byStream = new Map<string, number[]>();
  for (const line of lines) byStream.set(line.streamId, [...(byStream.get(line.streamId) ?? []), line.version]);
  for (const [streamId, versions] of byStream) assert.deepEqual(versions, versions.map((_, index) => index), `${streamId} in order`);
}

describe('warehouse loader', () => {
  const kafka = testKafka();
  const prefix = uniquePrefix('warehouse');
  const dirs: string[] = [];
  after(async () => {
    await deleteTopics(kafka, prefix);
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  test('writes each relayed event once to NDJSON, across re-sent batches, restarts, a torn last line and a lost group offset', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pantheon-warehouse-'));
    dirs.push(dir);
    const topics = [`${prefix}.battle`, `${prefix}.wallet`];
    const streams = ['battle-w1', 'battle-w2', 'battle-w3', 'wallet-p1', 'wallet-p2'];
    const all = recordedEvents(streams, 40, 1);
    const relay = createKafkaRelay({ kafka, topicPrefix: prefix, logger: testLogger });
    const load = (groupId: string) => createWarehouseLoader({ kafka, topics, dir, groupId, logger: testLogger });
    try {
      // First half, with its second batch sent twice (as after a lost acknowledgement).
      const half = all.slice(0, 100);
      await relay.reactor.react(half.slice(0, 50));
      await relay.reactor.react(half.slice(50));
      await relay.reactor.react(half.slice(50));
      const first = load(`${prefix}-wh-1`);
      await first.start();
      await eventually(() => (first.stats().received >= 150 ? true : undefined), 'the first 150 messages');
      await first.stop();
      assert.equal(first.stats().duplicates, 50);
      assertEachOnceInOrder(await readLines(dir), half);

      // A crash mid-append leaves a torn line; the rest, again partly twice, arrives while it is down.
      const [battleFile] = (await readdir(path.join(dir, topics[0]!))).filter((name) => name.endsWith('.ndjson'));
      await appendFile(path.join(dir, topics[0]!, battleFile!), '{"id":"torn');
      await relay.reactor.react(all.slice(100, 150));
      await relay.reactor.react(all.slice(120, 200));
      const second = load(`${prefix}-wh-1`);
      await second.start();
      // 50 + 80 messages were sent while it was down: wait for all of them, not just the new ones.
      await eventually(() => (second.stats().received >= 130 ? true : undefined), 'the remaining messages');
      await second.stop();
      assertEachOnceInOrder(await readLines(dir), all);

      // A new group (its committed offsets lost) reads everything again and writes nothing twice.
      const third = load(`${prefix}-wh-2`);
      await third.start();
      await eventually(() => (third.stats().received >= 280 ? true : undefined), 'every message again');
      await third.stop();
      assert.equal(third.stats().written, 0);
      assertEachOnceInOrder(await readLines(dir), all);
    } finally {
      await relay.close();
    }
  });

  test('its CLI checks its arguments, then loads until SIGTERM', async () => {
    const cli = new URL('./warehouseMain.ts', import.meta.url).pathname;
    const output = (process: { lines: Array<{ msg?: string }> }) => process.lines.map((line) => line.msg).join('\n');
    const dir = await mkdtemp(path.join(tmpdir(), 'pantheon-warehouse-cli-'));
    dirs.push(dir);

    const missing = startServerProcess({}, cli, []);
    assert.equal(await missing.exit, 1);
    assert.match(output(missing), /required option '--out <dir>' not specified/);
    const bad = startServerProcess({}, cli, ['--out', dir, '--brokers', 'kafka', '--categories', 'Battle']);
    assert.equal(await bad.exit, 2);
    assert.match(output(bad), /each broker is host:port/);
    assert.match(output(bad), /categories are stream kinds/);

    const cliPrefix = `${prefix}cli`;
    const relay = createKafkaRelay({ kafka, topicPrefix: cliPrefix, logger: testLogger });
    const events = recordedEvents(['raid-r1', 'player-p1'], 5, 1);
    try {
      await relay.reactor.react(events);
    } finally {
      await relay.close();
    }
    // No --categories: every <prefix>.* topic on the cluster.
    const run = startServerProcess({}, cli, ['--out', dir, '--brokers', sharedBrokers.join(','), '--prefix', cliPrefix, '--group', `${cliPrefix}-g`, '--log-level', 'info']);
    try {
      const running = await run.waitFor('warehouse loader running');
      assert.deepEqual(running.topics, [`${cliPrefix}.player`, `${cliPrefix}.raid`]);
      await eventually(async () => ((await readLines(dir).catch(() => [])).length >= events.length ? true : undefined), 'the NDJSON lines');
      run.kill('SIGTERM');
      assert.equal(await run.exit, 0);
      assertEachOnceInOrder(await readLines(dir), events);
    } finally {
      run.kill('SIGKILL');
      await deleteTopics(kafka, cliPrefix);
    }
  });
});
