// The README's promise: DISCORD_PUBLIC_KEY and DISCORD_APPLICATION_ID alone serve the
// interactions endpoint (no bot token: no live messages, no Discord purchases). A real
// server process started with just those two, answering a signed PING and a slash command.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { freePort, startServerProcess } from '../testing/process.ts';
import { discordKeys, signatureHeaders } from './testing/sign.ts';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

test('a server with only DISCORD_PUBLIC_KEY and DISCORD_APPLICATION_ID answers signed interactions', async () => {
  const keys = discordKeys();
  const applicationId = '1310000000000000777';
  const dir = await mkdtemp(path.join(tmpdir(), 'pantheon-discord-key-'));
  dirs.push(dir);
  const port = await freePort();
  const server = startServerProcess({ PORT: String(port), PANTHEON_DATA_DIR: dir, DISCORD_PUBLIC_KEY: keys.publicKeyHex, DISCORD_APPLICATION_ID: applicationId });
  try {
    await server.waitFor('ready');
    assert.ok(server.lines.some((line) => String(line.msg).includes('no live spectator messages')), 'no bot token: says there are no live messages');
    const send = (body: unknown) => {
      const text = JSON.stringify(body);
      return fetch(`http://127.0.0.1:${port}/discord/interactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signatureHeaders(keys.privateKey, text, Math.floor(Date.now() / 1000)) },
        body: text,
      });
    };
    const ping = await send({ id: '1310000000000000001', application_id: applicationId, type: 1, token: 'ping-token', version: 1 });
    assert.equal(ping.status, 200);
    assert.deepEqual(await ping.json(), { type: 1 });
    const leaderboard = await send({
      id: '1310000000000000002', application_id: applicationId, type: 2, token: 'command-token', version: 1,
      member: { user: { id: '1310000000000000555', username: 'ana' } },
      data: { id: '1310000000000000300', name: 'leaderboard', type: 1, options: [] },
    });
    assert.equal(leaderboard.status, 200);
    assert.equal(((await leaderboard.json()) as { type: number }).type, 4, 'answered in place');
    const unsigned = await fetch(`http://127.0.0.1:${port}/discord/interactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(unsigned.status, 401);
  } finally {
    server.kill('SIGTERM');
    await server.exit;
  }
});
