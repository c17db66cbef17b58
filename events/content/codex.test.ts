// The codex content: it validates, every codex id the game hands out exists, and every
// entry can actually be unlocked by something the game does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ritualContent } from '../../rooms/ritual/content.ts';
import { CodexError, codexByVersion, codexVersions, currentCodexVersion, loadCodex, parseCodex, type Codex } from './codex.ts';
import { contentByVersion, currentContentVersion, elements } from './index.ts';

const codex = loadCodex();

function edited(change: (data: { entries: Record<string, unknown>[] }) => void): unknown {
  const data = structuredClone(codex) as unknown as { entries: Record<string, unknown>[] };
  change(data);
  return data;
}

test('the current codex validates, is registered, frozen, and holds 15 to 25 entries', () => {
  assert.equal(codex.codexVersion, currentCodexVersion);
  assert.ok(codexVersions().includes(currentCodexVersion));
  assert.equal(codexByVersion(currentCodexVersion), codex);
  assert.ok(codex.entries.length >= 15 && codex.entries.length <= 25, `${codex.entries.length} entries`);
  assert.throws(() => { (codex.entries[0] as { title: string }).title = 'x'; }, TypeError);
  assert.throws(() => codexByVersion('1999.1.1'), (error: unknown) => error instanceof CodexError && error.code === 'codex/unknown_version');
});

test('every codex entry a ritual unlocks exists and is unlocked by rituals', () => {
  const byId = new Map(codex.entries.map((entry) => [entry.id, entry]));
  const named = ritualContent.rituals.flatMap((ritual) => ritual.unlocks.codexEntries);
  assert.ok(named.length >= 5);
  for (const id of named) assert.equal(byId.get(id)?.unlock.kind, 'ritual', `${id} is a ritual entry of the codex`);
  // And the other way round: a ritual entry no ritual names could never be unlocked.
  for (const entry of codex.entries.filter((e) => e.unlock.kind === 'ritual')) assert.ok(named.includes(entry.id), `${entry.id} is named by a ritual`);
});

test('boss entries name bosses of the published content, and every element has its oracle entry', () => {
  const bosses = contentByVersion(currentContentVersion).raidBosses.map((boss) => boss.id);
  const bossRules = codex.entries.flatMap((e) => (e.unlock.kind === 'raid_victory' && e.unlock.bossId ? [e.unlock.bossId] : []));
  assert.deepEqual([...bossRules].sort(), [...bosses].sort());
  const fielded = codex.entries.flatMap((e) => (e.unlock.kind === 'oracle_fielded' ? [e.unlock.element] : []));
  assert.deepEqual([...fielded].sort(), [...elements].sort());
});

test('a codex with a repeated id, an unknown rule or a bad id is refused with a message', () => {
  const invalid = (data: unknown, fragment: string) =>
    assert.throws(() => parseCodex(data), (error: unknown) => error instanceof CodexError && error.code === 'codex/invalid' && error.message.includes(fragment));
  invalid(edited((d) => { d.entries[1]!.id = d.entries[0]!.id; }), 'defined twice');
  invalid(edited((d) => { d.entries[0]!.unlock = { kind: 'sunrise' }; }), 'unlock');
  invalid(edited((d) => { d.entries[0]!.id = 'dawn-hymn'; }), 'codex/dawn-hymn');
  invalid(edited((d) => { d.entries[0]!.unlock = { kind: 'battles_won', atLeast: 0 }; }), 'atLeast');
  const ok: Codex = parseCodex(edited(() => {}));
  assert.equal(ok.entries.length, codex.entries.length);
});
