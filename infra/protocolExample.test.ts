// docs/protocol.md's JS example, run as a client developer would run it: the code block as
// written (only its host line pointed at this test's server), in its own Node process with
// @colyseus/sdk, against a real game server. It must play a battle to its end and see no
// refusal, in its output and in the log: the example can never again teach a refused command.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { contentByVersion, currentContentVersion } from '../events/content/registry.ts';
import { startTestGameServer, type TestGameServer } from './testing/gameServer.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
let server: TestGameServer;
let scratch: string;

before(async () => {
  server = await startTestGameServer('protocol_example', { readSide: true });
  // Inside the repository, so the example's bare `@colyseus/sdk` import resolves as it would in a client project.
  mkdirSync(path.join(repoRoot, '.cache'), { recursive: true });
  scratch = mkdtempSync(path.join(repoRoot, '.cache', 'protocol-example-'));
});
after(async () => {
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** The ```js block of the "JS example" section, with its host pointed at `host`. */
function example(host: string): string {
  const doc = readFileSync(path.join(repoRoot, 'docs', 'protocol.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## JS example'));
  const code = /```js\n([\s\S]*?)\n```/.exec(section)?.[1];
  assert.ok(code, 'docs/protocol.md has a ```js block under "JS example"');
  const hostLine = /^const host = '127\.0\.0\.1:2567';.*$/m;
  assert.match(code, hostLine, 'the example names its server in one line');
  return code.replace(hostLine, `const host = '${host}';`);
}

test('the JS example plays a battle to its end and is never refused', async () => {
  const file = path.join(scratch, 'duel.mjs');
  writeFileSync(file, example(new URL(server.httpUrl).host));
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(process.execPath, [file], { cwd: scratch, timeout: 120_000 }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${out}\n${err}`)) : resolve({ stdout: out, stderr: err })));
  });
  assert.doesNotMatch(stdout, /refused/, stdout);
  assert.match(stdout, /^winner (a|b|none \(draw\)) by tick_limit$/m, `${stdout}\n${stderr}`);

  // The log agrees: every command accepted, and each aimed as its ability's targeting says.
  const events = await server.store.readAll({ fromPosition: 1, limit: 100_000 });
  const battle = events.filter((e) => e.streamId.startsWith('battle-'));
  const created = battle.find((e) => e.type === 'BattleCreated')!;
  assert.ok(created, 'a battle was created');
  assert.deepEqual(battle.filter((e) => e.type === 'CommandRejected').map((e) => e.data), []);
  const sideOf = new Map((created.data as { participants: { playerId: string; side: string; oracles: { oracleId: string }[] }[] }).participants.flatMap((p) => p.oracles.map((o) => [o.oracleId, p.side] as const)));
  const targetOf = new Map(contentByVersion(currentContentVersion).abilities.map((a) => [a.id, a.target]));
  const casts = battle.filter((e) => e.type === 'CommandAccepted').map((e) => (e.data as { command: { oracleId: string; abilityId: string; targetId: string } }).command);
  assert.ok(casts.length >= 10, `${casts.length} casts`);
  for (const cast of casts) {
    const aim = targetOf.get(cast.abilityId);
    if (aim === 'enemy') assert.notEqual(sideOf.get(cast.targetId), sideOf.get(cast.oracleId), `${cast.abilityId} at an enemy`);
    else assert.equal(cast.targetId, cast.oracleId, `${cast.abilityId} (${aim}) at the caster`);
  }
  assert.ok(casts.some((c) => targetOf.get(c.abilityId) !== 'enemy'), 'an ally or self ability was cast too');
  assert.ok(battle.some((e) => e.type === 'BattleEnded'));
});
