// GET /content/active and /content/:version as a client meets them: everything it needs to
// build its UI (every ability's targeting, cooldowns, bosses, rituals, codex, shop), an ETag
// to revalidate with, a 404 with a code for a version nobody published, and OpenAPI that
// describes it. A real game server on PostgreSQL, read over HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { contentByVersion, currentContentVersion } from '../../events/content/registry.ts';
import { ritualContent } from '../../rooms/ritual/content.ts';
import { loadCodex } from '../../events/content/codex.ts';
import { startTestGameServer, type TestGameServer } from '../testing/gameServer.ts';
import { ClientContent } from './contentDocument.ts';

let server: TestGameServer;
before(async () => {
  server = await startTestGameServer('content_api', { readSide: true });
});
after(async () => {
  await server.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.httpUrl}${path}`, { headers });

describe('GET /content/active', () => {
  test('lists the targeting, cooldown and effects of every ability of the active content', async () => {
    const response = await get('/content/active');
    assert.equal(response.status, 200);
    const document = ClientContent.parse(await response.json());
    const content = contentByVersion(currentContentVersion);
    assert.deepEqual([document.contentVersion, document.active], [currentContentVersion, true]);
    assert.deepEqual(
      document.abilities.map((a) => [a.id, a.target, a.cooldownTicks]),
      content.abilities.map((a) => [a.id, a.target, a.cooldownTicks]),
    );
    for (const ability of document.abilities) assert.ok(ability.effects.length > 0, ability.id);
    assert.deepEqual(document.targeting.map((t) => t.target), ['enemy', 'ally', 'self']);
    assert.deepEqual(new Set(document.abilities.map((a) => a.target)), new Set(['enemy', 'ally', 'self']));
    // What the oracles, raids, rituals, codex and shop screens need.
    assert.equal(document.signs.length, 12);
    assert.deepEqual(document.raidBosses.map((b) => b.id), content.raidBosses.map((b) => b.id));
    assert.ok(document.raidBosses.every((b) => b.phases[0]!.fromHpPercent === 100 && b.abilities.length > 0));
    assert.deepEqual(document.rituals.map((r) => [r.id, r.steps.length]), ritualContent.rituals.map((r) => [r.id, r.steps.length]));
    assert.equal(document.rituals.find((r) => r.id === 'ember-vigil')!.steps[0]!.seat, -1, '`any` seat is -1, as in the ritual state');
    const codex = loadCodex();
    assert.equal(document.codex.length, codex.entries.length);
    assert.equal(JSON.stringify(document.codex).includes(codex.entries[0]!.lore), false, 'lore is earned, not listed');
    assert.ok(document.shop.some((item) => item.sku === 'starter_pack' && item.productIds.steam!.includes('1004')));
  });

  test('an ETag: the same copy again is 304 with no body; another tag gets the document', async () => {
    const first = await get('/content/active');
    const etag = first.headers.get('etag');
    assert.match(etag ?? '', /^"[A-Za-z0-9_-]+"$/);
    assert.equal(first.headers.get('cache-control'), 'no-cache');
    const again = await get('/content/active', { 'if-none-match': etag! });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    const other = await get('/content/active', { 'if-none-match': '"something-else"' });
    assert.equal(other.status, 200);
    const byVersion = await get(`/content/${currentContentVersion}`, { 'if-none-match': `W/${etag!}` });
    assert.equal(byVersion.status, 304, 'the active version under its own name is the same document');
    const malformed = await get('/content/active', { 'if-none-match': 'no quotes' });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { error: { code: string } }).error.code, 'http/invalid_headers');
  });
});

describe('GET /content/:version', () => {
  test('an unknown version is 404 content/unknown_version; a malformed one 400', async () => {
    const unknown = await get('/content/2099.1.1');
    assert.equal(unknown.status, 404);
    const body = (await unknown.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'content/unknown_version');
    assert.match(body.error.message, /2099\.1\.1/);
    const malformed = await get('/content/latest');
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { error: { code: string } }).error.code, 'http/invalid_params');
  });

  test('OpenAPI describes both routes, the ETag and the content types, with references that resolve', async () => {
    const document = (await (await get('/openapi.json')).json()) as {
      paths: Record<string, { get?: { responses: Record<string, { headers?: unknown }>; parameters: { name: string }[] } }>;
      components: { schemas: Record<string, unknown> };
    };
    for (const path of ['/content/active', '/content/{version}']) {
      const operation = document.paths[path]?.get;
      assert.ok(operation, path);
      assert.ok(operation.responses['304'] && operation.responses['200']!.headers, `${path}: ETag and 304`);
      assert.ok(operation.parameters.some((p) => p.name === 'If-None-Match'));
    }
    assert.ok(document.paths['/content/{version}']!.get!.responses['404']);
    for (const name of ['ClientContent', 'ContentAbility', 'ContentTargeting', 'ContentBoss', 'ContentRitual', 'ContentCodexEntry', 'ContentShopItem']) {
      assert.ok(document.components.schemas[name], name);
    }
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    for (const ref of new Set(refs)) {
      assert.match(ref, /^#\/components\/schemas\//, ref);
      assert.ok(document.components.schemas[ref.slice('#/components/schemas/'.length)], `${ref} resolves`);
    }
  });
});
