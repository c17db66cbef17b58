// The spectator room end to end: a real game server, a real @colyseus/sdk client watching a
// battle recorded tick batch by tick batch; the summaries it receives move forward, end in
// the result, and equal the spectator feed read model's row for the match.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Room } from '@colyseus/sdk';
import { battlePlayers, battleSetup, batchesOf, simulateRoom } from '../../load-tests/simulate/room.ts';
import { spectatorProjection, summaryOf, type MatchSummary } from '../../projections/spectator/index.ts';
import { narrate } from '../../projections/spectator/testing/feed.ts';
import { startTestGameServer, type TestGameServer } from '../../infra/testing/gameServer.ts';
import { battleKind } from '../battle/room.ts';

describe('spectator room', () => {
  let server: TestGameServer;
  before(async () => {
    server = await startTestGameServer('spectator_room', { readSide: { processors: [spectatorProjection] } });
  });
  after(() => server.stop());

  function summaries(room: Room): { seen: MatchSummary[]; until(predicate: (s: MatchSummary) => boolean, what: string): Promise<MatchSummary> } {
    const seen: MatchSummary[] = [];
    const waiters: Array<() => void> = [];
    room.onMessage('summary', (summary: MatchSummary) => {
      seen.push(summary);
      for (const wake of waiters.splice(0)) wake();
    });
    return {
      seen,
      until(predicate, what) {
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 20_000);
          const check = () => {
            const found = seen.find(predicate);
            if (found) {
              clearTimeout(timer);
              resolve(found);
            } else {
              waiters.push(check);
            }
          };
          check();
        });
      },
    };
  }

  test('a watcher follows a battle to its result, seeing what the feed read model holds', async () => {
    const simulated = simulateRoom(battleKind, { roomId: 'sr-duel', setup: battleSetup(['ana', 'bo']), seed: 'seed-of-sr-duel-0123456789abcdef' }, battlePlayers({ everyTicks: 5 }));
    const [creation, ...ticks] = batchesOf(simulated, 25);
    let version = (await server.store.append(simulated.streamId, 'no_stream', creation!)).nextExpectedVersion;

    const room = await server.client().create('spectator', { match: 'sr-duel', spectator: true });
    const feed = summaries(room);
    const first = await feed.until(() => true, 'the first summary');
    assert.equal(first.status, 'live');
    assert.deepEqual(first.sides.map((s) => s.side), ['a', 'b']);

    for (const batch of ticks) version = (await server.store.append(simulated.streamId, version, batch)).nextExpectedVersion;
    const ended = await feed.until((s) => s.status === 'ended', 'the result');
    assert.match(ended.result!, /^Side [AB] wins/);
    const revisions = feed.seen.map((s) => s.revision);
    for (let i = 1; i < revisions.length; i++) assert.ok(revisions[i]! > revisions[i - 1]!, `summaries move forward: ${revisions.join(', ')}`);

    const last = (await server.store.readStream(simulated.streamId)).at(-1)!;
    await narrate(server.store, last, 'Dust settles over the arena.');
    const narrated = await feed.until((s) => s.narration !== null, 'the narration');
    await server.projector!.waitFor(await server.store.headPosition());
    assert.deepEqual(narrated, await summaryOf(server.db, server.schema, 'sr-duel'));
    await room.leave();
  });

  test('an unknown match is refused with a code', async () => {
    await assert.rejects(server.client().create('spectator', { match: 'nowhere', spectator: true }), /spectator\/unknown_match/);
  });
});
