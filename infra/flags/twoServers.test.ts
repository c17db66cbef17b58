// A flag change reaches every game server: two real server processes (PANTHEON_ROLE=game)
// share a PostgreSQL store and a Redis, with their log polls set to an hour so only the
// Redis notification can carry a change. A flag defined with `pantheon flags define` (a CLI
// process) and then changed over HTTP on one server shows in the other's client manifest.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import { freePort, startServerProcess, type ServerProcess } from '../testing/process.ts';
import { testJwtSecret, tokenMinter } from '../testing/signedIn.ts';

// A Redis database of this file's own: Colyseus keeps its listing under fixed key names.
const redisUrl = `${process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'}/13`;
const cli = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
const tokenFor = tokenMinter();

let schema: TestSchema;
const servers: { process: ServerProcess; http: string }[] = [];

function env(): Record<string, string> {
  return { DATABASE_URL: testDatabaseUrl, PANTHEON_DB_SCHEMA: schema.name, REDIS_URL: redisUrl, PANTHEON_REDIS_PREFIX: `test:${schema.name}:` };
}

before(async () => {
  schema = await createTestSchema('liveops_two');
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const server = startServerProcess({
      ...env(),
      PANTHEON_ROLE: 'game',
      PORT: String(port),
      HOST: '127.0.0.1',
      PANTHEON_JWT_SECRET: testJwtSecret,
      PANTHEON_ADMIN_PLAYER_IDS: 'ops',
      PANTHEON_FLAGS_POLL_SECONDS: '3600',
      LOG_LEVEL: 'info',
    });
    await server.waitFor('ready');
    servers.push({ process: server, http: `http://127.0.0.1:${port}` });
  }
});

after(async () => {
  for (const server of servers) server.process.kill('SIGTERM');
  await Promise.all(servers.map((server) => server.process.exit));
  const redis = new Redis(redisUrl);
  await redis.del('roomcaches', 'roomcount');
  for (const key of await redis.keys(`test:${schema.name}:*`)) await redis.del(key);
  redis.disconnect();
  await schema.drop();
});

async function manifestValue(http: string, key: string): Promise<unknown> {
  const response = await fetch(`${http}/config`, { headers: { Authorization: `Bearer ${await tokenFor('ana')}`, 'x-pantheon-client': 'vr/2.0.0' } });
  const body = (await response.json()) as { flags: Record<string, { value: unknown }> };
  return body.flags[key]?.value;
}

async function eventually(what: string, read: () => Promise<unknown>, expected: unknown): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (value === expected) return;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}, expected ${JSON.stringify(expected)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function pantheon(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '', ...env() } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

test('a flag defined with the CLI and changed on one server reaches the other over Redis', async () => {
  const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
  const malformed = await pantheon(['flags', 'define', JSON.stringify({ key: 'vr.hand_tracking', type: 'boolean', defaultValue: false, rules: [{ platforms: ['quest'], value: true }] }), '--by', 'alice']);
  assert.equal(malformed.code, 2);
  assert.match(malformed.stderr, /^pantheon: definition: .*at rules\[0\]\.platforms\[0\]/);

  const defined = await pantheon(['flags', 'define', JSON.stringify({ key: 'vr.hand_tracking', type: 'boolean', defaultValue: false, rules: [{ platforms: ['vr'], value: true }] }), '--by', 'alice', '--json']);
  assert.equal(defined.code, 0, defined.stderr);
  assert.deepEqual(JSON.parse(defined.stdout), { revision: 1, recorded: ['FlagDefined'] });
  await eventually('server A after the CLI', () => manifestValue(a.http, 'vr.hand_tracking'), true);
  await eventually('server B after the CLI', () => manifestValue(b.http, 'vr.hand_tracking'), true);

  const changed = await fetch(`${a.http}/flags/vr.hand_tracking/rules`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await tokenFor('ops', ['player', 'admin'])}`, 'content-type': 'application/json' },
    body: JSON.stringify({ rules: [], reason: 'tracking drifts on some headsets' }),
  });
  assert.equal(changed.status, 200);
  assert.equal(await manifestValue(a.http, 'vr.hand_tracking'), false, 'the server that recorded it answers with it at once');
  await eventually('server B after the change on A', () => manifestValue(b.http, 'vr.hand_tracking'), false);
  const heard = b.process.lines.filter((line) => line.msg === 'flags updated').map((line) => [line.via, line.revision]);
  assert.deepEqual(heard, [['notification', 1], ['notification', 2]], 'server B learnt both from Redis, not its hourly poll');

  const listed = await pantheon(['flags', 'list', '--json']);
  const listing = JSON.parse(listed.stdout) as { revision: number; flags: { key: string; rules: unknown[] }[] };
  assert.deepEqual([listing.revision, listing.flags.map((f) => [f.key, f.rules.length])], [2, [['vr.hand_tracking', 0]]]);
});
