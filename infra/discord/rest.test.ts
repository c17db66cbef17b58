// The Discord REST client against a local stand-in speaking Discord's shapes, on a virtual
// clock: a 429's retry_after, a global 429 and an exhausted bucket are all waited out before
// the next request goes, and other resources' buckets are not held up.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DiscordRest, DiscordRestError, routeOf } from './rest.ts';
import { virtualClock } from './testing/clock.ts';
import { startDiscordRestStandIn, type DiscordRestStandIn } from './testing/restStandIn.ts';

const applicationId = '1310000000000000001';
const botToken = 'test-bot-token-0123456789';

test('rate limits are counted per route and top-level resource', () => {
  assert.deepEqual(routeOf('PATCH', '/channels/1310000000000000005/messages/1310000000000000009'), { route: 'PATCH /channels/:major/messages/:id', major: '1310000000000000005' });
  assert.deepEqual(routeOf('PATCH', '/webhooks/1310000000000000001/tok-en/messages/@original'), { route: 'PATCH /webhooks/:major/:token/messages/@original', major: '1310000000000000001/tok-en' });
  assert.deepEqual(routeOf('PUT', '/applications/1310000000000000001/commands'), { route: 'PUT /applications/:id/commands', major: '' });
});

describe('Discord REST client rate limits', () => {
  let standIn: DiscordRestStandIn;
  const clock = virtualClock();
  let rest: DiscordRest;
  const channel = (id: number) => `/channels/131000000000000010${id}/messages`;

  before(async () => {
    standIn = await startDiscordRestStandIn({ applicationId, botToken, clock });
    rest = new DiscordRest({ baseUrl: standIn.baseUrl, botToken, clock, maxRetries: 3 });
  });
  after(() => standIn.close());

  const callsTo = (path: string) => standIn.calls.filter((c) => c.path === path);

  test('a 429 is retried, and not before its retry_after', async () => {
    standIn.rateLimitNext('POST', /^\/channels\/\d+\/messages$/, 1.5);
    const answer = await rest.request('POST', channel(1), { body: { content: 'hello' } });
    assert.equal(answer.status, 200);
    const [limited, retried] = callsTo(channel(1));
    assert.ok(limited && retried, 'the request was sent twice');
    assert.ok(retried.at - limited.at >= 1500, `retried ${retried.at - limited.at} ms after a 1.5 s retry_after`);
    assert.equal(retried.authorization, `Bot ${botToken}`);
  });

  test('a global 429 holds back every route until it passes', async () => {
    standIn.rateLimitNext('POST', /^\/channels\/\d+\/messages$/, 2, { global: true });
    const first = rest.request('POST', channel(2), { body: { content: 'one' } });
    const answer = await first;
    const other = await rest.request('GET', `/applications/${applicationId}/commands`);
    assert.deepEqual([answer.status, other.status], [200, 200]);
    const limited = callsTo(channel(2))[0]!;
    const limitedAt = limited.at;
    const later = standIn.calls.slice(standIn.calls.indexOf(limited) + 1);
    assert.ok(later.length >= 2);
    for (const call of later) assert.ok(call.at - limitedAt >= 2000, `${call.method} ${call.path} went ${call.at - limitedAt} ms after a global 2 s limit`);
  });

  test('an exhausted bucket waits for its reset; another channel goes at once', async () => {
    standIn.exhaustNext('PATCH', /^\/channels\/\d+\/messages\/\d+$/, 3);
    const posted = await rest.request('POST', channel(3), { body: { content: 'live' } });
    const id = (posted.body as { id: string }).id;
    const edit = `${channel(3)}/${id}`;
    const first = await rest.request('PATCH', edit, { body: { content: 'edit 1' } });
    const startedAt = clock.now();
    // Another channel's message: its own bucket, not held up.
    const elsewhere = await rest.request('POST', channel(4), { body: { content: 'elsewhere' } });
    assert.equal(callsTo(channel(4))[0]!.at, startedAt);
    const second = await rest.request('PATCH', edit, { body: { content: 'edit 2' } });
    assert.deepEqual([first.status, elsewhere.status, second.status], [200, 200, 200]);
    const [e1, e2] = callsTo(edit);
    assert.ok(e2!.at - e1!.at >= 3000, `second edit ${e2!.at - e1!.at} ms after the bucket said 3 s`);
    assert.equal(standIn.messages.get(id)!.content, 'edit 2');
  });

  test('a request still rate limited after its retries fails with discord/rate_limited', async () => {
    for (let i = 0; i < 4; i++) standIn.rateLimitNext('POST', /^\/channels\/\d+\/messages$/, 0.5);
    await assert.rejects(rest.request('POST', channel(5), { body: { content: 'never' } }), (error: unknown) => error instanceof DiscordRestError && error.code === 'discord/rate_limited');
    const tries = callsTo(channel(5));
    assert.equal(tries.length, 4);
    for (let i = 1; i < tries.length; i++) assert.ok(tries[i]!.at - tries[i - 1]!.at >= 500);
  });
});
