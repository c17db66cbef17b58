// The HTTP edge against hostile requests, over raw sockets to a real game server: every
// error answer is the documented JSON shape, and the connection is closed where it should be.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestGameServer, type TestGameServer } from '../testing/gameServer.ts';
import { errorCodeOf, rawExchange } from '../testing/rawHttp.ts';

let server: TestGameServer;
before(async () => {
  server = await startTestGameServer('http_edge', { env: { PANTHEON_CORS_ORIGINS: 'https://play.example.com' } });
});
after(() => server.stop());

const request = (line: string, headers: string[] = []) => [line, 'Host: 127.0.0.1', 'Connection: close', ...headers, '', ''].join('\r\n');

describe('HTTP edge', () => {
  const refusals: Array<[string, string | Buffer, number, string]> = [
    ['TRACE', request('TRACE / HTTP/1.1'), 405, 'http/method_not_allowed'],
    ['TRACK', request('TRACK / HTTP/1.1'), 405, 'http/method_not_allowed'],
    ['a made-up method', request('FROB /healthz HTTP/1.1'), 405, 'http/method_not_allowed'],
    ['CONNECT', request('CONNECT example.com:443 HTTP/1.1'), 405, 'http/method_not_allowed'],
    ['bad header bytes', request('GET /healthz HTTP/1.1', ['X-Bad: a\u0001b']), 400, 'http/bad_request'],
    ['oversized headers', request('GET /healthz HTTP/1.1', [`X-Big: ${'a'.repeat(20_000)}`]), 431, 'http/headers_too_large'],
    ['a smuggling attempt', request('POST /auth/guest HTTP/1.1', ['Content-Length: 4', 'Transfer-Encoding: chunked']), 400, 'http/bad_request'],
    ['not HTTP at all', Buffer.from('\u0016\u0003\u0001\u0000\u00a5garbage\r\n\r\n', 'latin1'), 400, 'http/bad_request'],
    ['a ../ path', request('GET /../../etc/passwd HTTP/1.1'), 404, 'http/not_found'],
    ['an unrouted path', request('GET /nowhere HTTP/1.1'), 404, 'http/not_found'],
    ['the wrong method on a route', request('GET /auth/guest HTTP/1.1'), 405, 'http/method_not_allowed'],
    ['the root (no version banner)', request('GET / HTTP/1.1'), 404, 'http/not_found'],
    ['/metrics without the operator token', request('GET /metrics HTTP/1.1'), 404, 'http/not_found'],
  ];
  for (const [what, raw, status, code] of refusals) {
    test(`${what} is answered ${status} ${code} in the JSON shape`, async () => {
      const answer = await rawExchange(server.game.port, raw);
      assert.equal(answer.status, status, answer.headers);
      assert.equal(errorCodeOf(answer), code);
      assert.doesNotMatch(answer.headers + answer.body, /Colyseus \d|at .*\.ts:\d/);
    });
  }

  test('methods nobody routes close the connection after the answer', async () => {
    const answer = await rawExchange(server.game.port, request('TRACE / HTTP/1.1'));
    assert.equal(answer.closedByServer, true);
  });

  test('CORS answers only allowlisted origins, and never allows credentials', async () => {
    const evil = await fetch(`${server.httpUrl}/healthz`, { headers: { origin: 'https://evil.example' } });
    assert.equal(evil.headers.get('access-control-allow-origin'), null);
    assert.equal(evil.headers.get('access-control-allow-credentials'), null);
    const ours = await fetch(`${server.httpUrl}/healthz`, { headers: { origin: 'https://play.example.com' } });
    assert.equal(ours.headers.get('access-control-allow-origin'), 'https://play.example.com');
    assert.equal(ours.headers.get('access-control-allow-credentials'), null);
  });
});
