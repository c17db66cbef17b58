// The interactions endpoint end to end: Discord's signed requests to a real game server
// (HTTP routes as served in production), read models fed by a real match, the account of a
// linked Discord user, and a local stand-in for Discord's REST API that records the
// deferred answers and the live message /watch starts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { QuestService } from '../../commands/quests/service.ts';
import { AccountService } from '../../commands/account/service.ts';
import { WalletService } from '../../commands/wallet/service.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { auditWorker } from '../../projections/anticheat/index.ts';
import { openProjectionRunner, readModels, type ProjectionRunner } from '../../projections/index.ts';
import { playBattle } from '../../projections/testing/matches.ts';
import { auditStreamOf } from '../../projections/anticheat/events.ts';
import { roomRules } from '../../rooms/rulesRegistry.ts';
import { createCatalog } from '../catalog.ts';
import { loadConfig } from '../config.ts';
import { startGameServer, type GameServer } from '../server.ts';
import { dropRedisKeys, testRedisUrl } from '../testing/gameServer.ts';
import { EPHEMERAL, type InteractionResponse } from './commands.ts';
import { createDiscord, type Discord } from './index.ts';
import { discordKeys, signatureHeaders } from './testing/sign.ts';
import { startDiscordRestStandIn, type DiscordRestStandIn } from './testing/restStandIn.ts';

const logger = pino({ level: 'silent' });
const applicationId = '1310000000000000001';
const botToken = 'test-bot-token-0123456789';
const channelId = '1310000000000000500';
const linkedUser = '1310000000000000777';
const strangerUser = '1310000000000000888';

describe('Discord interactions endpoint (signed requests, real read models, REST stand-in)', () => {
  const keys = discordKeys();
  const otherKeys = discordKeys();
  let schema: TestSchema;
  let db: SqlExecutor;
  let store: EventStore;
  let runner: ProjectionRunner;
  let standIn: DiscordRestStandIn;
  let discord: Discord;
  let game: GameServer;
  let endpoint: string;
  let playerId: string;
  let defer = false;
  let sequence = 0;

  before(async () => {
    schema = await createTestSchema('discord_ix');
    db = await openPgExecutor({ connectionString: testDatabaseUrl, onError: () => {} });
    const catalog = createCatalog();
    store = await openSqlEventStore({ db, catalog, schema: schema.name, pollIntervalMs: 20 });
    standIn = await startDiscordRestStandIn({ applicationId, botToken });
    discord = createDiscord({
      config: { DISCORD_PUBLIC_KEY: keys.publicKeyHex, DISCORD_APPLICATION_ID: applicationId, DISCORD_BOT_TOKEN: botToken, DISCORD_API_BASE_URL: standIn.baseUrl },
      db, schema: schema.name, store, logger, coalesceMs: 10,
      // Inline answers unless a test asks for deferral: then the deadline has already passed.
      answerDeadline: () => (defer ? Promise.resolve() : new Promise<void>(() => {})),
    });
    runner = await openProjectionRunner({
      db, store, schema: schema.name, logger,
      processors: [...readModels(roomRules), auditWorker({ store, rules: roomRules, catalog, logger }), ...discord.reactors],
    });
    await runner.start();

    // Ana signs in with Discord (her account links that identity), earns coins and wins a duel.
    const accounts = new AccountService({ store });
    playerId = (await accounts.signIn({ provider: 'discord', subject: linkedUser }, 'Ana')).playerId;
    await new WalletService({ store }).execute({ type: 'Credit', playerId, idempotencyKey: 'gift', currency: 'coins', amount: 250, counterAccount: 'system:rewards', reason: 'welcome' });
    await playBattle(store, { battleId: 'ix-duel', participants: [{ playerId, side: 'a' }, { playerId: 'bo', side: 'b', element: 'water' }], active: [playerId] });
    // The audit worker records its verdict once the battle ended; the read models follow it.
    const deadline = Date.now() + 20_000;
    while ((await store.readStream(auditStreamOf('battle-ix-duel'))).length === 0) {
      if (Date.now() > deadline) throw new Error('the battle was never audited');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await runner.waitFor(await store.headPosition());

    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PANTHEON_JWT_SECRET: randomBytes(32).toString('base64url') });
    game = await startGameServer(config, { store, kind: 'postgres' }, logger, { routes: discord.routes, auth: { redisUrl: testRedisUrl, redisPrefix: `test:${schema.name}:` } });
    game.markReady();
    endpoint = `http://127.0.0.1:${game.port}/discord/interactions`;
  });
  after(async () => {
    await game.stop();
    await discord.stop();
    await runner.stop();
    await standIn.close();
    await store.close();
    await db.close();
    await schema.drop();
    await dropRedisKeys(testRedisUrl, `test:${schema.name}:`);
  });

  async function send(body: unknown, options: { signer?: typeof keys; timestamp?: number; tamper?: boolean; unsigned?: boolean } = {}): Promise<Response> {
    const text = JSON.stringify(body);
    const signed = options.unsigned ? {} : signatureHeaders((options.signer ?? keys).privateKey, text, options.timestamp ?? Math.floor(Date.now() / 1000));
    return fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', ...signed }, body: options.tamper ? text.replace('}', ',"x":1}') : text });
  }

  function command(name: string, options: Record<string, string> = {}, user = linkedUser) {
    const token = `token-${++sequence}-${randomBytes(8).toString('hex')}`;
    return {
      token,
      body: {
        id: String(1310000000000001000n + BigInt(sequence)), application_id: applicationId, type: 2, token, version: 1,
        guild_id: '1310000000000000400', channel_id: channelId, member: { user: { id: user, username: 'someone' } },
        data: { id: '1310000000000000300', name, type: 1, options: Object.entries(options).map(([n, value]) => ({ name: n, type: n === 'player' ? 6 : 3, value })) },
      },
    };
  }

  async function run(name: string, options: Record<string, string> = {}, user = linkedUser): Promise<{ token: string; answer: InteractionResponse }> {
    const { token, body } = command(name, options, user);
    const response = await send(body);
    assert.equal(response.status, 200, await response.clone().text());
    return { token, answer: (await response.json()) as InteractionResponse };
  }

  const text = (answer: InteractionResponse) => JSON.stringify(answer.data ?? {});

  test('a request not signed with the application key gets 401 and nothing else', async () => {
    const before = standIn.calls.length;
    const watch = command('watch', { match: 'ix-duel' }).body;
    for (const response of [
      await send(watch, { unsigned: true }),
      await send(watch, { signer: otherKeys }),
      await send(watch, { tamper: true }),
      await send(watch, { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
    ]) {
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'discord/invalid_signature');
    }
    const watches = await db.query(`SELECT 1 FROM "${schema.name}".discord_watches`);
    assert.equal(watches.length, 0, 'no watch was recorded');
    assert.equal(standIn.calls.length, before, 'Discord was not called');
  });

  test('PING is answered PONG', async () => {
    const response = await send({ id: '1310000000000000999', application_id: applicationId, type: 1, token: 'ping-token', version: 1 });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { type: 1 });
  });

  test('/watch starts a live message in the channel, once', async () => {
    const { answer } = await run('watch', { match: 'ix-duel' });
    assert.equal(answer.type, 4);
    assert.match(text(answer), /Watching battle \*\*ix-duel\*\*/);
    await standIn.until((calls) => calls.some((c) => c.method === 'POST' && c.path === `/channels/${channelId}/messages`), 'the live message');
    const posted = [...standIn.messages.values()].filter((m) => m.channel_id === channelId);
    assert.equal(posted.length, 1);
    assert.match(JSON.stringify(posted[0]!.embeds), /Side A wins/);
    const again = await run('watch', { match: 'battle-ix-duel' });
    assert.match(text(again.answer), /Already watching/);
    const unknown = await run('watch', { match: 'no-such-match' });
    assert.match(text(unknown.answer), /discord\/unknown_match/);
  });

  test('/wallet shows a linked user their own balances, privately; others are told to link', async () => {
    const own = await run('wallet');
    assert.equal(own.answer.type, 4);
    assert.equal(own.answer.data!.flags, EPHEMERAL);
    assert.match(text(own.answer), /Your wallet/);
    assert.match(text(own.answer), /coins\*\*: 250/);
    const stranger = await run('wallet', {}, strangerUser);
    assert.equal(stranger.answer.data!.flags, EPHEMERAL);
    assert.match(text(stranger.answer), /discord\/not_linked/);
    assert.doesNotMatch(text(stranger.answer), /250/);
  });

  test("/progress shows your own profile privately and anyone's public profile openly", async () => {
    const own = await run('progress');
    assert.equal(own.answer.data!.flags, EPHEMERAL);
    assert.match(text(own.answer), /Your progress/);
    assert.match(text(own.answer), /"name":"Crowns","value":"1"/);
    assert.match(text(own.answer), /Recent XP/);
    const looked = await run('progress', { player: linkedUser }, strangerUser);
    assert.equal(looked.answer.data!.flags, undefined);
    assert.match(text(looked.answer), new RegExp(`Progress of ${playerId}`));
    assert.doesNotMatch(text(looked.answer), /Recent XP/);
    const unlinked = await run('progress', { player: strangerUser });
    assert.match(text(unlinked.answer), /discord\/player_not_linked/);
    const mine = await run('progress', {}, strangerUser);
    assert.match(text(mine.answer), /discord\/not_linked/);
  });

  test('/codex, /leaderboard and /audit answer from their read models', async () => {
    const codex = await run('codex');
    assert.match(text(codex.answer), /Your codex/);
    assert.match(text(codex.answer), /\d+\/\d+ entries unlocked/);
    const board = await run('leaderboard', { board: 'crowns' });
    assert.match(text(board.answer), /Leaderboard: crowns/);
    assert.match(text(board.answer), new RegExp(`\\*\\*1\\.\\*\\* ${playerId} — 1`));
    const audit = await run('audit', { match: 'ix-duel' });
    assert.match(text(audit.answer), /Audit of battle-ix-duel/);
    assert.match(text(audit.answer), /Verdict: \*\*clean\*\*/);
    const unknown = await run('audit', { match: 'nothing-here' });
    assert.match(text(unknown.answer), /discord\/unknown_match/);
  });

  test('/quests shows a linked player their quest log and story privately; others are told to link', async () => {
    assert.ok((await new QuestService({ store }).request({ type: 'AcceptQuest', playerId, questId: 'story-first-dawn-crown' })).ok);
    await runner.waitFor(await store.headPosition());
    const own = await run('quests');
    assert.equal(own.answer.data!.flags, EPHEMERAL);
    assert.match(text(own.answer), /Your quests/);
    assert.match(text(own.answer), /The First Dawn: a Crown\*\* — 0\/1/);
    assert.match(text(own.answer), /· The First Dawn/);
    const stranger = await run('quests', {}, strangerUser);
    assert.equal(stranger.answer.data!.flags, EPHEMERAL);
    assert.match(text(stranger.answer), /discord\/not_linked/);
  });

  test('past the answer deadline every command is deferred and answered through the interaction webhook', async () => {
    const inline = new Map<string, InteractionResponse>();
    const invocations: Array<[string, Record<string, string>]> = [['wallet', {}], ['codex', {}], ['progress', {}], ['leaderboard', {}], ['audit', { match: 'ix-duel' }], ['watch', { match: 'ix-duel' }]];
    for (const [name, options] of invocations) inline.set(name, (await run(name, options)).answer);
    defer = true;
    try {
      for (const [name, options] of invocations) {
        const { token, answer } = await run(name, options);
        assert.equal(answer.type, 5, `/${name} deferred`);
        assert.equal(answer.data?.flags, inline.get(name)!.data?.flags, `/${name} keeps its visibility`);
        await standIn.until(() => standIn.originals.has(token), `the deferred answer to /${name}`);
        const call = standIn.calls.find((c) => c.path === `/webhooks/${applicationId}/${token}/messages/@original`)!;
        assert.equal(call.method, 'PATCH');
        assert.equal(call.authorization, null, 'interaction webhooks are not sent the bot token');
        const { flags: _flags, ...expected } = inline.get(name)!.data!;
        assert.deepEqual(call.body, expected);
      }
    } finally {
      defer = false;
    }
  });
});
