// Sign-in, sessions, accounts and access control over HTTP, end to end: a real server on
// PostgreSQL and Redis, Steam and Discord stood in for by local servers speaking their
// API shapes, every request made as a client would make it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { defineProjection, readModelTable } from '../../projections/index.ts';
import { discordStandIn, steamStandIn, type StandIn } from '../testing/platforms.ts';
import { startTestGameServer, type TestGameServer } from '../testing/gameServer.ts';
import { AccessTokens } from './tokens.ts';

const secret = randomBytes(32).toString('base64url');
const steamKey = 'A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6';
const tickets = new Map([
  ['aa11bb22cc33dd44', { steamid: '76561197960287930' }],
  ['aa11bb22cc33dd55', { steamid: '76561197960287931' }],
  ['bada55bada55bada55', { steamid: '76561197960287932', expired: true }],
  ['ba11ed0000000000', { steamid: '76561197960287933', publisherbanned: true }],
  ['aa11bb22cc33dd66', { steamid: '76561197960287934' }],
]);
const discordCodes = new Map([
  ['code-for-wren-0001', { user: { id: '80351110224678912', username: 'wren', global_name: "Wren 'the Bold' 🐦" } }],
  ['code-for-wren-0002', { user: { id: '80351110224678912', username: 'wren', global_name: null } }],
  ['code-stale-000001', { user: { id: '80351110224678913', username: 'old', global_name: null }, expired: true }],
]);

// Names a person may choose, stored and returned exactly: SQL, quotes, RTL override, zero-width
// joiners, combining marks, astral emoji, a backslash run and JSON-looking text.
const oddNames = [
  "Robert'); DROP TABLE players;--",
  '" OR ""="',
  '\u202Egnp.exe',
  '👩‍👩‍👧‍👦 family',
  'Z̷̢̛a̶l̵g̴o̷',
  '%00 \\\\ \\" $$ ;',
  '{"playerId":"admin"}',
  '𝕬𝖉𝖒𝖎𝖓 ﷽',
];

// A read model written by a projection: display names as SQL rows, rebuilt by the admin route.
const namesProjection = defineProjection({
  name: 'test_player_names',
  version: 1,
  tables: { names: { columns: 'player_id text primary key, display_name text' } },
  eventTypes: new Set(['PlayerRegistered']),
  async apply(tx, events, tables) {
    for (const event of events) {
      const data = event.data as { playerId: string; displayName: string | null };
      await tx.query(`INSERT INTO ${tables.names} (player_id, display_name) VALUES ($1, $2) ON CONFLICT (player_id) DO NOTHING`, [data.playerId, data.displayName]);
    }
  },
});

let server: TestGameServer;
let steam: StandIn;
let discord: StandIn;

type Reply = { status: number; headers: Headers; body: Record<string, unknown> & { error?: { code: string; message: string } } };

async function call(method: string, path: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(options.body !== undefined || options.raw !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${server.httpUrl}${path}`, { method, headers, body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Reply['body']) : {} };
}

const device = () => `device-${randomBytes(12).toString('hex')}`;
const guest = async (deviceId = device(), displayName?: string) => {
  const reply = await call('POST', '/auth/guest', { body: { deviceId, ...(displayName === undefined ? {} : { displayName }) } });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body as { playerId: string; accessToken: string; refreshToken: string; created: boolean; roles: string[]; displayName: string | null };
};

before(async () => {
  steam = await steamStandIn({ key: steamKey, appId: 480, tickets });
  discord = await discordStandIn({ clientId: '1234567890123456789', clientSecret: 'standin-secret', redirectUri: 'https://play.example.com/cb', codes: discordCodes });
  server = await startTestGameServer('auth_signin', {
    env: {
      PANTHEON_JWT_SECRET: secret,
      STEAM_API_BASE_URL: steam.baseUrl,
      STEAM_WEB_API_KEY: steamKey,
      STEAM_APP_ID: '480',
      DISCORD_API_BASE_URL: discord.baseUrl,
      DISCORD_CLIENT_ID: '1234567890123456789',
      DISCORD_CLIENT_SECRET: 'standin-secret',
      DISCORD_REDIRECT_URI: 'https://play.example.com/cb',
    },
    readSide: { processors: [namesProjection] },
    // Every request here comes from 127.0.0.1; the limits have their own test (limits.test.ts).
    auth: { limits: { 'signin.ip': { limit: 10_000, windowMs: 60_000 } } },
  });
});
after(async () => {
  await server.stop();
  await steam.close();
  await discord.close();
});

describe('guest sign-in', () => {
  test('a new device registers a player with a UUIDv7 id; the same device signs in as the same player', async () => {
    const deviceId = device();
    const first = await guest(deviceId);
    assert.equal(first.created, true);
    assert.match(first.playerId, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(first.roles, ['player']);
    const again = await guest(deviceId);
    assert.deepEqual([again.playerId, again.created], [first.playerId, false]);
    const events = await server.store.readStream(`player-${first.playerId}`);
    assert.deepEqual(events.map((e) => e.type), ['PlayerRegistered']);
    assert.deepEqual((await server.store.readStream(`identity-guest.${deviceId}`)).map((e) => e.type), ['IdentityClaimed']);
  });

  test('display names with SQL and odd Unicode are stored and returned verbatim', async () => {
    for (const name of oddNames) {
      const session = await guest(device(), name);
      assert.equal(session.displayName, name);
      const account = await call('GET', `/players/${session.playerId}/account`, { token: session.accessToken });
      assert.equal(account.status, 200);
      assert.equal(account.body.displayName, name);
      const [registered] = await server.store.readStream(`player-${session.playerId}`);
      assert.equal((registered!.data as { displayName: string }).displayName, name);
    }
  });

  test('malformed sign-ins are refused with a code and register nobody', async () => {
    const head = await server.store.headPosition();
    const cases: Array<[Parameters<typeof call>[2], number, string]> = [
      [{ body: { deviceId: 'short' } }, 400, 'http/invalid_body'],
      [{ body: { deviceId: "x' OR '1'='1' -- padding" } }, 400, 'http/invalid_body'],
      [{ body: { deviceId: device(), displayName: 'bell\u0007' } }, 400, 'http/invalid_body'],
      [{ raw: `{"deviceId":"${device()}","displayName":"half \\ud800 a pair"}` }, 400, 'http/invalid_body'],
      [{ body: { deviceId: device(), role: 'admin' } }, 400, 'http/invalid_body'],
      [{ raw: '{"deviceId": ' }, 400, 'http/invalid_json'],
      [{ raw: JSON.stringify({ deviceId: device() }), headers: { 'content-type': 'text/plain' } }, 415, 'http/unsupported_media_type'],
      [{ raw: JSON.stringify({ deviceId: device(), displayName: 'x'.repeat(70_000) }) }, 413, 'http/body_too_large'],
    ];
    for (const [options, status, code] of cases) {
      const reply = await call('POST', '/auth/guest', options);
      assert.deepEqual([reply.status, reply.body.error?.code], [status, code], JSON.stringify(options).slice(0, 120));
    }
    assert.equal(await server.store.headPosition(), head);
  });
});

describe('Steam sign-in', () => {
  test('a valid ticket signs in as the Steam account’s player, asking Steam with the key and app id', async () => {
    const first = await call('POST', '/auth/steam', { body: { ticket: 'aa11bb22cc33dd44' } });
    assert.equal(first.status, 200);
    assert.equal(first.body.created, true);
    const asked = steam.requests.at(-1)!;
    assert.deepEqual([asked.path, asked.query.key, asked.query.appid, asked.query.ticket], ['/ISteamUserAuth/AuthenticateUserTicket/v1/', steamKey, '480', 'aa11bb22cc33dd44']);
    const again = await call('POST', '/auth/steam', { body: { ticket: 'aa11bb22cc33dd44' } });
    assert.deepEqual([again.body.playerId, again.body.created], [first.body.playerId, false]);
  });

  test('invalid, expired and banned tickets are refused with their codes', async () => {
    const head = await server.store.headPosition();
    const invalid = await call('POST', '/auth/steam', { body: { ticket: '0123456789abcdef' } });
    assert.deepEqual([invalid.status, invalid.body.error?.code], [401, 'auth/platform_rejected']);
    assert.match(invalid.body.error!.message, /Invalid ticket \(101\)/);
    const expired = await call('POST', '/auth/steam', { body: { ticket: 'bada55bada55bada55' } });
    assert.deepEqual([expired.status, expired.body.error?.code], [401, 'auth/platform_rejected']);
    const banned = await call('POST', '/auth/steam', { body: { ticket: 'ba11ed0000000000' } });
    assert.deepEqual([banned.status, banned.body.error?.code], [403, 'auth/platform_banned']);
    const notHex = await call('POST', '/auth/steam', { body: { ticket: 'not a ticket' } });
    assert.deepEqual([notHex.status, notHex.body.error?.code], [400, 'http/invalid_body']);
    assert.equal(await server.store.headPosition(), head);
  });

  test('Steam being down is auth/platform_unavailable with Retry-After, and nothing is written', async () => {
    const head = await server.store.headPosition();
    steam.mode = 'down';
    try {
      const down = await call('POST', '/auth/steam', { body: { ticket: 'aa11bb22cc33dd55' } });
      assert.deepEqual([down.status, down.body.error?.code, down.headers.get('retry-after')], [503, 'auth/platform_unavailable', '5']);
    } finally {
      steam.mode = 'up';
    }
    assert.equal(await server.store.headPosition(), head);
    const back = await call('POST', '/auth/steam', { body: { ticket: 'aa11bb22cc33dd55' } });
    assert.equal(back.status, 200);
  });
});

describe('Discord sign-in', () => {
  test('a code is exchanged for the Discord user, whose name is kept verbatim; the same user signs in as the same player', async () => {
    const first = await call('POST', '/auth/discord', { body: { code: 'code-for-wren-0001' } });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.displayName, "Wren 'the Bold' 🐦");
    const exchange = discord.requests.find((r) => r.path === '/api/oauth2/token')!;
    assert.equal(new URLSearchParams(exchange.body).get('redirect_uri'), 'https://play.example.com/cb');
    const again = await call('POST', '/auth/discord', { body: { code: 'code-for-wren-0002' } });
    assert.deepEqual([again.body.playerId, again.body.created], [first.body.playerId, false]);
  });

  test('a reused, expired or unknown code is refused; Discord down is unavailable', async () => {
    for (const code of ['code-for-wren-0001', 'code-stale-000001', 'code-never-issued']) {
      const reply = await call('POST', '/auth/discord', { body: { code } });
      assert.deepEqual([reply.status, reply.body.error?.code], [401, 'auth/platform_rejected'], code);
    }
    discord.mode = 'down';
    try {
      const down = await call('POST', '/auth/discord', { body: { code: 'code-anything-1' } });
      assert.deepEqual([down.status, down.body.error?.code], [503, 'auth/platform_unavailable']);
    } finally {
      discord.mode = 'up';
    }
  });
});

describe('sessions', () => {
  test('a refresh token buys one new session; used twice, it signs that whole sign-in out', async () => {
    const session = await guest();
    const refreshed = await call('POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } });
    assert.equal(refreshed.status, 200);
    assert.equal(refreshed.body.playerId, session.playerId);
    assert.notEqual(refreshed.body.refreshToken, session.refreshToken);
    const account = await call('GET', `/players/${session.playerId}/account`, { token: refreshed.body.accessToken as string });
    assert.equal(account.status, 200);

    const replayed = await call('POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } });
    assert.deepEqual([replayed.status, replayed.body.error?.code], [401, 'auth/refresh_token_reused']);
    const successor = await call('POST', '/auth/refresh', { body: { refreshToken: refreshed.body.refreshToken } });
    assert.deepEqual([successor.status, successor.body.error?.code], [401, 'auth/invalid_refresh_token']);
  });

  test('signing out voids the refresh token', async () => {
    const session = await guest();
    const out = await call('POST', '/auth/logout', { body: { refreshToken: session.refreshToken } });
    assert.deepEqual(out.body, { revoked: true });
    const refreshed = await call('POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } });
    assert.deepEqual([refreshed.status, refreshed.body.error?.code], [401, 'auth/invalid_refresh_token']);
  });
});

describe('access control', () => {
  test('missing, malformed, forged, tampered, wrong-algorithm and expired tokens are refused with their codes', async () => {
    const session = await guest();
    const path = `/players/${session.playerId}/account`;
    const missing = await call('GET', path);
    assert.deepEqual([missing.status, missing.body.error?.code], [401, 'auth/missing_token']);
    assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/);

    const otherKey = new AccessTokens({ secret: randomBytes(32) });
    const forged = (await otherKey.issue({ playerId: session.playerId, roles: ['player', 'admin'] })).token;
    const [header, payload, signature] = session.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, roles: ['player', 'admin'] })).toString('base64url')}.${signature}`;
    const hs512 = await new SignJWT({ roles: ['player'] })
      .setProtectedHeader({ alg: 'HS512', typ: 'at+jwt' })
      .setSubject(session.playerId).setIssuer('pantheon').setAudience('pantheon').setIssuedAt().setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    const expired = (await new AccessTokens({ secret: new TextEncoder().encode(secret), now: () => Date.now() - 3600_000 }).issue({ playerId: session.playerId, roles: ['player'] })).token;

    for (const [token, code] of [['garbage', 'auth/invalid_token'], [forged, 'auth/invalid_token'], [tampered, 'auth/invalid_token'], [hs512, 'auth/invalid_token'], [unsigned, 'auth/invalid_token'], [expired, 'auth/expired_token']] as const) {
      const reply = await call('GET', path, { headers: { authorization: `Bearer ${token}` } });
      assert.deepEqual([reply.status, reply.body.error?.code], [401, code], token.slice(0, 40));
    }
    const basic = await call('GET', path, { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    assert.deepEqual([basic.status, basic.body.error?.code], [401, 'auth/invalid_token']);
  });

  test('a player reads only their own account; an admin reads any; a watch-only token none', async () => {
    const ann = await guest();
    const bob = await guest();
    const denied = await call('GET', `/players/${bob.playerId}/account`, { token: ann.accessToken });
    assert.deepEqual([denied.status, denied.body.error?.code], [403, 'auth/forbidden']);
    const admin = await call('GET', `/players/${bob.playerId}/account`, { token: await server.tokenFor('ops-admin', ['player', 'admin']) });
    assert.equal(admin.status, 200);
    assert.equal(admin.body.playerId, bob.playerId);
    const watcher = await call('POST', '/auth/spectator');
    assert.deepEqual(watcher.body.roles, ['spectator']);
    const watching = await call('GET', `/players/${watcher.body.playerId as string}/account`, { token: watcher.body.accessToken as string });
    assert.deepEqual([watching.status, watching.body.error?.code], [403, 'auth/forbidden']);
  });

  test('a projection rebuild needs an admin: a player is refused, an admin rebuilds, and the rows keep every name verbatim', async () => {
    const player = await guest();
    const refused = await call('POST', '/projections/test_player_names/rebuild', { token: player.accessToken });
    assert.deepEqual([refused.status, refused.body.error?.code], [403, 'auth/forbidden']);
    const anonymous = await call('POST', '/projections/test_player_names/rebuild');
    assert.deepEqual([anonymous.status, anonymous.body.error?.code], [401, 'auth/missing_token']);
    const admin = await server.tokenFor('ops-admin', ['player', 'admin']);
    const unknown = await call('POST', '/projections/nope/rebuild', { token: admin });
    assert.deepEqual([unknown.status, unknown.body.error?.code], [404, 'projections/unknown']);
    const rebuilt = await call('POST', '/projections/test_player_names/rebuild', { token: admin });
    assert.equal(rebuilt.status, 200, JSON.stringify(rebuilt.body));
    assert.deepEqual(rebuilt.body.projections, ['test_player_names']);
    const rows = await readNames();
    for (const name of oddNames) assert.ok(rows.includes(name), `row for ${JSON.stringify(name)}`);
  });

  test('the OpenAPI document names the bearer scheme and who may call each route', async () => {
    const doc = await call('GET', '/openapi.json');
    const components = doc.body.components as { securitySchemes: Record<string, { scheme: string }> };
    assert.equal(components.securitySchemes.bearerAuth!.scheme, 'bearer');
    const paths = doc.body.paths as Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown>; 'x-pantheon-access': unknown }>>;
    assert.deepEqual(paths['/auth/guest']!.post!.security, []);
    assert.deepEqual(paths['/players/{playerId}/account']!.get!.security, [{ bearerAuth: [] }]);
    assert.equal(paths['/players/{playerId}/account']!.get!['x-pantheon-access'], 'player');
    assert.ok(paths['/projections/{name}/rebuild']!.post!.responses['403']);
    assert.ok(paths['/auth/guest']!.post!.responses['413']);
  });
});

describe('linking identities', () => {
  test('a guest links Steam, then signs in with Steam as the same player; nobody else may link it', async () => {
    const ann = await guest(device(), 'Ann');
    const linked = await call('POST', `/players/${ann.playerId}/identities/steam`, { token: ann.accessToken, body: { ticket: 'aa11bb22cc33dd66' } });
    assert.equal(linked.status, 200, JSON.stringify(linked.body));
    assert.deepEqual((linked.body.identities as Array<{ provider: string }>).map((i) => i.provider), ['guest', 'steam']);
    const viaSteam = await call('POST', '/auth/steam', { body: { ticket: 'aa11bb22cc33dd66' } });
    assert.deepEqual([viaSteam.body.playerId, viaSteam.body.created], [ann.playerId, false]);

    const bob = await guest();
    const taken = await call('POST', `/players/${bob.playerId}/identities/steam`, { token: bob.accessToken, body: { ticket: 'aa11bb22cc33dd66' } });
    assert.deepEqual([taken.status, taken.body.error?.code], [409, 'account/identity_taken']);
    const forAnother = await call('POST', `/players/${ann.playerId}/identities/guest`, { token: bob.accessToken, body: { deviceId: device() } });
    assert.deepEqual([forAnother.status, forAnother.body.error?.code], [403, 'auth/forbidden']);
  });

  test('unlinking: never the last identity; an unlinked identity signs in as a new player', async () => {
    const deviceId = device();
    const cy = await guest(deviceId);
    const last = await call('DELETE', `/players/${cy.playerId}/identities/guest/${deviceId}`, { token: cy.accessToken });
    assert.deepEqual([last.status, last.body.error?.code], [409, 'account/last_identity']);
    const linked = await call('POST', `/players/${cy.playerId}/identities/discord`, { token: cy.accessToken, body: { code: await freshDiscordCode('80351110224678999', 'cy') } });
    assert.equal(linked.status, 200, JSON.stringify(linked.body));
    const unlinked = await call('DELETE', `/players/${cy.playerId}/identities/guest/${deviceId}`, { token: cy.accessToken });
    assert.equal(unlinked.status, 200);
    assert.deepEqual((unlinked.body.identities as Array<{ provider: string }>).map((i) => i.provider), ['discord']);
    const notLinked = await call('DELETE', `/players/${cy.playerId}/identities/guest/${deviceId}`, { token: cy.accessToken });
    assert.deepEqual([notLinked.status, notLinked.body.error?.code], [404, 'account/not_linked']);
    const again = await guest(deviceId);
    assert.notEqual(again.playerId, cy.playerId);
    assert.equal(again.created, true);
  });
});

let codes = 0;
/** Registers a fresh code with the Discord stand-in's table for a user. */
async function freshDiscordCode(id: string, username: string): Promise<string> {
  const code = `code-fresh-${String(++codes).padStart(6, '0')}`;
  discordCodes.set(code, { user: { id, username, global_name: null } });
  return code;
}

async function readNames(): Promise<string[]> {
  const rows = await server.db.query<{ display_name: string | null }>(`SELECT display_name FROM ${readModelTable(server.schema, 'test_player_names', 'names')}`);
  return rows.flatMap((r) => (r.display_name === null ? [] : [r.display_name]));
}
