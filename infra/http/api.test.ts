// The HTTP read API end to end: a real server with its projector on PostgreSQL, asked
// over HTTP the way a client or a launcher would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WalletService } from '../../commands/wallet/service.ts';
import { startTestGameServer, type TestGameServer } from '../testing/gameServer.ts';

describe('HTTP read API', () => {
  let server: TestGameServer;

  before(async () => {
    server = await startTestGameServer('http_api', { readSide: true });
  });
  after(async () => {
    await server.stop();
  });

  /** GET as a signed-in player (or admin, or auditor); `null`: no token at all. */
  const get = async (path: string, as: { playerId: string; roles?: ('player' | 'admin' | 'auditor')[] } | null = { playerId: 'ilsa' }) => {
    const headers: Record<string, string> = as ? { Authorization: `Bearer ${await server.tokenFor(as.playerId, as.roles)}` } : {};
    const response = await fetch(`${server.httpUrl}${path}`, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const codeOf = (body: Record<string, unknown>) => (body.error as { code: string }).code;

  test("a player's wallet and ledger, as the read models have them", async () => {
    const wallets = new WalletService({ store: server.store });
    for (let i = 1; i <= 3; i++) {
      const result = await wallets.execute({ type: 'Credit', playerId: 'ilsa', idempotencyKey: `quest-${i}`, currency: 'coins', amount: 100 * i, counterAccount: 'system:rewards', reason: 'quest.complete' });
      assert.equal(result.ok, true);
    }
    await server.projector!.waitFor(await server.store.headPosition());

    const wallet = await get('/players/ilsa/wallet');
    assert.equal(wallet.status, 200);
    assert.deepEqual(wallet.body, { playerId: 'ilsa', balances: [{ currency: 'coins', available: 600, escrowed: 0 }] });

    const page = await get('/players/ilsa/ledger?limit=2');
    assert.equal(page.status, 200);
    const lines = page.body.lines as { delta: number; reason: string }[];
    assert.deepEqual(lines.map((l) => [l.delta, l.reason]), [[300, 'quest.complete'], [200, 'quest.complete']]);
    const rest = await get(`/players/ilsa/ledger?limit=2&before=${page.body.next as string}`);
    assert.deepEqual((rest.body.lines as { delta: number }[]).map((l) => l.delta), [100]);
    assert.equal(rest.body.next, null);

    // Only the player and admins see a wallet; nobody unsigned.
    const stranger = await get('/players/ilsa/wallet', { playerId: 'mallory' });
    assert.equal(stranger.status, 403);
    assert.equal(codeOf(stranger.body), 'auth/forbidden');
    const anonymous = await get('/players/ilsa/ledger', null);
    assert.equal(anonymous.status, 401);
    const admin = await get('/players/ilsa/wallet', { playerId: 'ops', roles: ['admin'] });
    assert.deepEqual(admin.body, wallet.body);
  });

  test('bad input is refused with a stable code and a message naming the problem', async () => {
    const badLimit = await get('/players/ilsa/ledger?limit=100000');
    assert.equal(badLimit.status, 400);
    assert.equal((badLimit.body.error as { code: string }).code, 'http/invalid_query');
    assert.match((badLimit.body.error as { message: string }).message, /limit/);

    const badCursor = await get('/players/ilsa/ledger?before=yesterday');
    assert.equal((badCursor.body.error as { code: string }).code, 'http/invalid_query');

    const badPlayer = await get(`/players/${encodeURIComponent("x' OR 1=1 --")}/wallet`);
    assert.equal(badPlayer.status, 400);
    assert.equal((badPlayer.body.error as { code: string }).code, 'http/invalid_params');
  });

  test('projection status shows every read model caught up', async () => {
    await server.projector!.waitFor(await server.store.headPosition());
    const refused = await get('/projections');
    assert.equal(refused.status, 403);
    const status = await get('/projections', { playerId: 'ops', roles: ['auditor'] });
    const projections = status.body.projections as { name: string; state: string; lagEvents: number }[];
    assert.ok(projections.length > 0);
    for (const projection of projections) {
      assert.equal(projection.state, 'running', projection.name);
      assert.equal(projection.lagEvents, 0, projection.name);
    }
  });

  test('anti-cheat findings are for auditors and admins, and the query is checked', async () => {
    const player = await get('/anticheat/findings', { playerId: 'ilsa' });
    assert.equal(player.status, 403);
    const auditor = await get('/anticheat/findings?kind=command_rate&limit=10', { playerId: 'ops', roles: ['auditor'] });
    assert.equal(auditor.status, 200);
    assert.ok(Array.isArray(auditor.body.findings));
    const bad = await get('/anticheat/findings?kind=speedhack', { playerId: 'ops', roles: ['auditor'] });
    assert.equal(codeOf(bad.body), 'http/invalid_query');
  });

  test('the OpenAPI document describes every route with its parameters and responses', async () => {
    const { status, body } = await get('/openapi.json');
    assert.equal(status, 200);
    assert.equal(body.openapi, '3.1.0');
    const paths = body.paths as Record<string, Record<string, { operationId: string; parameters: { name: string; in: string }[]; responses: Record<string, unknown> }>>;
    const ledger = paths['/players/{playerId}/ledger']!.get!;
    assert.equal(ledger.operationId, 'getLedger');
    assert.deepEqual(ledger.parameters.map((p) => `${p.in}:${p.name}`), ['path:playerId', 'query:limit', 'query:before']);
    assert.ok(ledger.responses['200'] && ledger.responses['400']);
    assert.ok(paths['/players/{playerId}/wallet']?.get);
    assert.ok(paths['/projections']?.get);
  });
});
