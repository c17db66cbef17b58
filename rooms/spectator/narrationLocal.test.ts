// Live narration in one process (no REDIS_URL, role `all`): the narrator and the game server
// share the in-process bus. The real narrator (its model a local stand-in) narrates battles
// recorded in PostgreSQL through its reactor; real @colyseus/sdk clients watching the match
// receive each moderated sentence, then the recorded text, and nothing of another match.
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createNarrationBus, type NarrationBus } from '../../infra/narrator/bus.ts';
import type { Narrator } from '../../infra/narrator/index.ts';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../infra/narrator/testing/openaiStandIn.ts';
import { dropRedisKeys, testRedisUrl } from '../../infra/testing/gameServer.ts';
import { narrationReachesItsWatchers, narratorWith, reply, serve, silent, type Served } from '../../infra/narrator/testing/spectatorNarration.ts';

describe('live narration in one process (no Redis)', () => {
  let standIn: OpenAiStandIn;
  let bus: NarrationBus;
  let narrator: Narrator;
  let served: Served;
  const prefix = `test:narration:${randomBytes(4).toString('hex')}:`;

  before(async () => {
    standIn = await startOpenAiStandIn({ reply: () => reply });
    bus = createNarrationBus({ REDIS_URL: undefined, PANTHEON_REDIS_PREFIX: prefix }, silent);
    narrator = narratorWith(standIn, bus);
    served = await serve('spectator_narration_local', bus, prefix);
  });
  after(async () => {
    await narrator.close();
    await served.stop();
    await bus.close();
    await standIn.close();
    await dropRedisKeys(testRedisUrl, prefix);
  });

  test('a narration streams to the watchers of its match only, then the recorded text', async () => {
    // In process, a subscription holds as soon as the room is created.
    await narrationReachesItsWatchers({ served, narrator, label: 'nl', subscribed: async () => {} });
  });
});
