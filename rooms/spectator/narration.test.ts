// Live narration across processes, end to end: the real narrator (its model a local stand-in
// for the OpenAI REST shape) narrates battles recorded in PostgreSQL through its reactor and
// publishes on a Redis bus of its own; a game server holding another bus (its own
// connections, as another process would) relays the pieces to real @colyseus/sdk clients
// watching the match: each moderated sentence as it is released, then the recorded text.
// Watchers of another match receive none of it; a malformed message on the channel is
// dropped with a warning; a room that closes releases its channel.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createNarrationBus, narrationChannelOf, type NarrationBus } from '../../infra/narrator/bus.ts';
import type { Narrator } from '../../infra/narrator/index.ts';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../infra/narrator/testing/openaiStandIn.ts';
import { dropRedisKeys, testRedisUrl } from '../../infra/testing/gameServer.ts';
import { battleIn, eventually, narrationReachesItsWatchers, narratorWith, recordedOf, reply, serve, silent, watch, type Served } from '../../infra/narrator/testing/spectatorNarration.ts';

describe('live narration across processes (Redis pub/sub)', () => {
  let standIn: OpenAiStandIn;
  const prefix = `test:narration:${randomBytes(4).toString('hex')}:`;
  const warnings: Array<Record<string, unknown>> = [];
  const gameLogger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line) as Record<string, unknown>) });
  const busConfig = { REDIS_URL: testRedisUrl, PANTHEON_REDIS_PREFIX: prefix };
  let gameBus: NarrationBus;
  let narratorBus: NarrationBus;
  let narrator: Narrator;
  let served: Served;
  let redis: Redis;

  const subscribers = async (roomStreamId: string) => {
    const answer = (await redis.pubsub('NUMSUB', narrationChannelOf(prefix, roomStreamId))) as [string, number];
    return Number(answer[1]);
  };
  const subscribed = (roomStreamIds: string[]) =>
    eventually(async () => (await Promise.all(roomStreamIds.map(subscribers))).every((count) => count > 0), `subscriptions to ${roomStreamIds.join(', ')}`);

  before(async () => {
    standIn = await startOpenAiStandIn({ reply: () => reply });
    // Two buses, two pairs of connections: the game server's process and the narrator's.
    gameBus = createNarrationBus(busConfig, gameLogger);
    narratorBus = createNarrationBus(busConfig, silent);
    narrator = narratorWith(standIn, narratorBus);
    served = await serve('spectator_narration_redis', gameBus, prefix);
    redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });
  });
  after(async () => {
    await narrator.close();
    await served.stop();
    await Promise.all([gameBus.close(), narratorBus.close()]);
    redis.disconnect();
    await standIn.close();
    await dropRedisKeys(testRedisUrl, prefix);
  });

  test('a narration from the narrator process streams to the watchers of its match only, then the recorded text; leaving releases the channel', async () => {
    const { one, two } = await narrationReachesItsWatchers({ served, narrator, label: 'nr', subscribed });
    // Both rooms disposed once their last watcher left: this process no longer listens for their matches.
    await eventually(async () => (await subscribers(one.streamId)) === 0 && (await subscribers(two.streamId)) === 0, 'the channels released');
  });

  test('a malformed message on the channel is dropped with a warning; the room keeps relaying', async () => {
    const match = await battleIn(served.store, 'nr-garbled', ['ana', 'bo']);
    const watcher = await watch(served.client(), match.roomId);
    await subscribed([match.streamId]);
    const channel = narrationChannelOf(prefix, match.streamId);
    const about = { narrationId: 'n-garbled-1', streamId: `narration-${match.streamId}`, roomStreamId: match.streamId, use: 'battle_highlight' as const };
    await redis.publish(channel, 'not json {');
    await redis.publish(channel, JSON.stringify({ type: 'delta', narrationId: 'n-garbled-0' }));
    await redis.publish(channel, JSON.stringify({ ...about, type: 'shout', text: 'HEAR ME' }));
    // Well formed, but about another match: not this channel's to deliver.
    await redis.publish(channel, JSON.stringify({ ...about, narrationId: 'n-garbled-2', roomStreamId: 'battle-elsewhere', type: 'recorded', text: 'Misrouted.', offline: false }));
    narratorBus.publish({ ...about, type: 'recorded', text: 'The oracle speaks again.', offline: true });
    await watcher.until(recordedOf('n-garbled-1'), 'the well-formed piece after the malformed ones');
    assert.deepEqual(watcher.pieces, [{ type: 'recorded', narrationId: 'n-garbled-1', text: 'The oracle speaks again.' }]);
    const dropped = warnings.filter((line) => line.msg === 'narration bus: malformed message dropped');
    assert.equal(dropped.length, 3);
    assert.ok(dropped.every((line) => line.channel === channel && line.component === 'narration-bus'));
    assert.match(String(dropped[0]!.problem), /not JSON/);
    assert.match(String(dropped[1]!.problem), /roomStreamId|streamId|use/);
    assert.ok(warnings.some((line) => line.msg === 'narration bus: message about another room dropped' && line.roomStreamId === 'battle-elsewhere'));
    await watcher.room.leave();
  });
});

