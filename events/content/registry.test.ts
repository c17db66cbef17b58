// The content registry: bundled versions, versions registered from the log (immutable),
// and the active version chosen by the latest activation in log order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContentInput } from './content.ts';
import { ContentError, ContentRegistry, contentByVersion, currentContentVersion } from './registry.ts';

const bundled = contentByVersion(currentContentVersion);

function variant(version: string, change: (data: ContentInput) => void = () => {}): ContentInput {
  const data = structuredClone(bundled) as ContentInput;
  data.contentVersion = version;
  change(data);
  return data;
}

const codeIs = (code: ContentError['code']) => (error: unknown) => error instanceof ContentError && error.code === code;

test('a registered version is served frozen; the same numbers again are a no-op, other numbers are refused', () => {
  const registry = new ContentRegistry();
  const data = variant('2026.12.1', (d) => { d.oracle.baseStats.hp = 450; });
  const first = registry.register('2026.12.1', data);
  assert.equal(first.added, true);
  assert.equal(registry.byVersion('2026.12.1').oracle.baseStats.hp, 450);
  assert.ok(Object.isFrozen(registry.byVersion('2026.12.1').oracle.baseStats));
  assert.equal(registry.register('2026.12.1', structuredClone(data)).added, false);
  assert.throws(() => registry.register('2026.12.1', variant('2026.12.1')), codeIs('content/version_exists'));
  assert.throws(() => registry.register(currentContentVersion, variant(currentContentVersion, (d) => { d.battle.minDamage = 9; })), codeIs('content/version_exists'));
  assert.equal(registry.register(currentContentVersion, variant(currentContentVersion)).added, false, 'a bundled version with its own numbers');
  assert.deepEqual(registry.versions(), [{ version: currentContentVersion, source: 'bundled' }, { version: '2026.12.1', source: 'published' }]);
});

test('invalid data, or data declaring another version, is content/invalid and registers nothing', () => {
  const registry = new ContentRegistry();
  assert.throws(() => registry.register('2026.12.2', variant('2026.12.2', (d) => { d.abilities = []; })), codeIs('content/invalid'));
  assert.throws(() => registry.register('2026.12.2', variant('2026.12.3')), codeIs('content/invalid'));
  assert.equal(registry.has('2026.12.2'), false);
  assert.throws(() => registry.byVersion('2026.12.2'), codeIs('content/unknown_version'));
});

test('the latest activation in log order wins, whichever order they are applied in', () => {
  const registry = new ContentRegistry();
  registry.register('2026.12.1', variant('2026.12.1'));
  assert.equal(registry.activeVersion(), currentContentVersion);
  assert.equal(registry.activate('2026.12.1', 20), true);
  assert.equal(registry.activate(currentContentVersion, 10), false, 'an older activation read late');
  assert.equal(registry.active().contentVersion, '2026.12.1');
  assert.equal(registry.activate('2026.12.1', 20), false, 'the same activation again');
  assert.throws(() => registry.activate('2030.1.1', 30), codeIs('content/unknown_version'));
  assert.equal(registry.activeVersion(), '2026.12.1');
});

test('registries are independent: one process learning a version does not teach another', () => {
  const one = new ContentRegistry();
  const other = new ContentRegistry();
  one.register('2026.12.1', variant('2026.12.1'));
  assert.equal(other.has('2026.12.1'), false);
});
