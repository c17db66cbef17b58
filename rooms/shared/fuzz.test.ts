// Hostile input against every room kind (battle, raid, ritual), generated with fast-check:
// 100,000 messages per kind encoded exactly as @colyseus/sdk encodes them and fed through
// the room's own message path (the server-side socket's `message` event, so Colyseus
// decodes them as it decodes the network's), a few thousand more over a real WebSocket,
// messages from a spectator, and raw malformed frames. Afterwards: the server is up, nothing
// threw or went unhandled, every hostile command was refused with a typed code and recorded
// once, nothing was accepted, the stream replays exactly (so the state moved only by the
// rules' own clock), and the room still answers a real command.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { ClientState, matchMaker, type Client as ServerClient } from '@colyseus/core';
import type { Room } from '@colyseus/sdk';
import fc from 'fast-check';
import type { RecordedEvent } from '../../events/envelope.ts';
import { startTestGameServer, type TestGameServer } from '../../infra/testing/gameServer.ts';
import { until } from '../../infra/testing/roomClient.ts';
import { battleKind } from '../battle/room.ts';
import { raidKind } from '../raid/room.ts';
import { ritualKind } from '../ritual/room.ts';
import { isWellFormedText } from '../../events/players.ts';
import { type Refused } from './messages.ts';
import { replay } from '../../events/tick/replay.ts';
import { roomEventTypes } from '../../events/tick/roomEvents.ts';
import type { RoomKind } from '../../events/tick/roomKind.ts';

const IN_PROCESS = Number(process.env.FUZZ_MESSAGES ?? 100_000);
const OVER_SOCKET = Number(process.env.FUZZ_SOCKET_MESSAGES ?? 3_000);
const RAW_FRAMES = 600;
const FROM_SPECTATOR = 500;
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

const crashes: unknown[] = [];
const onCrash = (error: unknown) => crashes.push(error);
let server: TestGameServer;

before(async () => {
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  // The limits stay out of the way: this file is about what the rules and the log make of hostile input.
  const open = { limit: 100_000_000, windowMs: 1_000 };
  server = await startTestGameServer('room_fuzz', { auth: { limits: { 'command.player': open, 'command.all': open, 'join.player': open, 'join.ip': open } } });
});
after(async () => {
  await server.stop();
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
});

// --- what a hostile client sends ---------------------------------------------------------

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom("' OR 1=1 --", "'; DROP TABLE commits; --", '$$; SELECT pg_sleep(10); $$', '__proto__', 'constructor', 'toString', 'hasOwnProperty',
    '\u0000', '\uD800', '\uDC00x', '\u202E', 'e\u0301\u0302', '💥'.repeat(40), '%s%n%x', '../../etc/passwd', '', ' '),
);

const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileText,
    fc.integer(),
    fc.double(),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array({ maxLength: 32 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(hostileText, tie('value'), { maxKeys: 5 }),
  ),
})).value;

type Message = { type: string | number; payload?: unknown };

/** Field names the kinds' commands use, so generated payloads come close to real ones. */
const knownFields = ['oracleId', 'abilityId', 'targetId', 'rite', 'playerId', 'ref', 'type', 'seat', 'amount'];

function hostileMessages(kind: RoomKind<unknown, never, never, unknown>): fc.Arbitrary<Message> {
  const types = Object.keys(kind.commands);
  const payload = fc.oneof(
    hostileValue,
    fc.dictionary(fc.constantFrom(...knownFields), hostileValue, { minKeys: 1, maxKeys: 5 }),
    fc.record({ ref: hostileText }, { requiredKeys: [] }).chain((ref) => fc.dictionary(fc.constantFrom(...knownFields), hostileText, { maxKeys: 4 }).map((fields) => ({ ...fields, ...ref }))),
    // Too large for a command (MAX_COMMAND_BYTES), still within a WebSocket frame.
    fc.constant({ oracleId: 'x', padding: 'A'.repeat(5_000) }),
    // Deep nesting.
    fc.integer({ min: 20, max: 200 }).map((depth) => Array.from({ length: depth }).reduce<unknown>((inner) => [inner], 0)),
  );
  const message = fc.record({
    // The SDK garbles its own frame for a type over 255 bytes or with a lone surrogate (the
    // server then drops the connection, 4002): such types are left to the raw frames below.
    type: fc.oneof(fc.constantFrom(...types), hostileText.filter((t) => Buffer.byteLength(t) < 200 && isWellFormedText(t)), fc.integer({ min: -1000, max: 1000 }), fc.constantFrom('refused', 'room/status', '*', '_', 'leave')),
    payload,
  });
  // Only what the room must refuse: a well-formed command of a known type would be a player's real move.
  return message.filter((m) => {
    const schema = typeof m.type === 'string' && Object.hasOwn(kind.commands, m.type) ? kind.commands[m.type] : undefined;
    if (!schema) return true;
    const body = m.payload !== null && typeof m.payload === 'object' && !Array.isArray(m.payload) && !(m.payload instanceof Uint8Array)
      ? Object.fromEntries(Object.entries(m.payload).filter(([key]) => key !== 'ref'))
      : m.payload;
    return !schema.safeParse(body ?? {}).success;
  });
}

// --- the rooms under fire ------------------------------------------------------------------

type Arena = {
  kind: RoomKind<unknown, never, never, unknown>;
  open(p1: string, p2: string): Promise<{ r1: Room; r2: Room; streamId: string }>;
  /** Well-formed commands the rules refuse: acting with another player's oracle. */
  actingForAnother(p1: string, p2: string): Message[];
  /** A real command, to show the room still answers. */
  probe: Message;
  malformedCodes: ReadonlySet<string>;
};

const chart = (sun: string) => ({ sun, moon: 'leo', rising: 'virgo' });
const oracle = (playerId: string, sun: string) => ({ oracleId: `${playerId}-o1`, name: `${playerId}'s oracle`, chart: chart(sun) });
const malformed = new Set(['command/invalid', 'command/unknown', 'command/too_large']);

const arenas: Record<string, Arena> = {
  battle: {
    kind: battleKind as unknown as Arena['kind'],
    async open(p1, p2) {
      const setup = { participants: [{ playerId: p1, side: 'a', oracles: [oracle(p1, 'aries')] }, { playerId: p2, side: 'b', oracles: [oracle(p2, 'cancer')] }], countdownTicks: 0, tickLimit: 20 * 600 };
      const r1 = await server.client().create('battle', { setup, playerId: p1 });
      const r2 = await server.client().joinById(r1.roomId, { playerId: p2 });
      return { r1, r2, streamId: `battle-${r1.roomId}` };
    },
    actingForAnother: (p1, p2) => [{ type: 'CastAbility', payload: { oracleId: `${p2}-o1`, abilityId: 'kindle', targetId: `${p1}-o1`, ref: 'as-another' } }],
    probe: { type: 'Forfeit', payload: { ref: 'still-alive' } },
    malformedCodes: malformed,
  },
  raid: {
    kind: raidKind as unknown as Arena['kind'],
    async open(p1, p2) {
      const setup = { bossId: 'leviathan', participants: [{ playerId: p1, oracles: [oracle(p1, 'aries')] }, { playerId: p2, oracles: [oracle(p2, 'cancer')] }], countdownTicks: 600 };
      const r1 = await server.client().create('raid', { setup, playerId: p1 });
      const r2 = await server.client().joinById(r1.roomId, { playerId: p2 });
      return { r1, r2, streamId: `raid-${r1.roomId}` };
    },
    actingForAnother: (p1, p2) => [{ type: 'CastAbility', payload: { oracleId: `${p2}-o1`, abilityId: 'kindle', targetId: `${p1}-o1`, ref: 'as-another' } }],
    probe: { type: 'Forfeit', payload: { ref: 'still-alive' } },
    malformedCodes: malformed,
  },
  ritual: {
    kind: ritualKind as unknown as Arena['kind'],
    async open(p1, p2) {
      const setup = { ritualId: 'anointing-of-the-dawn', participants: [p1, p2], countdownTicks: 300 };
      const r1 = await server.client().create('ritual', { setup, playerId: p1 });
      const r2 = await server.client().joinById(r1.roomId, { playerId: p2 });
      return { r1, r2, streamId: `ritual-${r1.roomId}` };
    },
    actingForAnother: (_p1, p2) => [{ type: 'ChannelRite', payload: { rite: 'invoke', playerId: p2, ref: 'as-another' } }],
    probe: { type: 'Abandon', payload: { ref: 'still-alive' } },
    malformedCodes: malformed,
  },
};

/** Encodes messages exactly as the SDK would put them on the wire, by catching its writes. */
function encodeAsSdk(room: Room, messages: readonly Message[]): Buffer[] {
  const connection = (room as unknown as { connection: { send(data: Uint8Array): void } }).connection;
  const send = connection.send;
  const frames: Buffer[] = [];
  connection.send = (data) => frames.push(Buffer.from(data));
  try {
    for (const message of messages) {
      const before = frames.length;
      try {
        room.send(message.type as string, message.payload);
      } catch {
        // msgpack cannot encode it: no client could send it either.
      }
      assert.ok(frames.length <= before + 1);
    }
  } finally {
    connection.send = send;
  }
  return frames;
}

async function waitFor(what: string, condition: () => boolean, ms = Number(process.env.FUZZ_WAIT_MS ?? 60_000)): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const domainOf = (events: readonly RecordedEvent[]) => events.filter((e) => !roomEventTypes.has(e.type)).map((e) => ({ type: e.type, data: e.data }));
const typed = /^[a-z_]+\/[a-z_]+$/;

describe('hostile messages', () => {
  for (const [name, arena] of Object.entries(arenas)) {
    test(`${name}: ${IN_PROCESS.toLocaleString('en')} hostile messages through the message path, ${OVER_SOCKET.toLocaleString('en')} over a socket, from a spectator and as raw frames`, async (t) => {
      const p1 = `${name}-ann`;
      const p2 = `${name}-bob`;
      const { r1, r2, streamId } = await arena.open(p1, p2);
      const refusals: Refused[] = [];
      r1.onMessage('refused', (message: Refused) => refusals.push(message));
      r1.onMessage('room/status', () => {});
      r2.onMessage('refused', () => {});
      r2.onMessage('room/status', () => {});
      await until(r1, (s: { seats?: { size: number } }) => (s.seats?.size ?? 0) === 2, 'the seats');
      const live = matchMaker.getLocalRoomById(r1.roomId) as unknown as { clients: ServerClient[]; actor: { state: unknown; tick: number } };
      const serverSide = live.clients.find((c) => c.sessionId === r1.sessionId)!;
      const before = (await server.store.readStream(streamId)).length;

      // In-process, through Colyseus' decoding: the bulk.
      const generated = fc.sample(hostileMessages(arena.kind), { numRuns: IN_PROCESS, seed: SEED });
      const messages = [...arena.actingForAnother(p1, p2), ...generated].slice(0, IN_PROCESS);
      const frames = encodeAsSdk(r1, messages);
      assert.ok(frames.length >= IN_PROCESS * 0.99, `${frames.length} of ${IN_PROCESS} messages encodable`);
      const socket = (serverSide as unknown as { ref: { emit(event: 'message', data: Buffer, binary: boolean): void } }).ref;
      // In chunks a tick or two can take, so no single append holds tens of thousands of events.
      const chunk = Math.round(2_500 * (20 / arena.kind.tickHz));
      for (let i = 0; i < frames.length; i += chunk) {
        for (const frame of frames.slice(i, i + chunk)) socket.emit('message', frame, true);
        await waitFor('the refusals of a chunk', () => refusals.length >= Math.min(frames.length, i + chunk));
        await yieldToLoop();
      }

      // Over the real WebSocket.
      const overSocket = fc.sample(hostileMessages(arena.kind), { numRuns: OVER_SOCKET, seed: SEED + 1 });
      let sent = 0;
      for (const message of overSocket) {
        try {
          r1.send(message.type as string, message.payload);
          sent++;
        } catch {
          // not encodable
        }
      }
      await waitFor('the refusals of the socket batch', () => refusals.length >= frames.length + sent);
      assert.equal(refusals.length, frames.length + sent);

      // Every hostile message: refused with a typed code, recorded once, none accepted.
      assert.ok(refusals.every((r) => typed.test(r.code)), `untyped: ${JSON.stringify(refusals.find((r) => !typed.test(r.code)))}`);
      const afterFuzz = await server.store.readStream(streamId);
      const appended = afterFuzz.slice(before);
      assert.equal(appended.filter((e) => e.type === 'CommandAccepted').length, 0, JSON.stringify(appended.find((e) => e.type === 'CommandAccepted')?.data));
      const rejected = appended.filter((e) => e.type === 'CommandRejected').map((e) => e.data as { code: string; playerId: string });
      assert.equal(rejected.length, frames.length + sent);
      assert.ok(rejected.every((r) => r.playerId === p1));
      const codes = new Set(rejected.map((r) => r.code));
      assert.ok([...codes].every((code) => typed.test(code)));
      // Generated messages are malformed; only the well-formed ones acting for another reach the rules.
      const wellFormed = rejected.filter((r) => !arena.malformedCodes.has(r.code));
      assert.ok(wellFormed.length <= arena.actingForAnother(p1, p2).length, JSON.stringify(appended.filter((e) => e.type === "CommandRejected" && !arena.malformedCodes.has((e.data as { code: string }).code)).slice(0, 3).map((e) => e.data)));

      // From a spectator: refused at once, and nothing recorded.
      const watcher = await server.client().joinById(r1.roomId, { spectator: true });
      const watcherRefusals: Refused[] = [];
      watcher.onMessage('refused', (message: Refused) => watcherRefusals.push(message));
      watcher.onMessage('room/status', () => {});
      const fromWatcher = fc.sample(hostileMessages(arena.kind), { numRuns: FROM_SPECTATOR, seed: SEED + 2 });
      let watcherSent = 0;
      for (const message of fromWatcher) {
        try {
          watcher.send(message.type as string, message.payload);
          watcherSent++;
        } catch {
          // not encodable
        }
      }
      await waitFor('the spectator’s refusals', () => watcherRefusals.length >= watcherSent);
      assert.ok(watcherRefusals.every((r) => r.code === 'room/spectator_read_only'));

      // Raw frames no SDK would send, on sessions of their own: a frame Colyseus cannot
      // decode costs its connection (4002), and the next frames go out on a new one.
      const raw = fc.sample(fc.tuple(fc.constantFrom(13, 17, 21, 13, 13, 0, 255, 99), fc.uint8Array({ maxLength: 48 })), { numRuns: RAW_FRAMES, seed: SEED + 3 });
      let kicked = 0;
      let session: { room: Room; socket: typeof socket; client: ServerClient } | undefined;
      for (const [code, bytes] of raw) {
        // A kicked socket is closing at once (a real one would deliver nothing more).
        if (!session || (session.client as unknown as { readyState: number }).readyState !== 1 || session.client.state === ClientState.LEAVING) {
          if (session) kicked++;
          const room = await server.client().joinById(r1.roomId, { playerId: p1 });
          room.onMessage('refused', () => {});
          room.onMessage('room/status', () => {});
          room.onLeave(() => {});
          room.onError(() => {});
          room.reconnection.enabled = false;
          const client = live.clients.find((c) => c.sessionId === room.sessionId)!;
          session = { room, client, socket: (client as unknown as { ref: typeof socket }).ref };
        }
        session.socket.emit('message', Buffer.from([code, ...bytes]), true);
      }
      const tick = live.actor.tick;
      await waitFor('three more ticks', () => live.actor.tick >= tick + 3);
      assert.ok(kicked > 0 && kicked < RAW_FRAMES);
      t.diagnostic(`${name}: ${kicked} of ${RAW_FRAMES} raw frames cost their connection (4002)`);

      // The log: nothing accepted, and it replays exactly from its recorded inputs.
      const stream = await server.store.readStream(streamId);
      assert.equal(stream.slice(before).filter((e) => e.type === 'CommandAccepted').length, 0);
      assert.equal(stream.slice(afterFuzz.length).filter((e) => e.type === 'CommandRejected' && (e.data as { playerId: string }).playerId !== p1).length, 0);
      const replayed = replay(arena.kind, stream);
      assert.ok(replayed.ok, JSON.stringify(!replayed.ok && replayed.divergence));
      const folded = domainOf(stream).reduce(arena.kind.decider.evolve as (s: unknown, e: unknown) => unknown, arena.kind.decider.initialState());
      assert.deepEqual(folded, live.actor.state);

      // Still up, still answering: the player's newest connection (each join of a player
      // replaces the one before, so r1 was replaced by the raw frames' sessions) sends a real command.
      const player = await server.client().joinById(r1.roomId, { playerId: p1 });
      player.onMessage('room/status', () => {});
      let answered = false;
      player.onMessage('refused', (message: Refused) => { if (message.ref === 'still-alive') answered = true; });
      player.onStateChange((state: { seats?: Map<string, { lastRef?: string }> }) => { if (state.seats?.get(p1)?.lastRef === 'still-alive') answered = true; });
      player.send(arena.probe.type as string, arena.probe.payload);
      await waitFor('the answer to a real command', () => answered);
      assert.deepEqual(crashes, []);
      await Promise.all([player.leave(), r2.leave(), watcher.leave()]);
    });
  }
});
