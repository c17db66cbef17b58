// Dependencies point one way (docs/architecture.md, "Layers"): every relative import in the
// repository is read and held to the rule, so a lower layer that starts importing a higher
// one fails here, naming the file and the import.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { test } from 'node:test';

const root = normalize(join(dirname(new URL(import.meta.url).pathname), '..'));
const layers = ['events', 'commands', 'rooms', 'projections', 'infra', 'load-tests'] as const;
type Layer = (typeof layers)[number];

/** A folder's published contract: the events it defines and the values they are made of. */
const contract = /^(commands|rooms)\/[^/]+\/(events|model)\.ts$/;

/** Whether `from` (a repository path) may import `to`; the reason when it may not. */
export function ruleFor(from: string, to: string): string | null {
  const source = from.split('/')[0] as Layer;
  const target = to.split('/')[0] as Layer;
  if (!layers.includes(source)) return null;
  // A test is a leaf nothing imports: it composes whatever it exercises.
  if (from.endsWith('.test.ts')) return null;
  if (source === 'infra' || source === 'load-tests') return null;
  if (!layers.includes(target)) return `${source}/ imports ${to}, outside the layers`;
  // Helpers shared by tests live under testing/ and may reach any lower layer, never the composition.
  if (from.split('/').includes('testing')) {
    return target === 'infra' || target === 'load-tests' ? `a test helper in ${source}/ imports ${target}/` : null;
  }
  if (target === source || target === 'events') return null;
  if (source === 'projections' && contract.test(to)) return null;
  if (source === 'events') return `events/ imports nothing of the project, yet imports ${to}`;
  if (source === 'projections') return `projections/ imports events/ and the event definitions it folds (events.ts, model.ts), not ${to}`;
  return `${source}/ imports events/ only, not ${to}`;
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function imports(): { from: string; to: string }[] {
  return layers.flatMap((layer) => sourceFiles(join(root, layer))).flatMap((file) => {
    const from = relative(root, file);
    return [...readFileSync(file, 'utf8').matchAll(importPattern)].map((match) => ({
      from,
      to: relative(root, normalize(join(dirname(file), match[1] ?? match[2]!))),
    }));
  });
}

test('no layer imports one above it', () => {
  const all = imports();
  assert.ok(all.length > 1000, `read ${all.length} imports: the scan found the sources`);
  const broken = all.flatMap(({ from, to }) => {
    const reason = ruleFor(from, to);
    return reason ? [`${from} -> ${to}: ${reason}`] : [];
  });
  assert.deepEqual(broken, []);
});

test('test helpers live in test files or under a testing/ folder', () => {
  const helpers = layers.flatMap((layer) => sourceFiles(join(root, layer)))
    .filter((file) => !file.endsWith('.test.ts') && /from '(node:test|node:assert(\/strict)?)'/.test(readFileSync(file, 'utf8')))
    .map((file) => relative(root, file));
  assert.ok(helpers.length > 0, 'some shared test helpers exist');
  assert.deepEqual(helpers.filter((file) => !file.split('/').includes('testing')), []);
});

test('the rule refuses a lower layer importing a higher one, and lets the higher import the lower', () => {
  assert.match(ruleFor('events/store.ts', 'rooms/battle/events.ts') ?? '', /events\/ imports nothing/);
  assert.match(ruleFor('commands/wallet/payouts.ts', 'rooms/battle/events.ts') ?? '', /imports events\/ only/);
  assert.match(ruleFor('rooms/spectator/room.ts', 'projections/spectator/feed.ts') ?? '', /imports events\/ only/);
  assert.match(ruleFor('rooms/battle/room.ts', 'infra/logger.ts') ?? '', /imports events\/ only/);
  assert.match(ruleFor('projections/codex/projection.ts', 'rooms/battle/rules.ts') ?? '', /not rooms\/battle\/rules.ts/);
  assert.match(ruleFor('projections/testing/matches.ts', 'infra/catalog.ts') ?? '', /test helper/);
  assert.equal(ruleFor('projections/codex/deeds.ts', 'rooms/battle/events.ts'), null);
  assert.equal(ruleFor('infra/processors.ts', 'commands/wallet/payouts.ts'), null);
  assert.equal(ruleFor('rooms/battle/room.test.ts', 'infra/testing/gameServer.ts'), null);
});
