// Command registration against the REST stand-in: the first run writes the set with one
// bulk overwrite, a second run finds nothing to change and writes nothing, and a changed
// or removed command is reported by name before the set is overwritten.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { commandDefinitions } from './commands.ts';
import { main, registerCommands } from './register.ts';
import { DiscordRest } from './rest.ts';
import { startDiscordRestStandIn, type DiscordRestStandIn } from './testing/restStandIn.ts';

const applicationId = '1310000000000000001';
const botToken = 'test-bot-token-0123456789';
const quiet = { info: () => {} };

describe('slash command registration', () => {
  let standIn: DiscordRestStandIn;
  let rest: DiscordRest;
  before(async () => {
    standIn = await startDiscordRestStandIn({ applicationId, botToken });
    rest = new DiscordRest({ baseUrl: standIn.baseUrl, botToken });
  });
  after(() => standIn.close());

  const puts = () => standIn.calls.filter((c) => c.method === 'PUT');

  test('registers every command, then is a no-op when run again', async () => {
    const first = await registerCommands({ rest, applicationId, logger: quiet });
    assert.deepEqual(first.added, commandDefinitions.map((c) => c.name));
    assert.equal(first.wrote, true);
    assert.deepEqual(standIn.commands.get('global')!.map((c) => c.name), ['watch', 'wallet', 'codex', 'progress', 'leaderboard', 'audit', 'quests']);
    assert.equal(puts().length, 1);
    assert.equal(puts()[0]!.path, `/applications/${applicationId}/commands`);
    assert.equal(puts()[0]!.authorization, `Bot ${botToken}`);

    const second = await registerCommands({ rest, applicationId, logger: quiet });
    assert.deepEqual(second, { added: [], changed: [], removed: [], unchanged: commandDefinitions.map((c) => c.name), wrote: false });
    assert.equal(puts().length, 1, 'nothing written the second time');
  });

  test('reports changed and removed commands, and a dry run writes nothing', async () => {
    const registered = standIn.commands.get('global')!;
    standIn.commands.set('global', [...registered.map((c) => (c.name === 'audit' ? { ...c, description: 'old text' } : c)), { id: '1310000000000009999', name: 'legacy', description: 'gone', type: 1 }]);
    const dry = await registerCommands({ rest, applicationId, dryRun: true, logger: quiet });
    assert.deepEqual([dry.changed, dry.removed, dry.wrote], [['audit'], ['legacy'], false]);
    assert.equal(puts().length, 1);
    const real = await registerCommands({ rest, applicationId, logger: quiet });
    assert.equal(real.wrote, true);
    assert.deepEqual(standIn.commands.get('global')!.map((c) => c.name), commandDefinitions.map((c) => c.name));
  });

  test('the script validates its environment and arguments, and registers guild commands', async () => {
    await assert.rejects(main([], { DISCORD_BOT_TOKEN: botToken }), /DISCORD_APPLICATION_ID/);
    await assert.rejects(main(['--guild', 'nope'], { DISCORD_APPLICATION_ID: applicationId, DISCORD_BOT_TOKEN: botToken, DISCORD_API_BASE_URL: standIn.baseUrl }), /--guild takes a guild id/);
    const env = { DISCORD_APPLICATION_ID: applicationId, DISCORD_BOT_TOKEN: botToken, DISCORD_API_BASE_URL: standIn.baseUrl, LOG_LEVEL: 'silent' };
    const report = await main(['--guild', '1310000000000000400'], env);
    assert.equal(report.wrote, true);
    assert.equal(standIn.commands.get('1310000000000000400')!.length, commandDefinitions.length);
    assert.equal((await main(['--guild', '1310000000000000400'], env)).wrote, false);
  });
});
