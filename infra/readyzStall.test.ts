// /readyz answers whatever the database does: with its connection stalled (packets
// dropped, nothing reset), the probe still answers, 503 with the store's check failed, and
// 200 again once the database is back. A load balancer never waits on a hung probe.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../events/sql/testing/schema.ts';
import { freePort, startServerProcess } from './testing/process.ts';
import { startTcpProxy, type TcpProxy } from './testing/tcpProxy.ts';

let proxy: TcpProxy;
let schema: TestSchema;
before(async () => {
  proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
  schema = await createTestSchema('readyz_stall');
});
after(async () => {
  proxy.restore();
  await proxy.close();
  await schema.drop();
});

type Probe = { status: number; body: { ready?: boolean; checks?: Record<string, string> } };
const probe = async (port: number): Promise<Probe> => {
  // The client's own limit is generous: the server's answer, not this one, is what is tested.
  const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as Probe['body'] };
};

test('with the database stalled, /readyz answers 503 naming the store, and 200 once it is back', async () => {
  const port = await freePort();
  const database = new URL(testDatabaseUrl);
  database.port = String(proxy.port);
  const server = startServerProcess({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: database.toString(), PANTHEON_DB_SCHEMA: schema.name, PANTHEON_ROLE: 'game', LOG_LEVEL: 'info' });
  await server.waitFor('ready');
  assert.equal((await probe(port)).status, 200);

  proxy.stall();
  const stalled = await probe(port);
  assert.equal(stalled.status, 503);
  assert.equal(stalled.body.ready, false);
  assert.notEqual(stalled.body.checks?.store, 'ok');

  proxy.restore();
  const deadline = Date.now() + 30_000;
  let back = await probe(port);
  while (back.status !== 200 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    back = await probe(port);
  }
  assert.equal(back.status, 200);
  server.kill('SIGTERM');
  assert.equal(await server.exit, 0);
});
