// A large answer reaches the client whole: the OpenAPI document and a route answering
// hundreds of kilobytes are read to their last byte (the router's adapter once left such
// answers hanging after the first buffer's worth).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { startTestGameServer, type TestGameServer } from '../testing/gameServer.ts';
import { defineRoute } from './route.ts';

let server: TestGameServer;
const Big = z.object({ lines: z.array(z.string()) });
before(async () => {
  server = await startTestGameServer('whole_responses', {
    readSide: true,
    routes: [defineRoute({
      name: 'bigAnswer', method: 'GET', path: '/test/big', summary: 'a large answer', tags: ['test'], access: 'public', response: Big,
      handle: async () => ({ lines: Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(100)}`) }),
    })],
  });
});
after(async () => {
  await server.stop();
});

test('a 500 KB answer and the whole OpenAPI document arrive complete', async () => {
  const big = Big.parse(await (await fetch(`${server.httpUrl}/test/big`, { signal: AbortSignal.timeout(20_000) })).json());
  assert.equal(big.lines.length, 5000);
  assert.equal(big.lines.at(-1), `line 4999 ${'x'.repeat(100)}`);
  const document = (await (await fetch(`${server.httpUrl}/openapi.json`, { signal: AbortSignal.timeout(20_000) })).json()) as { paths: Record<string, unknown> };
  assert.ok(document.paths['/players/{playerId}/quests'] && document.paths['/test/big']);
  // The same connection still serves the next request.
  assert.equal((await fetch(`${server.httpUrl}/healthz`)).status, 200);
});
